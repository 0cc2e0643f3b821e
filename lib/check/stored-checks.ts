import type { PersonalDataAccess } from '../audit/types';
import { toShanghaiDate } from '../calendar/working-days';
import type { Clock } from '../clock/clock';
import type { SubjectIdentity } from '../datasets';
import type { Page } from '../paging/cursor';
import { personalDataAccess } from '../privacy/access';
import { maskPersonalData, type PersonalValues } from '../privacy/mask-personal';
import type { WatchStore } from '../push/ports';
import { closeWatch, watchIdFor } from '../push/watches';
import { CheckNotFoundError, NoMeasuresError, PersonalDataNotAllowedError } from './errors';
import { type FeedbackRequest, mergeFeedback } from './feedback';
import type { AuditLog, CheckReader, FeedbackStore, RecordPages } from './ports';
import { isRecordItemInDisplay, type RecordSummary, recordSummaryOf } from './records';
import type { Caller, StoredCheck } from './types';

/** A check exists for its own agency only: anyone else gets the same error as for an unknown id. */
export async function ownCheck(checks: CheckReader, caller: Caller, checkId: string): Promise<StoredCheck> {
  const stored = await checks.getCheck(checkId);
  if (!stored || stored.caller.agencyCode !== caller.agencyCode) throw new CheckNotFoundError(checkId);
  return stored;
}

/** A check that showed personal data in full is readable only by a caller who may see it so. */
export function assertMayRead(caller: Caller, stored: StoredCheck): void {
  const result = stored.result;
  if (result.personalData?.reveal && !personalDataAccess(caller.roles, result.request.purpose).reveal) {
    throw new PersonalDataNotAllowedError(
      `check ${stored.checkId} shows personal data in full; only the credit-office role may read it`,
    );
  }
}

/** Logs a read of a stored check that touched a natural person's data. */
export async function logCheckRead(
  deps: { audit: AuditLog; clock: Clock },
  caller: Caller,
  stored: StoredCheck,
  action: PersonalDataAccess['action'],
): Promise<void> {
  if (typeof stored.personalSubject !== 'string') return;
  await deps.audit.logPersonalDataAccess([
    {
      at: deps.clock.now().toISOString(),
      agencyCode: caller.agencyCode,
      keyId: caller.keyId,
      roles: [...caller.roles],
      action,
      subject: stored.personalSubject,
      // Checks stored before references were kept on them are found by their check id.
      subjectRef: stored.subjectRef ?? `check-${stored.checkId}`,
      purpose: stored.purpose ?? null,
      fullView: stored.result.personalData?.reveal ?? false,
      checkId: stored.checkId,
    },
  ]);
}

export interface StoredCheckDependencies {
  readonly checks: CheckReader;
  readonly feedback: FeedbackStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

/**
 * An Idempotency-Key replay answers like a read of the stored check by this caller: the same access
 * rule as GET /v1/checks/{id}, and logged like any read of personal data.
 */
export async function replayCheck(
  deps: { audit: AuditLog; clock: Clock },
  caller: Caller,
  stored: StoredCheck,
): Promise<StoredCheck['result']> {
  if (stored.caller.agencyCode !== caller.agencyCode) throw new CheckNotFoundError(stored.checkId);
  assertMayRead(caller, stored);
  await logCheckRead(deps, caller, stored, 'read-check');
  return stored.result;
}

/** GET /v1/checks/{id}: the caller's own check, with the latest feedback and its history; logged. */
export async function readCheck(deps: StoredCheckDependencies, caller: Caller, checkId: string) {
  const stored = await ownCheck(deps.checks, caller, checkId);
  assertMayRead(caller, stored);
  const [feedback, history] = await Promise.all([
    deps.feedback.getFeedback(checkId),
    deps.feedback.feedbackHistory(checkId),
  ]);
  await logCheckRead(deps, caller, stored, 'read-check');
  return { ...stored.result, feedback: feedback ?? null, feedbackHistory: history };
}

/**
 * GET /v1/checks/{id}/records: every record in display of the checked subject, a page at a time, in
 * a stable order, under the same access rule and audit as GET /v1/checks/{id}. Records are read from
 * the store as they are now, in display on the day of the check; a page may hold fewer than `limit`
 * (records since withdrawn or out of display are skipped) — follow nextCursor until there is none.
 */
export async function readCheckRecords(
  deps: { checks: CheckReader; records: RecordPages; audit: AuditLog; clock: Clock },
  caller: Caller,
  checkId: string,
  page: { readonly limit: number; readonly cursor?: string },
): Promise<Page<RecordSummary> & { checkId: string; total: number | null }> {
  const stored = await ownCheck(deps.checks, caller, checkId);
  assertMayRead(caller, stored);
  const found = await deps.records.recordItemsPage(stored.watchedSubjectKeys, page);
  const checkedOn = toShanghaiDate(new Date(stored.checkedAt));
  await logCheckRead(deps, caller, stored, 'read-check');
  const shown = found.items.filter((item) => isRecordItemInDisplay(item, checkedOn));
  const items = shown.map(recordSummaryOf);
  return {
    checkId,
    total: stored.result.recordsInDisplay?.total ?? null,
    // Masked as the check was: a person's name and ID (from the records' own subject) unless shown in full.
    items: stored.result.personalData?.reveal ? items : maskPersonalData(items, personOfRecords(shown)),
    ...(found.nextCursor ? { nextCursor: found.nextCursor } : {}),
  };
}

function personOfRecords(items: readonly Record<string, unknown>[]): PersonalValues {
  const people = items
    .map((item) => (item.record as { subject?: SubjectIdentity } | undefined)?.subject)
    .filter((subject): subject is SubjectIdentity => subject?.kind === 'person');
  return {
    names: people.map((p) => p.name),
    ids: people.map((p) => p.idNumber),
    idShaped: people.length > 0,
  };
}

/**
 * Feedback per measure on the caller's own check; complete feedback closes the case's watch.
 * NoMeasuresError when the check surfaced none, UnknownMeasureError for a measure it did not.
 */
export async function giveFeedback(
  deps: StoredCheckDependencies & { readonly watches: WatchStore },
  caller: Caller,
  checkId: string,
  submission: FeedbackRequest,
) {
  const stored = await ownCheck(deps.checks, caller, checkId);
  const measures = stored.result.measures ?? [];
  if (measures.length === 0) throw new NoMeasuresError(checkId);
  const previous = await deps.feedback.getFeedback(checkId);
  const givenAt = deps.clock.now().toISOString();
  const state = mergeFeedback(measures, previous, submission, {
    checkId,
    agencyCode: caller.agencyCode,
    keyId: caller.keyId,
    givenAt,
  });
  await deps.feedback.putFeedback(checkId, state);
  let watchClosed = false;
  const caseRef = stored.result.request.caseRef;
  if (state.complete && caseRef) {
    const watchId = watchIdFor(caller.agencyCode, caseRef);
    const closed = await closeWatch(deps.watches, caller.agencyCode, watchId, {
      closedAt: givenAt,
      reason: `feedback on check ${checkId}`,
    });
    watchClosed = closed.closed > 0;
  }
  await logCheckRead(deps, caller, stored, 'feedback');
  return { ...state, watchClosed };
}
