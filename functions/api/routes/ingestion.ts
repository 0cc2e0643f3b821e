import { z } from 'zod';
import { json } from '#functions/shared/http';
import { ProblemError } from '#lib/http/problem';
import type { JobView } from '#lib/ingestion-jobs/job-view';
import { defineRoute } from '../router';

/** The role that may read every agency's jobs (the credit office runs the platform). */
const OFFICE_ROLE = 'credit-office';

export const listJobsQuery = z
  .object({
    agency: z
      .string()
      .regex(/^[A-Za-z0-9_-]{2,64}$/, 'an agency code')
      .optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(2048).optional(),
  })
  .strict();
export type ListJobsQuery = z.infer<typeof listJobsQuery>;

const countsSchema = z.object({
  rows: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
  duplicate: z.number().int(),
  late: z.number().int(),
});

/** The response shape of a job (lib/ingestion-jobs/job-view.ts), for the OpenAPI document. */
export const jobViewSchema = z.object({
  jobId: z.string(),
  agencyCode: z.string(),
  dataset: z.string(),
  sourceKey: z.string(),
  versionId: z.string().optional(),
  status: z.string().describe('running | completed | partial | rejected | failed'),
  counts: countsSchema.describe('progress while running, totals once finished'),
  attempts: z.number().int(),
  size: z.number().int().optional(),
  chunks: z.object({ total: z.number().int(), done: z.number().int() }).optional(),
  failure: z.string().optional(),
  receivedAt: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  report: z.object({ key: z.string(), ready: z.boolean() }),
});

export const jobPageSchema = z.object({
  agencyCode: z.string(),
  jobs: z.array(jobViewSchema),
  nextCursor: z.string().optional().describe('pass back as cursor for the next page; absent on the last'),
});

const mayReadAll = (roles: readonly string[]) => roles.includes(OFFICE_ROLE);

/** Ingestion jobs (issue 3): an agency sees only its own; the credit office sees all. */
export const ingestionRoutes = [
  defineRoute<undefined, ListJobsQuery>({
    method: 'GET',
    path: '/v1/ingestion/jobs',
    summary: "The caller's ingestion jobs, newest first, with status, progress counts and report location",
    query: listJobsQuery,
    success: { status: 200, description: 'One page of jobs, newest first', schema: jobPageSchema },
    handle: async ({ caller, query, deps }) => {
      const agencyCode = query.agency ?? caller.agencyCode;
      if (agencyCode !== caller.agencyCode && !mayReadAll(caller.roles)) {
        throw new ProblemError(
          403,
          'FORBIDDEN',
          `an agency sees only its own jobs: omit agency or use agency=${caller.agencyCode}`,
        );
      }
      const page = await deps.jobs.list(agencyCode, {
        limit: query.limit,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      return json(200, { agencyCode, ...page });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/ingestion/jobs/{jobId}',
    summary: 'One ingestion job with its status, progress counts and report location',
    success: { status: 200, description: 'The job', schema: jobViewSchema },
    handle: async ({ caller, params, deps }) => {
      const jobId = params.jobId ?? '';
      // Someone else's job answers exactly like a job that does not exist: no existence leak.
      const notFound = () =>
        new ProblemError(404, 'JOB_NOT_FOUND', `no ingestion job ${jobId} for agency ${caller.agencyCode}`);
      if (!/^job-[A-Za-z0-9_-]{1,64}$/.test(jobId)) throw notFound();
      const job: JobView | undefined = await deps.jobs.get(jobId);
      if (!job || (job.agencyCode !== caller.agencyCode && !mayReadAll(caller.roles))) throw notFound();
      return json(200, job);
    },
  }),
];
