import type { RecordTallies, SubjectReader } from '../check/ports';
import { recordsOverview } from '../check/record-overview';
import type { Caller } from '../check/types';
import type { Clock } from '../clock/clock';
import { viewOfSubject } from '../matching/screen';
import { PastUntilDateError, UnknownSubjectError, WatchNotFoundError } from './errors';
import type { WatchStore } from './ports';
import {
  closeWatch,
  type OpenWatchRequest,
  type WatchView,
  watchedPersonName,
  watchedSubjectKeys,
  watchIdFor,
  watchRecord,
  watchView,
} from './watches';

export interface WatchDependencies {
  readonly subjects: SubjectReader;
  readonly tallies: RecordTallies;
  readonly watches: WatchStore;
  readonly clock: Clock;
}

/**
 * The subject as its list entries name it, else as its newest record does: the name the platform
 * knows for it (also what the masked-ID index backfill takes for watches opened without a name).
 */
export async function subjectIdentity(
  deps: Pick<WatchDependencies, 'subjects' | 'tallies'>,
  subjectKey: string,
  today: string,
) {
  const listed = viewOfSubject(await deps.subjects.listEntryItems(subjectKey)).subject;
  return listed ?? (await recordsOverview(deps, [subjectKey], today, 1)).subject;
}

/** POST /v1/watches: watches every subject the code leads to, for the caller's case. */
export async function openWatch(
  deps: WatchDependencies,
  caller: Caller,
  request: OpenWatchRequest,
): Promise<{ watchId: string; items: WatchView[] }> {
  const now = deps.clock.now();
  const today = deps.clock.today();
  if (request.until !== undefined && request.until < today)
    throw new PastUntilDateError(request.until, today);
  const { value, subjectKeys } = await watchedSubjectKeys(deps.subjects, request.subject.code, today);
  if (subjectKeys.length === 0) throw new UnknownSubjectError(value);
  const watchId = watchIdFor(caller.agencyCode, request.caseRef);
  const items = await Promise.all(
    subjectKeys.map(async (subjectKey) => {
      const identity = await subjectIdentity(deps, subjectKey, today);
      const personName = watchedPersonName(subjectKey, request.subject.name, identity);
      const record = watchRecord({
        agencyCode: caller.agencyCode,
        watchId,
        subjectKey,
        caseRef: request.caseRef,
        openedAt: now.toISOString(),
        openedBy: 'request',
        ...(request.until ? { until: request.until } : {}),
        ...(identity ? { subject: identity } : {}),
        ...(personName !== undefined ? { personName } : {}),
      });
      await deps.watches.putWatch(record);
      return watchView({ ...record }, today);
    }),
  );
  return { watchId, items };
}

/** DELETE /v1/watches/{id}: closes the caller's watch (closing a closed one is not an error). */
export async function closeOwnWatch(
  deps: Pick<WatchDependencies, 'watches' | 'clock'>,
  caller: Caller,
  watchId: string,
): Promise<{ watchId: string; closed: number; items: number }> {
  const result = await closeWatch(deps.watches, caller.agencyCode, watchId, {
    closedAt: deps.clock.now().toISOString(),
    reason: `closed by ${caller.agencyCode} (${caller.keyId})`,
  });
  if (result.found === 0) throw new WatchNotFoundError(watchId);
  return { watchId, closed: result.closed, items: result.found };
}
