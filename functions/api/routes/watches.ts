import { z } from 'zod';
import { json } from '#functions/shared/http';
import { listAlerts, listWatches } from '#lib/push/listings';
import { closeOwnWatch, openWatch } from '#lib/push/open-watch';
import { type OpenWatchRequest, openWatchRequestSchema, watchSchema } from '#lib/push/watches';
import type { ApiDependencies } from '../dependencies';
import { defineRoute } from '../router';

const listingDeps = (deps: ApiDependencies) => ({
  listing: deps.push,
  audit: deps.checks,
  referencer: deps.referencer,
  clock: deps.clock,
});
const pageOfQuery = (query: ListQuery) => ({
  limit: query.limit,
  ...(query.cursor ? { cursor: query.cursor } : {}),
});

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).describe('Items per page (1–100, default 20)'),
  cursor: z.string().min(1).max(2048).optional().describe('nextCursor of the previous page'),
});
type ListQuery = z.infer<typeof listQuery>;

const alertSchema = z.object({
  alertId: z.string(),
  agencyCode: z.string(),
  watchId: z.string(),
  caseRef: z.string().optional(),
  subject: z.object({ key: z.string(), kind: z.string().optional(), name: z.string().optional() }),
  hit: z.object({
    entryId: z.string(),
    listTypeCode: z.string(),
    listedOn: z.string().optional(),
    validUntil: z.string().nullable().optional(),
    removedOn: z.string().optional(),
    decidingDepartment: z.string().optional(),
    basis: z.string().optional(),
    reason: z.string().optional(),
    status: z
      .literal('possible')
      .optional()
      .describe(
        'possible: a court entry published with a masked ID that the watched ID fits, under the same name — never confirmed, never enough on its own for a binding sanction; absent: the watched subject’s own entry',
      ),
    possibleReason: z.string().optional().describe('For possible hits: why it matched and what to verify'),
    listedAs: z
      .object({ key: z.string(), kind: z.string().optional(), name: z.string().optional() })
      .optional()
      .describe('For possible hits: the subject as the entry lists it (masked)'),
  }),
  change: z.enum(['hit-started', 'hit-ended', 'credit-repaired']),
  repair: z
    .object({ applicationNo: z.string(), dataset: z.string(), decidedBy: z.string(), decidedAt: z.string() })
    .optional()
    .describe('credit-repaired alerts: the repair application, who decided it and when'),
  date: z.string(),
  createdAt: z.string(),
});

const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() });

const cursorProblem = {
  status: 400,
  code: 'INVALID_CURSOR',
  description: 'The cursor is not one this API returned',
};

/** Watches and alerts (自动推送): an agency sees and changes only its own. */
export const watchRoutes = [
  defineRoute<OpenWatchRequest>({
    method: 'POST',
    path: '/v1/watches',
    summary:
      'Watch a subject for an open case: alerts when its list status changes, until closed or the until-date',
    roles: ['case-officer', 'credit-office'],
    body: openWatchRequestSchema,
    success: {
      status: 201,
      description: 'The watch, one item per subject the code leads to',
      schema: z.object({ watchId: z.string(), items: z.array(watchSchema) }),
    },
    problems: [
      { status: 400, code: 'INVALID_SUBJECT_CODE', description: 'subject.code is no valid code of any kind' },
      {
        status: 422,
        code: 'UNKNOWN_SUBJECT',
        description: 'The organisation code or 工商注册号 leads to no known subject',
      },
    ],
    handle: async ({ caller, body, deps }) => {
      const watch = await openWatch(
        { subjects: deps.subjects, tallies: deps.tallies, watches: deps.push, clock: deps.clock },
        caller,
        body,
      );
      return json(201, watch, { location: `/v1/watches/${watch.watchId}` });
    },
  }),
  defineRoute<undefined, ListQuery>({
    method: 'GET',
    path: '/v1/watches',
    summary:
      "The calling agency's watches (open, closed and expired), by watch id, paginated; a page showing a person is logged in the access log",
    query: listQuery,
    success: { status: 200, description: 'One page of watches', schema: pageOf(watchSchema) },
    problems: [cursorProblem],
    handle: async ({ caller, query, deps }) =>
      json(200, await listWatches(listingDeps(deps), caller, pageOfQuery(query))),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/watches/{watchId}',
    summary: 'Close one of the calling agency’s watches: no more alerts for that case',
    roles: ['case-officer', 'credit-office'],
    success: {
      status: 200,
      description: 'The watch is closed (closing a closed watch is not an error)',
      schema: z.object({ watchId: z.string(), closed: z.number().int(), items: z.number().int() }),
    },
    problems: [{ status: 404, code: 'WATCH_NOT_FOUND', description: 'The agency has no watch with this id' }],
    handle: async ({ caller, params, deps }) =>
      json(200, await closeOwnWatch({ watches: deps.push, clock: deps.clock }, caller, params.watchId ?? '')),
  }),
  defineRoute<undefined, ListQuery>({
    method: 'GET',
    path: '/v1/alerts',
    summary:
      "The calling agency's alerts (new and ended hits of watched subjects), newest first, paginated; a page showing a person is logged in the access log",
    query: listQuery,
    success: { status: 200, description: 'One page of alerts', schema: pageOf(alertSchema) },
    problems: [cursorProblem],
    handle: async ({ caller, query, deps }) =>
      json(200, await listAlerts(listingDeps(deps), caller, pageOfQuery(query))),
  }),
];
