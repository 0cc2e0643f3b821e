import { z } from 'zod';
import { ProblemError } from '../../../lib/http/problem';
import { viewOfSubject } from '../../../lib/matching/screen';
import { InvalidCursorError, type Page } from '../../../lib/paging/cursor';
import { alertFromItem } from '../../../lib/push/alerts';
import { pushStore } from '../../../lib/push/runtime';
import {
  closeWatch,
  type OpenWatchRequest,
  openWatchRequestSchema,
  watchedSubjectKeys,
  watchIdFor,
  watchItem,
  watchSchema,
  watchView,
} from '../../../lib/push/watches';
import { clock, creditStore } from '../../shared/dependencies';
import { json } from '../../shared/http';
import { defineRoute } from '../router';

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
  }),
  change: z.enum(['hit-started', 'hit-ended']),
  date: z.string(),
  createdAt: z.string(),
});

const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() });

async function page(
  load: () => Promise<Page<Record<string, unknown>>>,
): Promise<Page<Record<string, unknown>>> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      throw new ProblemError(400, 'INVALID_CURSOR', error.message, [
        { field: 'query.cursor', code: 'INVALID_CURSOR', reason: error.message },
      ]);
    }
    throw error;
  }
}

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
    handle: async ({ caller, body }) => {
      const now = clock.now();
      const today = clock.today();
      if (body.until !== undefined && body.until < today) {
        throw new ProblemError(400, 'VALIDATION_FAILED', `until ${body.until} is in the past`, [
          { field: 'until', code: 'PAST_DATE', reason: `until must be today (${today}) or later` },
        ]);
      }
      const store = creditStore();
      const { value, subjectKeys } = await watchedSubjectKeys(store, body.subject.code, now);
      if (subjectKeys.length === 0) {
        throw new ProblemError(422, 'UNKNOWN_SUBJECT', `no subject is known under ${value}`);
      }
      const watchId = watchIdFor(caller.agencyCode, body.caseRef);
      const items = await Promise.all(
        subjectKeys.map(async (subjectKey) => {
          const identity = viewOfSubject(await store.subjectItems(subjectKey)).subject;
          const item = watchItem({
            agencyCode: caller.agencyCode,
            watchId,
            subjectKey,
            caseRef: body.caseRef,
            openedAt: now.toISOString(),
            openedBy: 'request',
            ...(body.until ? { until: body.until } : {}),
            ...(identity ? { subject: identity } : {}),
          });
          await pushStore().putWatch(item);
          return watchView(item, today);
        }),
      );
      return json(201, { watchId, items }, { location: `/v1/watches/${watchId}` });
    },
  }),
  defineRoute<undefined, ListQuery>({
    method: 'GET',
    path: '/v1/watches',
    summary: "The calling agency's watches (open, closed and expired), by watch id, paginated",
    query: listQuery,
    success: { status: 200, description: 'One page of watches', schema: pageOf(watchSchema) },
    problems: [cursorProblem],
    handle: async ({ caller, query }) => {
      const today = clock.today();
      const result = await page(() =>
        pushStore().listForAgency(caller.agencyCode, 'WATCH', {
          limit: query.limit,
          ...(query.cursor ? { cursor: query.cursor } : {}),
          newestFirst: false,
        }),
      );
      return json(200, {
        items: result.items.map((item) => watchView(item, today)),
        ...(result.nextCursor ? { nextCursor: result.nextCursor } : {}),
      });
    },
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
    handle: async ({ caller, params }) => {
      const watchId = params.watchId ?? '';
      const result = await closeWatch(pushStore(), caller.agencyCode, watchId, {
        closedAt: clock.now().toISOString(),
        reason: `closed by ${caller.agencyCode} (${caller.keyId})`,
      });
      // Another agency's watch id is answered like an unknown one: ids reveal nothing.
      if (result.found === 0) throw new ProblemError(404, 'WATCH_NOT_FOUND', `no watch ${watchId}`);
      return json(200, { watchId, closed: result.closed, items: result.found });
    },
  }),
  defineRoute<undefined, ListQuery>({
    method: 'GET',
    path: '/v1/alerts',
    summary: "The calling agency's alerts (new and ended hits of watched subjects), newest first, paginated",
    query: listQuery,
    success: { status: 200, description: 'One page of alerts', schema: pageOf(alertSchema) },
    problems: [cursorProblem],
    handle: async ({ caller, query }) => {
      const result = await page(() =>
        pushStore().listForAgency(caller.agencyCode, 'ALERT', {
          limit: query.limit,
          ...(query.cursor ? { cursor: query.cursor } : {}),
          newestFirst: true,
        }),
      );
      return json(200, {
        items: result.items.map(alertFromItem),
        ...(result.nextCursor ? { nextCursor: result.nextCursor } : {}),
      });
    },
  }),
];
