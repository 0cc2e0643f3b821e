import { alertEvent, buildAlert } from '../push/alerts';
import type { Alert, OutgoingEvent } from '../push/types';
import type { RepairDependencies } from './deps';
import type { RepairCase } from './types';

/** The upward-exchange event of a decision (approved or denied). */
export const repairEvents = {
  source: 'joint-credit.repair',
  decided: 'credit.repair.decided',
} as const;

/** What consumers of `credit.repair.decided` get: the outcome, never the applicant's contact. */
export function decidedEvent(decided: RepairCase): OutgoingEvent {
  return {
    id: `repair-decided-${decided.applicationNo}`,
    source: repairEvents.source,
    detailType: repairEvents.decided,
    detail: {
      applicationNo: decided.applicationNo,
      decision: decided.decision,
      decisionReason: decided.decisionReason,
      decidedBy: decided.decisionBy,
      decidedAt: decided.decidedAt,
      status: decided.status,
      subject: decided.subject,
      record: decided.recordRef,
      ruleSet: decided.ruleSet,
      ...(decided.publicationStoppedAt
        ? { publicationStatus: 'STOPPED', sharingStatus: 'STOPPED', stoppedAt: decided.publicationStoppedAt }
        : {}),
    },
    ...(decided.decidedAt ? { time: new Date(decided.decidedAt) } : {}),
  };
}

/** One `credit-repaired` alert per open watch of the subject (ids stable: a retry creates none). */
async function repairedAlerts(deps: RepairDependencies, repaired: RepairCase): Promise<Alert[]> {
  const today = deps.clock.today();
  const watches = (await deps.watchers.openWatches(repaired.subjectKey)).filter(
    (watch) => watch.until === undefined || watch.until >= today,
  );
  const created: Alert[] = [];
  for (const watch of watches) {
    const alert: Alert = {
      ...buildAlert({
        watch,
        subjectKey: repaired.subjectKey,
        subject: repaired.subject,
        hit: {
          entryId: repaired.recordRef.recordId,
          listTypeCode: repaired.recordRef.listTypeCode ?? repaired.recordRef.dataset,
        },
        change: 'credit-repaired',
        date: today,
        createdAt: repaired.decidedAt ?? deps.clock.now().toISOString(),
      }),
      repair: {
        applicationNo: repaired.applicationNo,
        dataset: repaired.recordRef.dataset,
        decidedBy: repaired.decisionBy ?? '',
        decidedAt: repaired.decidedAt ?? '',
      },
    };
    if (await deps.alerts.createAlert(alert, repaired.subjectKey)) created.push(alert);
  }
  return created;
}

export interface DecisionEffects {
  readonly alertsCreated: number;
  readonly eventsPublished: number;
  readonly eventsFailed: number;
}

/**
 * After a decision is stored: watchers of a repaired subject get a `credit.repaired` alert (stored
 * with its outbox entry, so the match function publishes it later if the bus refuses it now), and
 * the `credit.repair.decided` event goes on the bus.
 */
export async function publishDecision(
  deps: RepairDependencies,
  decided: RepairCase,
): Promise<DecisionEffects> {
  const alerts = decided.decision === 'APPROVED' ? await repairedAlerts(deps, decided) : [];
  const outcome = await deps.publisher.publish([decidedEvent(decided), ...alerts.map(alertEvent)]);
  const published = new Set(outcome.published);
  for (const alert of alerts) {
    if (published.has(alert.alertId)) {
      await deps.alerts.markPublished(decided.subjectKey, alert.alertId, deps.clock.now().toISOString());
    }
  }
  return {
    alertsCreated: alerts.length,
    eventsPublished: outcome.published.length,
    eventsFailed: outcome.failed.length,
  };
}
