import type { Clock } from '../clock/clock';
import {
  type Alert,
  type AlertChange,
  alertEvent,
  alertFromItem,
  alertHit,
  alertSubject,
  buildAlert,
  maskSubjectKey,
} from '../push/alerts';
import type { AlertPublisher, AlertStore } from '../push/ports';
import { isWatchActive } from '../push/watches';
import type { ScreeningStore } from './rescreen-ports';
import { isEntryInEffect, type SubjectView, viewOfSubject } from './screen';

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
  readonly subjects: ScreeningStore;
  readonly alerts: AlertStore;
  readonly publisher: AlertPublisher;
  readonly clock: Clock;
}

/** A re-screening as a log line shows it: a person's subject key masked (ID#4407021975****4129). */
export function rescreenLogFields(result: RescreenResult): RescreenResult {
  return { ...result, subjectKey: maskSubjectKey(result.subjectKey) };
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

export interface Change {
  readonly entryId: string;
  readonly change: AlertChange;
}

/** What alert creation is given: the subject partition screened, its entries and today's changes. */
export interface ScreenedSubject {
  readonly subjectKey: string;
  readonly items: readonly Record<string, unknown>[];
  readonly view: SubjectView;
  readonly today: string;
}

/** Creates the alerts of a screening's changes; returns those new in this run. */
export type AlertCreation<D extends RescreenDependencies> = (
  deps: D,
  input: ScreenedSubject,
  changes: readonly Change[],
) => Promise<Alert[]>;

/** The entries in effect today against the stored snapshot. */
function changesOf(items: readonly Record<string, unknown>[], view: SubjectView, today: string) {
  const active = view.listEntries.filter((entry) => isEntryInEffect(entry.record, today));
  const snapshot = items.find((item) => item.type === 'screening');
  const previous = (snapshot?.activeEntryIds as string[] | undefined) ?? [];
  const activeIds = active.map((entry) => entry.entryId);
  const { started, ended } = diffHits(previous, activeIds);
  const changes: Change[] = [
    ...started.map((entryId) => ({ entryId, change: 'hit-started' as const })),
    ...ended.map((entryId) => ({ entryId, change: 'hit-ended' as const })),
  ];
  return { activeIds, started, ended, changes, hasSnapshot: snapshot !== undefined };
}

/** Creates each watch's alert for each change; returns the alerts new in this run. */
async function createAlerts(
  deps: RescreenDependencies,
  input: ScreenedSubject,
  changes: readonly Change[],
): Promise<Alert[]> {
  const { subjectKey, view, today } = input;
  const entryOf = new Map(view.listEntries.map((entry) => [entry.entryId, entry]));
  const subject = alertSubject(subjectKey, view.subject);
  const createdAt = deps.clock.now().toISOString();
  const created: Alert[] = [];
  for (const watch of input.items.filter((item) => isWatchActive(item, today))) {
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
        createdAt,
      });
      if (await deps.alerts.createAlert(alert, subjectKey)) created.push(alert);
    }
  }
  return created;
}

/** Publishes pending alerts (new ones and any an earlier run left in the outbox); returns how many. */
async function publishPending(deps: RescreenDependencies, subjectKey: string, pending: readonly Alert[]) {
  if (pending.length === 0) return 0;
  const unique = [...new Map(pending.map((alert) => [alert.alertId, alert])).values()];
  const outcome = await deps.publisher.publish(unique.map(alertEvent));
  const publishedAt = deps.clock.now().toISOString();
  let published = 0;
  for (const alertId of outcome.published) {
    await deps.alerts.markPublished(subjectKey, alertId, publishedAt);
    published += 1;
  }
  if (outcome.failed.length > 0) throw new AlertPublishError(outcome.failed);
  return published;
}

/**
 * Re-screens one subject: compares the entries in effect today with the stored snapshot and alerts
 * every agency with an active watch on the subject about each hit that started or ended, then
 * stores the new snapshot and puts the alerts' events on the bus.
 *
 * Exactly-once alerts, at-least-once events: alert ids are deterministic and an alert is written
 * together with an outbox entry in the subject partition only if it is new (one transaction), so a
 * redelivered message writes and publishes nothing again. Events are published from the outbox;
 * an entry leaves it only after the bus accepted the event. If publishing fails the message fails
 * too, and its retry — or any later screening of the subject — publishes what is left.
 */
export function rescreenSubject(
  deps: RescreenDependencies,
  subjectKey: string,
  today: string,
): Promise<RescreenResult> {
  return rescreenWith(deps, subjectKey, today, createAlerts);
}

/**
 * One screening of a subject partition, whoever its watchers are: the diff against the snapshot,
 * the alerts `create` makes of it, the new snapshot, and the outbox published.
 */
export async function rescreenWith<D extends RescreenDependencies>(
  deps: D,
  subjectKey: string,
  today: string,
  create: AlertCreation<D>,
): Promise<RescreenResult> {
  const items = await deps.subjects.screeningItems(subjectKey);
  const view = viewOfSubject(items);
  const diff = changesOf(items, view, today);
  const pending: Alert[] = items.filter((item) => item.type === 'outbox').map(alertFromItem);
  const created =
    diff.changes.length > 0 ? await create(deps, { subjectKey, items, view, today }, diff.changes) : [];
  pending.push(...created);
  if (diff.changes.length > 0 || !diff.hasSnapshot) {
    await deps.subjects.saveScreening(subjectKey, { activeEntryIds: diff.activeIds, screenedOn: today });
  }
  const eventsPublished = await publishPending(deps, subjectKey, pending);
  return {
    subjectKey,
    started: diff.started,
    ended: diff.ended,
    alertsCreated: created.length,
    eventsPublished,
  };
}
