import type { CreditStore } from '../aws/credit-store';
import type { EventPublisher } from '../aws/event-publisher';
import type { PushStore } from '../aws/push-store';
import type { Clock } from '../clock/clock';
import {
  type Alert,
  type AlertChange,
  alertEvent,
  alertFromItem,
  alertHit,
  alertItem,
  alertSubject,
  buildAlert,
  outboxItem,
} from '../push/alerts';
import { isWatchActive } from '../push/watches';
import { keys } from '../store/keys';
import { isEntryInEffect, viewOfSubject } from './screen';

export interface RescreenResult {
  readonly subjectKey: string;
  readonly started: readonly string[];
  readonly ended: readonly string[];
  /** Alerts written by this run; alerts already written by an earlier delivery are not repeated. */
  readonly alertsCreated: number;
  /** Alert events put on the bus by this run (new alerts and any left unpublished by an earlier run). */
  readonly eventsPublished: number;
}

export interface RescreenDependencies {
  readonly store: CreditStore;
  readonly push: PushStore;
  readonly publisher: EventPublisher;
  readonly clock: Clock;
}

/** Some alert events could not be put on the bus; the message fails and its retry publishes them. */
export class AlertPublishError extends Error {
  override name = 'AlertPublishError';
  constructor(readonly failed: readonly { id: string; reason: string }[]) {
    super(
      `${failed.length} alert event(s) not published: ${failed
        .slice(0, 3)
        .map((f) => `${f.id} (${f.reason})`)
        .join('; ')}`,
    );
  }
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
 * Re-screens one subject: compares the entries in effect today with the stored snapshot and alerts
 * every agency with an active watch on the subject about each hit that started or ended, then
 * stores the new snapshot and puts the alerts' events on the bus.
 *
 * Exactly-once alerts, at-least-once events: alert ids are deterministic and an alert is written
 * together with an outbox entry in the subject partition only if it is new (one transaction), so a
 * redelivered message writes and publishes nothing again. Events are published from the outbox;
 * an entry leaves it only after EventBridge accepted the event. If publishing fails the message
 * fails too, and its retry — or any later screening of the subject — publishes what is left.
 */
export async function rescreenSubject(
  deps: RescreenDependencies,
  subjectKey: string,
  today: string,
): Promise<RescreenResult> {
  const now = deps.clock.now();
  const items = await deps.store.subjectItems(subjectKey);
  const view = viewOfSubject(items);
  const active = view.listEntries.filter((entry) => isEntryInEffect(entry.record, today));
  const snapshot = items.find((item) => item.sk === keys.screening);
  const previous = (snapshot?.activeEntryIds as string[] | undefined) ?? [];
  const { started, ended } = diffHits(
    previous,
    active.map((entry) => entry.entryId),
  );
  const entryOf = new Map(view.listEntries.map((entry) => [entry.entryId, entry]));
  const watches = items.filter((item) => isWatchActive(item, today));
  const subject = alertSubject(subjectKey, view.subject);
  const changes: { entryId: string; change: AlertChange }[] = [
    ...started.map((entryId) => ({ entryId, change: 'hit-started' as const })),
    ...ended.map((entryId) => ({ entryId, change: 'hit-ended' as const })),
  ];

  const pending: Alert[] = items.filter((item) => item.type === 'outbox').map(alertFromItem);
  let alertsCreated = 0;
  for (const watch of watches) {
    for (const { entryId, change } of changes) {
      const alert = buildAlert({
        watch: {
          watchId: watch.watchId as string,
          agencyCode: watch.agencyCode as string,
          ...(typeof watch.caseRef === 'string' ? { caseRef: watch.caseRef } : {}),
        },
        subjectKey,
        subject,
        hit: alertHit(entryId, entryOf.get(entryId)),
        change,
        date: today,
        createdAt: now.toISOString(),
      });
      if (await deps.push.createAlert(alertItem(alert, subjectKey), outboxItem(alert, subjectKey))) {
        alertsCreated += 1;
        pending.push(alert);
      }
    }
  }
  if (changes.length > 0 || !snapshot) {
    await deps.store.putItem({
      pk: keys.subject(subjectKey),
      sk: keys.screening,
      type: 'screening',
      activeEntryIds: active.map((entry) => entry.entryId),
      screenedOn: today,
    });
  }

  let eventsPublished = 0;
  if (pending.length > 0) {
    const unique = [...new Map(pending.map((alert) => [alert.alertId, alert])).values()];
    const outcome = await deps.publisher.publish(unique.map(alertEvent));
    const publishedAt = deps.clock.now().toISOString();
    for (const alertId of outcome.published) {
      await deps.push.markPublished(subjectKey, alertId, publishedAt);
      eventsPublished += 1;
    }
    if (outcome.failed.length > 0) throw new AlertPublishError(outcome.failed);
  }
  return { subjectKey, started, ended, alertsCreated, eventsPublished };
}
