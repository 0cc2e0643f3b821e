/**
 * The records of the deadlines area that its ports carry and its adapters read (lib/aws/
 * deadline-store.ts). Nothing here does I/O.
 */
export type { RuleOverrides } from './rules';

/**
 * A 双公示 record's timeliness. `pending-calendar`: the Nth working day falls in (or the count walks
 * through) a year whose calendar is not known yet, so lateness cannot be decided — neither on time
 * nor late; the deadlines run decides it once the year is stored or the package carries it.
 */
export type TimelinessStatus = 'on-time' | 'late' | 'pending-calendar';

export interface ReportSubmission {
  readonly agencyCode: string;
  readonly kind: 'quarterly-report' | 'monthly-cases';
  /** 2026-Q4 (quarterly) or 2026-11 (monthly). */
  readonly period: string;
  readonly caseCount?: number;
  readonly submittedAt: string;
  readonly submittedBy: string;
}

export interface DailyStats {
  readonly date: string;
  readonly agencyCode: string;
  /** 双公示 records received that day, and how many after their due date. */
  readonly records: number;
  readonly late: number;
  readonly rowsAccepted: number;
  readonly rowsRejected: number;
  readonly jobs: number;
  readonly jobsFailed: number;
  readonly checks: number;
  readonly checksWithHits: number;
  /** Checks with a hit, by list type code and by matter code. */
  readonly hitsByListType: Readonly<Record<string, number>>;
  readonly checksByMatter: Readonly<Record<string, { checks: number; withHits: number }>>;
  readonly checksWithMeasures: number;
  readonly feedbackGiven: number;
  readonly feedbackOverdue: number;
  /** 双公示 records received that day whose lateness waited for a calendar year (neither on time nor late). */
  readonly pendingCalendar?: number;
  /** Pending records the day's run decided once their year was known, and how many of them late. */
  readonly pendingReevaluated?: number;
  readonly pendingReevaluatedLate?: number;
  /**
   * 双公示 records first made public that day (by files received that day), by publication
   * timeliness, and records first received that day that could not be published.
   */
  readonly publishedOnTime?: number;
  readonly publishedLate?: number;
  readonly publishedPendingCalendar?: number;
  readonly notPublishable?: number;
}

/** A stored item the run changes (a list entry, a 双公示 record): opaque to the run, the adapter's key. */
export interface StoredItemRef {
  readonly pk: string;
  readonly sk: string;
}

/** A stored 双公示 record that arrived after its due date. */
export interface LateRecordLine {
  readonly agencyCode: string;
  readonly dataset: string;
  readonly recordId: string;
  readonly documentNumber: string;
  readonly decisionDate: string;
  readonly dueDate: string;
  readonly receivedAt: string;
}

/** A stored 双公示 record whose lateness waits for a calendar year (timeliness pending-calendar). */
export interface PendingTimelinessRecord {
  readonly ref: StoredItemRef;
  readonly agencyCode: string;
  readonly dataset: string;
  readonly recordId: string;
  readonly documentNumber: string;
  readonly decisionDate: string;
  /** First arrival, ISO instant and its Asia/Shanghai date: lateness is judged on it. */
  readonly receivedAt: string;
  readonly receivedDate: string;
  readonly pendingCalendarYear: number;
}

/** What a re-evaluation decided: on time or late with the due date, or still waiting (for another year). */
export type SettledTimeliness =
  | { readonly timeliness: 'on-time' | 'late'; readonly dueDate: string; readonly late: boolean }
  | { readonly timeliness: 'pending-calendar'; readonly pendingCalendarYear: number };

/** A court entry (全部履行 without 移出日期) whose removal deadline waits for a calendar year. */
export interface PendingRemoval {
  readonly ref: StoredItemRef;
  readonly subjectKey: string;
  readonly agencyCode: string;
  readonly caseNumber: string;
  /** The day the removal clock started: the platform received 全部履行. */
  readonly removalFrom: string;
  readonly workingDays: number;
  /** The last day in effect the ground or the court gave; null: until performance (art. 1 item 1). */
  readonly validUntil: string | null;
}

/** A pending removal deadline, computed: the entry is in effect until `validUntil` at the latest. */
export interface SettledRemoval {
  readonly removalDueBy: string;
  readonly validUntil: string;
}

/** A list entry whose period of effect ends, or a record whose display period ends, on a given day. */
export interface EndingItem {
  readonly ref: StoredItemRef;
  /** The subject to re-screen; absent on items without one. */
  readonly subjectKey?: string;
  /** What the report names it by: the reporting agency, the dataset and its 文号 or 案号. */
  readonly agencyCode?: string;
  readonly dataset?: string;
  readonly reference?: string;
}

/** A list entry or record the run ended (expired, or taken out of display), as its report lists it. */
export interface EndedLine {
  readonly agencyCode: string;
  readonly dataset: string;
  readonly reference: string;
  /** Its last day in effect or in display. */
  readonly lastDay: string;
}

/** An ingestion job as the run counts it. */
export interface JobSummary {
  readonly receivedAt: string;
  readonly dataset: string;
  readonly status: string;
  readonly accepted: number;
  readonly rejected: number;
  /** Accepted 双公示 rows whose lateness waited for a calendar year at arrival. */
  readonly pendingCalendar?: number;
  /** 双公示 records the file made public for the first time, by publication timeliness, and withheld. */
  readonly publication?: PublicationCounts;
}

/** 双公示 records first made public, by publication timeliness, and first arrivals withheld from the public. */
export interface PublicationCounts {
  readonly publishedOnTime: number;
  readonly publishedLate: number;
  readonly publishedPendingCalendar: number;
  readonly notPublishable: number;
}

/** A stored check as the run counts it. */
export interface CheckSummary {
  readonly checkId: string;
  readonly checkedAt: string;
  readonly hitListTypes: readonly (string | undefined)[];
  readonly matterCode?: string;
  readonly measureCount: number;
}

export type DeadlineItemType =
  | 'late-record'
  | 'no-submission'
  | 'quarterly-report-due'
  | 'quarterly-report-overdue'
  | 'monthly-cases-due'
  | 'monthly-cases-overdue'
  | 'feedback-overdue'
  /** Workflow steps past their working-day limit (objections: accept, platform check, source reply). */
  | 'objection-overdue'
  /** A revoked or changed decision that left public view after its limit. */
  | 'withdrawal-late'
  /** Credit repair (lib/repair/overdue.ts): a case not accepted, decided or answered in time. */
  | 'repair-accept-overdue'
  | 'repair-decision-overdue'
  | 'repair-reply-overdue';

export interface DeadlineItem {
  readonly type: DeadlineItemType;
  readonly agencyCode: string;
  /** Record id, check id, period… */
  readonly reference: string;
  readonly dueDate: string;
  readonly detail: string;
}

/** What a run tells each agency about its own overdue items (one event per agency). */
export interface AgencyDeadlineNotice {
  readonly agencyCode: string;
  readonly runDate: string;
  /** Stable per agency and run date: a re-run publishes the same id, so consumers can drop it. */
  readonly noticeId: string;
  readonly items: readonly DeadlineItem[];
}
