import type { CreditStore } from '../aws/credit-store';
import { shortHash } from '../store/items';
import { keys } from '../store/keys';
import { isEntryInEffect, viewOfSubject } from './screen';

export interface Alert {
  readonly alertId: string;
  readonly agencyCode: string;
  readonly watchId: string;
  readonly subjectKey: string;
  readonly entryId: string;
  readonly listTypeCode: string;
  readonly change: 'hit-started' | 'hit-ended';
  readonly date: string;
}

export interface RescreenResult {
  readonly subjectKey: string;
  readonly started: readonly string[];
  readonly ended: readonly string[];
  /** Alerts written by this run; alerts already written by an earlier delivery are not repeated. */
  readonly alertsCreated: number;
}

/** What changed between the last screening snapshot and now. Pure, so the diff is unit-tested. */
export function diffHits(previous: readonly string[], current: readonly string[]) {
  const before = new Set(previous);
  const after = new Set(current);
  return {
    started: current.filter((id) => !before.has(id)),
    ended: previous.filter((id) => !after.has(id)),
  };
}

/**
 * Re-screens one subject: compares the entries in effect today with the stored snapshot, alerts
 * every agency watching the subject about each hit that started or ended, then stores the new
 * snapshot. Alert ids are deterministic and written only if new, so a redelivered message — or a
 * crash between the alerts and the snapshot — never produces a second alert.
 */
export async function rescreenSubject(
  store: CreditStore,
  subjectKey: string,
  today: string,
): Promise<RescreenResult> {
  const items = await store.subjectItems(subjectKey);
  const view = viewOfSubject(items);
  const active = view.listEntries.filter((entry) => isEntryInEffect(entry.record, today));
  const snapshot = items.find((item) => item.sk === keys.screening);
  const previous = (snapshot?.activeEntryIds as string[] | undefined) ?? [];
  const { started, ended } = diffHits(
    previous,
    active.map((entry) => entry.entryId),
  );
  const listTypeOf = new Map(view.listEntries.map((entry) => [entry.entryId, entry.record.listTypeCode]));
  const watches = items.filter((item) => item.type === 'watch' && item.status === 'open');

  let alertsCreated = 0;
  for (const watch of watches) {
    const changes = [
      ...started.map((entryId) => ({ entryId, change: 'hit-started' as const })),
      ...ended.map((entryId) => ({ entryId, change: 'hit-ended' as const })),
    ];
    for (const { entryId, change } of changes) {
      const agencyCode = watch.agencyCode as string;
      const watchId = watch.watchId as string;
      const alertId = `alt-${shortHash(`${watchId}|${entryId}|${change}`)}`;
      const alert: Alert = {
        alertId,
        agencyCode,
        watchId,
        subjectKey,
        entryId,
        listTypeCode: listTypeOf.get(entryId) ?? 'unknown',
        change,
        date: today,
      };
      const created = await store.putItem(
        {
          pk: keys.alert(alertId),
          sk: 'ALERT',
          type: 'alert',
          gsi1pk: keys.agencyListing(agencyCode, 'ALERT'),
          gsi1sk: `${today}#${alertId}`,
          ...alert,
        },
        { onlyIfNew: true },
      );
      if (created) alertsCreated += 1;
    }
  }
  if (started.length > 0 || ended.length > 0 || !snapshot) {
    await store.putItem({
      pk: keys.subject(subjectKey),
      sk: keys.screening,
      type: 'screening',
      activeEntryIds: active.map((entry) => entry.entryId),
      screenedOn: today,
    });
  }
  return { subjectKey, started, ended, alertsCreated };
}
