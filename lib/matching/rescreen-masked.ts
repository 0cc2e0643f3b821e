import { maskedPersonFit } from '../identifiers/masked-person';
import { alertSubject, buildAlert, possibleAlertHit } from '../push/alerts';
import type { Alert, PersonWatch } from '../push/types';
import { watchStatus } from '../push/watches';
import {
  type Change,
  type RescreenDependencies,
  type RescreenResult,
  rescreenWith,
  type ScreenedSubject,
} from './rescreen';
import type { PersonWatchFinder } from './rescreen-ports';
import type { SubjectView } from './screen';

/**
 * Push for court entries whose person is published with a masked resident ID
 * (MASKED#4407021975****4129#张三). No watch names a masked ID, so the partition holds no watches:
 * the watches alerted are the open ID# watches whose ID fits the mask and whose name is the entry's
 * (lib/identifiers/masked-person.ts), found through the masked-ID index. Their alerts are *possible*
 * hits, worded as the check words them, never confirmed. Snapshot, exactly-once alerts and outbox
 * are those of every screening (lib/matching/rescreen.ts): the outbox is the masked partition's.
 */

export interface MaskedRescreenDependencies extends RescreenDependencies {
  readonly personWatches: PersonWatchFinder;
}

export interface ListedPerson {
  readonly maskedId: string;
  readonly name: string;
}

/** The person as the court lists them: from the entries, else from the key MASKED#<masked id>#<name>. */
export function listedPerson(subjectKey: string, view: Pick<SubjectView, 'subject'>): ListedPerson {
  const subject = view.subject;
  if (subject?.idNumber) return { maskedId: subject.idNumber, name: subject.name };
  const [, maskedId = '', ...name] = subjectKey.split('#');
  return { maskedId, name: name.join('#') };
}

export interface FittingWatch {
  readonly watch: PersonWatch;
  /** Why the watch's person may be the listed one, with the persons' names and IDs still in full. */
  readonly reason: string;
}

/** The open, unexpired watches on persons who may be the listed one. */
export async function fittingWatches(
  finder: PersonWatchFinder,
  listed: ListedPerson,
  today: string,
): Promise<FittingWatch[]> {
  const candidates = await finder.personWatchesFor(listed.maskedId);
  return candidates.flatMap((watch) => {
    if (watchStatus({ status: 'open', until: watch.until }, today) !== 'open') return [];
    const fit = maskedPersonFit(listed, { residentId: watch.residentId, name: watch.personName });
    return fit.fits ? [{ watch, reason: fit.reason }] : [];
  });
}

/** One possible alert per fitting watch and change; returns those new in this run. */
async function createPossibleAlerts(
  deps: MaskedRescreenDependencies,
  input: ScreenedSubject,
  changes: readonly Change[],
): Promise<Alert[]> {
  const { subjectKey, view, today } = input;
  const listed = listedPerson(subjectKey, view);
  const fitting = await fittingWatches(deps.personWatches, listed, today);
  const entryOf = new Map(view.listEntries.map((entry) => [entry.entryId, entry]));
  const listedAs = alertSubject(subjectKey, view.subject);
  const createdAt = deps.clock.now().toISOString();
  const created: Alert[] = [];
  for (const { watch, reason } of fitting) {
    const personal = { names: [watch.personName, listed.name], ids: [watch.residentId] };
    for (const { entryId, change } of changes) {
      const alert = buildAlert({
        watch: { watchId: watch.watchId, agencyCode: watch.agencyCode, caseRef: watch.caseRef },
        subjectKey: watch.subjectKey,
        subject: watch.subject,
        hit: possibleAlertHit(entryId, entryOf.get(entryId), { reason, listedAs, personal }),
        change,
        date: today,
        createdAt,
      });
      // The alert is the watched person's (its access-log reference is theirs); the outbox entry goes
      // to the masked partition, whose next screening publishes what is left.
      if (await deps.alerts.createAlert(alert, watch.subjectKey, subjectKey)) created.push(alert);
    }
  }
  return created;
}

/**
 * Re-screens a court's masked-ID subject: every hit that started or ended is a possible alert for
 * each open watch on a person the entry may be. A redelivered message finds the snapshot saved and
 * the alerts written (deterministic ids), and creates nothing again.
 */
export function rescreenMaskedSubject(
  deps: MaskedRescreenDependencies,
  subjectKey: string,
  today: string,
): Promise<RescreenResult> {
  return rescreenWith(deps, subjectKey, today, createPossibleAlerts);
}
