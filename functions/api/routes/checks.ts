import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { z } from 'zod';
import { CheckStore } from '../../../lib/aws/check-store';
import { createDocumentClient } from '../../../lib/aws/clients';
import { PushStore } from '../../../lib/aws/push-store';
import { type FeedbackRequest, feedbackRequestSchema, mergeFeedback } from '../../../lib/check/feedback';
import { validateIdempotencyKey, withIdempotency } from '../../../lib/check/idempotency';
import type { ApplicableMeasure } from '../../../lib/check/measures';
import type { Caller } from '../../../lib/check/perform-check';
import { type CheckResult, performCheck } from '../../../lib/check/perform-check';
import { type CheckRequest, checkRequestSchema } from '../../../lib/check/request';
import { ProblemError } from '../../../lib/http/problem';
import { requireEnv } from '../../../lib/platform/config';
import { observability } from '../../../lib/platform/observability';
import { env, metrics as metricDefinitions } from '../../../lib/platform/resources';
import { personalDataAccess } from '../../../lib/privacy/access';
import { closeWatch, watchIdFor } from '../../../lib/push/watches';
import { loadCatalogue } from '../../../lib/reference/read-model';
import { clock, creditStore } from '../../shared/dependencies';
import { json } from '../../shared/http';
import { defineRoute } from '../router';

let checks: CheckStore | undefined;
let push: PushStore | undefined;

/** The check area's store, created once per container like the shared ones. */
export function checkStore(): CheckStore {
  checks ??= new CheckStore(createDocumentClient(), requireEnv(env.tableName));
  return checks;
}

function pushStore(): PushStore {
  push ??= new PushStore(createDocumentClient(), requireEnv(env.tableName));
  return push;
}

function header(
  headers: Record<string, string | undefined> | null | undefined,
  name: string,
): string | undefined {
  const found = Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name.toLowerCase());
  return found?.[1];
}

/** A check exists for its own agency only: anyone else gets the same 404 as for an unknown id. */
async function ownCheck(caller: Caller, checkId: string): Promise<Record<string, unknown>> {
  const item = await checkStore().getCheckItem(checkId);
  const owner = (item?.caller as { agencyCode?: string } | undefined)?.agencyCode;
  if (!item || owner !== caller.agencyCode)
    throw new ProblemError(404, 'CHECK_NOT_FOUND', `no check ${checkId}`);
  return item;
}

async function logRead(caller: Caller, item: Record<string, unknown>, action: 'read-check' | 'feedback') {
  if (typeof item.personalSubject !== 'string') return;
  const result = item.result as CheckResult;
  await checkStore().logPersonalDataAccess([
    {
      at: clock.now().toISOString(),
      agencyCode: caller.agencyCode,
      keyId: caller.keyId,
      roles: [...caller.roles],
      action,
      subject: item.personalSubject,
      subjectRef: `check-${result.checkId}`,
      purpose: (item.purpose as string | null) ?? null,
      fullView: result.personalData?.reveal ?? false,
      checkId: result.checkId,
    },
  ]);
}

const checkIdParams = z.object({ checkId: z.string() });
const officers = ['case-officer', 'credit-office'] as const;

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
    handle: async ({ caller, body, event }) => {
      const key = validateIdempotencyKey(header(event.headers, 'idempotency-key'));
      const store = checkStore();
      const catalogue = await loadCatalogue(store);
      const run = (checkId: string) =>
        performCheck(
          {
            store: creditStore(),
            catalogue,
            checkId,
            clock,
            logAccess: (entries) => store.logPersonalDataAccess(entries),
          },
          caller,
          body,
        );
      const newCheckId = `chk-${randomUUID()}`;
      const { result, replayed } = key
        ? await withIdempotency(
            store,
            { agencyCode: caller.agencyCode, key, body, now: clock.now(), newCheckId },
            run,
          )
        : { result: await run(newCheckId), replayed: false };
      if (!replayed) {
        const { metrics } = observability('api');
        metrics.addMetric(metricDefinitions.names.checksCompleted, MetricUnit.Count, 1);
        // The dashboard's hit rate is ChecksWithHits / ChecksCompleted.
        metrics.addMetric(
          metricDefinitions.names.checksWithHits,
          MetricUnit.Count,
          result.hits.length > 0 ? 1 : 0,
        );
      }
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
    handle: async ({ caller, params }) => {
      const { checkId } = checkIdParams.parse(params);
      const item = await ownCheck(caller, checkId);
      const stored = item.result as CheckResult;
      // A check that showed personal data in full is readable only by a caller who may see it so.
      if (stored.personalData?.reveal && !personalDataAccess(caller.roles, stored.request.purpose).reveal) {
        throw new ProblemError(
          403,
          'PERSONAL_DATA_NOT_ALLOWED',
          `check ${checkId} shows personal data in full; only the credit-office role may read it`,
        );
      }
      const [feedback, history] = await Promise.all([
        checkStore().getFeedback(checkId),
        checkStore().feedbackHistory(checkId),
      ]);
      await logRead(caller, item, 'read-check');
      const strip = (entry: Record<string, unknown>) => {
        const { pk: _p, sk: _s, type: _t, ...rest } = entry;
        return rest;
      };
      return json(200, {
        ...(item.result as CheckResult),
        feedback: feedback ? strip(feedback) : null,
        feedbackHistory: history.map(strip),
      });
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
    handle: async ({ caller, params, body }) => {
      const { checkId } = checkIdParams.parse(params);
      const item = await ownCheck(caller, checkId);
      const result = item.result as CheckResult;
      const measures: readonly ApplicableMeasure[] = result.measures ?? [];
      if (measures.length === 0) {
        throw new ProblemError(
          409,
          'NO_MEASURES',
          `check ${checkId} surfaced no measures: there is nothing to report`,
        );
      }
      const previous = await checkStore().getFeedback(checkId);
      const givenAt = clock.now().toISOString();
      const state = mergeFeedback(
        measures,
        previous as { measures: FeedbackRequest['measures']; version: number } | undefined,
        body,
        { checkId, agencyCode: caller.agencyCode, keyId: caller.keyId, givenAt },
      );
      await checkStore().putFeedback(checkId, { ...state });
      let watchClosed = false;
      const caseRef = result.request.caseRef;
      if (state.complete && caseRef) {
        const closed = await closeWatch(
          pushStore(),
          caller.agencyCode,
          watchIdFor(caller.agencyCode, caseRef),
          {
            closedAt: givenAt,
            reason: `feedback on check ${checkId}`,
          },
        );
        watchClosed = closed.closed > 0;
      }
      await logRead(caller, item, 'feedback');
      return json(200, { ...state, watchClosed });
    },
  }),
];
