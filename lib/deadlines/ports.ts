import type { StoredCalendarDay } from '../calendar/calendar';
import type { MatchMessage } from '../matching/messages';
import type {
  AgencyDeadlineNotice,
  CheckSummary,
  DailyStats,
  DeadlineItem,
  EndingItem,
  JobSummary,
  LateRecordLine,
  PendingRemoval,
  PendingTimelinessRecord,
  ReportSubmission,
  RuleOverrides,
  SettledRemoval,
  SettledTimeliness,
  StoredItemRef,
} from './types';

/** What the due-date resolver reads: the stored calendar days and the stored rule overrides. Read only. */
export interface DueDateSource {
  calendarDays(): Promise<StoredCalendarDay[]>;
  ruleOverrides(): Promise<RuleOverrides | undefined>;
}

/**
 * What the daily deadlines run reads and changes in the credit table. Every write is a plain SET
 * of values derived from the run date, so a second run for the same date changes nothing.
 */
export interface DeadlineStore extends DueDateSource {
  /** 双公示 records that arrived late, received on `date` (Asia/Shanghai). */
  lateRecordsReceivedOn(date: string): Promise<LateRecordLine[]>;
  /** List entries whose last day in effect is `date`. */
  listEntriesEndingOn(date: string): Promise<EndingItem[]>;
  /** 双公示 records whose display period (公示截止期) ends on `date`. */
  displayEndingOn(date: string): Promise<EndingItem[]>;
  /** Up to `limit` records whose timeliness waits for the calendar of `year`, oldest arrival first. */
  pendingTimeliness(year: number, limit: number): Promise<PendingTimelinessRecord[]>;
  /**
   * Stores a re-evaluated timeliness and, with it atomically, counts a decided record in the daily
   * statistics of `countedOn` (pendingReevaluated, pendingReevaluatedLate — which putDailyStats
   * leaves alone); false when the record was no longer pending on that year.
   */
  settleTimeliness(
    record: PendingTimelinessRecord,
    settled: SettledTimeliness,
    countedOn: string,
  ): Promise<boolean>;
  /**
   * Up to `limit` court entries whose removal deadline waits for a calendar year, oldest removal
   * start first: a later start never needs an earlier year, so if the first ones still wait, so do the rest.
   */
  pendingRemovals(limit: number): Promise<PendingRemoval[]>;
  /**
   * Stores a computed removal deadline and the entry's new last day in effect (its expiry index
   * follows); false when the entry was no longer pending (a re-run, or a re-ingested state).
   */
  settleRemoval(entry: PendingRemoval, settled: SettledRemoval): Promise<boolean>;
  /** Marks a list entry expired; false when it already was. */
  markExpired(entry: StoredItemRef, expiredOn: string): Promise<boolean>;
  /** Takes a record out of display, keeping it for audit; false when it already was. */
  markHidden(record: StoredItemRef, hiddenOn: string): Promise<boolean>;
  /** When the agency's newest file up to `notAfter` (an ISO instant) arrived. */
  latestJobReceivedAt(agencyCode: string, notAfter: string): Promise<string | undefined>;
  /** The agency's jobs received in [from, to] (ISO instants). */
  jobsReceived(agencyCode: string, from: string, to: string): Promise<JobSummary[]>;
  /** The agency's checks made in [from, to] (ISO instants). */
  checksMade(agencyCode: string, from: string, to: string): Promise<CheckSummary[]>;
  /** The latest feedback on a check (when it was given, if recorded), or undefined without feedback. */
  latestFeedback(checkId: string): Promise<{ readonly givenAt?: string } | undefined>;
  reportSubmission(
    agencyCode: string,
    kind: ReportSubmission['kind'],
    period: string,
  ): Promise<ReportSubmission | undefined>;
  /** Writes a day's statistics; the counters settleTimeliness adds to the same day are kept. */
  putDailyStats(stats: DailyStats, computedAt: string): Promise<void>;
}

/**
 * A workflow with its own time limits (objections, withdrawals, …): the items overdue as of a day.
 * The run adds them to its report and to the agencies' notices as they are.
 */
export interface WorkflowDeadlineSource {
  overdueOn(date: string): Promise<readonly DeadlineItem[]>;
}

/** Sends each agency its own overdue items. */
export interface AgencyNotifier {
  notify(notices: readonly AgencyDeadlineNotice[]): Promise<void>;
}

/** Re-screening of the subjects whose list entries expired or records left display. */
export interface SubjectChangedPublisher {
  send(messages: readonly MatchMessage[]): Promise<void>;
}

/** Where the run's report (JSON and CSV) is written. */
export interface ReportWriter {
  putJson(key: string, value: unknown): Promise<void>;
  putText(key: string, text: string, contentType: string): Promise<void>;
}

export type { StoredItemRef };

/** Credit repair cases overdue on a day (lib/repair implements it over its own store). */
export interface RepairDeadlineSource {
  overdueRepairItems(coveredDate: string): Promise<DeadlineItem[]>;
}
