import type { CreditStore } from '../aws/credit-store';
import type { MatchQueue } from '../aws/match-queue';
import type { ObjectStore } from '../aws/object-store';
import { bucketLayout } from '../platform/resources';
import { keys } from '../store/keys';
import { toCsv } from './csv';

export interface DeadlinesDependencies {
  readonly store: CreditStore;
  readonly objects: ObjectStore;
  readonly matchQueue: MatchQueue;
}

export interface LateRecordLine {
  readonly agencyCode: string;
  readonly dataset: string;
  readonly recordId: string;
  readonly documentNumber: string;
  readonly decisionDate: string;
  readonly dueDate: string;
  readonly receivedAt: string;
}

export interface DeadlinesReport {
  readonly reportVersion: 1;
  /** The day the run covers: the day before the scheduled run date, in Asia/Shanghai. */
  readonly coveredDate: string;
  readonly runDate: string;
  readonly lateRecords: readonly LateRecordLine[];
  readonly latePerAgency: Readonly<Record<string, number>>;
  readonly expiredListEntries: number;
  readonly rescreensQueued: number;
}

function previousDay(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
}

/**
 * The daily deadlines run for one date: records that arrived late the day before, per agency, and
 * list entries whose period of effect ended the day before (their subjects are re-screened so that
 * watchers hear the hit ended). Everything derives from the run date, so running twice for the same
 * date writes the same report and enqueues re-screens that change nothing the second time.
 */
export async function runDeadlines(deps: DeadlinesDependencies, runDate: string): Promise<DeadlinesReport> {
  const coveredDate = previousDay(runDate);
  const late = await deps.store.queryIndex('gsi2', keys.lateOn(coveredDate));
  const lateRecords: LateRecordLine[] = late.map((item) => {
    const record = item.record as { documentNumber: string; decisionDate: string };
    return {
      agencyCode: item.agencyCode as string,
      dataset: item.type as string,
      recordId: item.recordId as string,
      documentNumber: record.documentNumber,
      decisionDate: record.decisionDate,
      dueDate: item.dueDate as string,
      receivedAt: item.receivedAt as string,
    };
  });
  const latePerAgency: Record<string, number> = {};
  for (const line of lateRecords) latePerAgency[line.agencyCode] = (latePerAgency[line.agencyCode] ?? 0) + 1;

  const expired = await deps.store.queryIndex('gsi2', keys.expiresOn(coveredDate));
  const subjects = [...new Set(expired.map((item) => item.subjectKey as string))];
  await deps.matchQueue.send(
    subjects.map((subjectKey) => ({ kind: 'subject-changed', subjectKey, cause: 'expiry' })),
  );

  const report: DeadlinesReport = {
    reportVersion: 1,
    coveredDate,
    runDate,
    lateRecords,
    latePerAgency,
    expiredListEntries: expired.length,
    rescreensQueued: subjects.length,
  };
  await deps.objects.putJson(bucketLayout.deadlinesReportKey(runDate, 'json'), report);
  await deps.objects.putText(
    bucketLayout.deadlinesReportKey(runDate, 'csv'),
    toCsv(
      ['agencyCode', 'dataset', 'recordId', 'documentNumber', 'decisionDate', 'dueDate', 'receivedAt'],
      lateRecords.map((line) => [
        line.agencyCode,
        line.dataset,
        line.recordId,
        line.documentNumber,
        line.decisionDate,
        line.dueDate,
        line.receivedAt,
      ]),
    ),
    'text/csv; charset=utf-8',
  );
  return report;
}
