import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { z } from 'zod';
import { json } from '#functions/shared/http';
import { type FeedbackRequest, feedbackRequestSchema } from '#lib/check/feedback';
import { validateIdempotencyKey, withIdempotency } from '#lib/check/idempotency';
import { performCheck } from '#lib/check/perform-check';
import { type CheckRequest, checkRequestSchema } from '#lib/check/request';
import { giveFeedback, readCheck, readCheckRecords, replayCheck } from '#lib/check/stored-checks';
import type { Caller, CheckResult } from '#lib/check/types';
import { metrics as metricDefinitions } from '#lib/platform/resources';
import type { ApiDependencies } from '../dependencies';
import { defineRoute } from '../router';

function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const found = Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === name.toLowerCase());
  return found?.[1];
}

const checkIdParams = z.object({ checkId: z.string() });
const recordsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50).describe('Records per page (1–100, default 50)'),
  cursor: z.string().min(1).max(2048).optional().describe('nextCursor of the previous page'),
});
type RecordsQuery = z.infer<typeof recordsQuery>;
const officers = ['case-officer', 'credit-office'] as const;

/** Runs the check once per Idempotency-Key; a retry gets the stored result. */
async function runCheck(deps: ApiDependencies, caller: Caller, body: CheckRequest, key: string | undefined) {
  const catalogue = await deps.catalogue();
  const run = (checkId: string) =>
    performCheck(
      {
        subjects: deps.subjects,
        tallies: deps.tallies,
        checks: deps.checks,
        watches: deps.push,
        audit: deps.checks,
        referencer: deps.referencer,
        catalogue,
        checkId,
        clock: deps.clock,
      },
      caller,
      body,
    );
  const newCheckId = `chk-${randomUUID()}`;
  if (!key) return { result: await run(newCheckId), replayed: false };
  return withIdempotency(
    deps.checks,
    { scope: caller, key, body, now: deps.clock.now(), newCheckId },
    {
      perform: run,
      replay: (stored) => replayCheck({ audit: deps.checks, clock: deps.clock }, caller, stored),
    },
  );
}

function countCheck(deps: ApiDependencies, result: CheckResult): void {
  deps.metrics.addMetric(metricDefinitions.names.checksCompleted, MetricUnit.Count, 1);
  // The dashboard's hit rate is ChecksWithHits / ChecksCompleted.
  deps.metrics.addMetric(
    metricDefinitions.names.checksWithHits,
    MetricUnit.Count,
    result.hits.length > 0 ? 1 : 0,
  );
}

export const checkRoutes = [
  defineRoute<CheckRequest>({
    method: 'POST',
    path: '/v1/checks',
    summary:
      'One-click credit check of a subject for a matter: list hits (confirmed and possible), applicable measures, conveniences and records in display. Send Idempotency-Key to make retries safe.',
    roles: officers,
    body: checkRequestSchema,
    success: {
      status: 201,
      description: 'The stored check (a retried Idempotency-Key returns the first one)',
    },
    problems: [
      {
        status: 400,
        code: 'INVALID_SUBJECT_CODE',
        description: 'subject.code is no valid USCC, organisation code, 工商注册号 or resident ID',
      },
      {
        status: 400,
        code: 'INVALID_IDEMPOTENCY_KEY',
        description: 'Idempotency-Key is not 1–128 visible ASCII characters',
      },
      { status: 404, code: 'MATTER_NOT_FOUND', description: 'matterCode is not in the reference data' },
      {
        status: 409,
        code: 'IDEMPOTENCY_KEY_REUSED',
        description: 'the Idempotency-Key was used with another body',
      },
      {
        status: 409,
        code: 'IDEMPOTENCY_KEY_IN_PROGRESS',
        description: 'the first request with this key is still running',
      },
    ],
    handle: async ({ caller, body, event, deps }) => {
      const key = validateIdempotencyKey(header(event, 'idempotency-key'));
      const { result, replayed } = await runCheck(deps, caller, body, key);
      if (!replayed) countCheck(deps, result);
      return json(201, result, {
        location: `/v1/checks/${result.checkId}`,
        ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
      });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/checks/{checkId}',
    summary: "One of the caller agency's checks, with the latest feedback and its history",
    success: { status: 200, description: 'The check as stored, its feedback and feedback history' },
    problems: [
      { status: 404, code: 'CHECK_NOT_FOUND', description: 'no such check for the calling agency' },
      {
        status: 403,
        code: 'PERSONAL_DATA_NOT_ALLOWED',
        description: 'the check shows personal data the caller may not see',
      },
    ],
    handle: async ({ caller, params, deps }) => {
      const { checkId } = checkIdParams.parse(params);
      const useCase = { checks: deps.checks, feedback: deps.checks, audit: deps.checks, clock: deps.clock };
      return json(200, await readCheck(useCase, caller, checkId));
    },
  }),
  defineRoute<undefined, RecordsQuery>({
    method: 'GET',
    path: '/v1/checks/{checkId}/records',
    summary:
      "Every record in display of one of the caller agency's checks, a page at a time in a stable order (the check itself holds the newest few and the counts)",
    query: recordsQuery,
    success: {
      status: 200,
      description:
        'One page of records; follow nextCursor until it is absent (a page may hold fewer than limit)',
    },
    problems: [
      { status: 404, code: 'CHECK_NOT_FOUND', description: 'no such check for the calling agency' },
      {
        status: 403,
        code: 'PERSONAL_DATA_NOT_ALLOWED',
        description: 'the check shows personal data the caller may not see',
      },
      { status: 400, code: 'INVALID_CURSOR', description: 'The cursor is not one this API returned' },
    ],
    handle: async ({ caller, params, query, deps }) => {
      const { checkId } = checkIdParams.parse(params);
      const useCase = { checks: deps.checks, records: deps.subjects, audit: deps.checks, clock: deps.clock };
      const page = { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) };
      return json(200, await readCheckRecords(useCase, caller, checkId, page));
    },
  }),
  defineRoute<FeedbackRequest>({
    method: 'POST',
    path: '/v1/checks/{checkId}/feedback',
    summary:
      'Feedback per measure (applied / not-applied with reason / not-applicable, result, date); a later submission updates it and keeps the history; complete feedback closes the case watch',
    roles: officers,
    body: feedbackRequestSchema,
    success: { status: 200, description: 'The merged feedback: version, measures, complete, outstanding' },
    problems: [
      { status: 404, code: 'CHECK_NOT_FOUND', description: 'no such check for the calling agency' },
      { status: 409, code: 'NO_MEASURES', description: 'the check surfaced no measures' },
      { status: 422, code: 'UNKNOWN_MEASURE', description: 'a measure code the check did not surface' },
    ],
    handle: async ({ caller, params, body, deps }) => {
      const { checkId } = checkIdParams.parse(params);
      const useCase = {
        checks: deps.checks,
        feedback: deps.checks,
        audit: deps.checks,
        watches: deps.push,
        clock: deps.clock,
      };
      return json(200, await giveFeedback(useCase, caller, checkId, body));
    },
  }),
];
