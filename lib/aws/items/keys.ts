/**
 * Key shapes of the single credit table. docs/access-patterns.md lists the access pattern each
 * one serves; nothing else builds keys by hand.
 */
export const keys = {
  subject: (subjectKey: string) => `SUBJECT#${subjectKey}`,
  listEntry: (listTypeCode: string, entryId: string) => `LIST#${listTypeCode}#${entryId}`,
  record: (dataset: string, recordId: string) => `RECORD#${dataset}#${recordId}`,
  /** One version of a 双公示 record (issue 3): sk HISTORY#<dataset>#<recordId>#<receivedAt>#<jobId>#<row>. */
  recordVersion: (dataset: string, recordId: string, receivedAt: string, jobId: string, row: number) =>
    `HISTORY#${dataset}#${recordId}#${receivedAt}#${jobId}#${String(row).padStart(9, '0')}`,
  /**
   * The current 双公示 records of a subject partition (行政许可 then 行政处罚, never their versions,
   * nor code mappings): an sk range, so a check reads them without the partition's history.
   */
  currentRecords: { from: 'RECORD#admin-license#', to: 'RECORD#admin-penalty#\uffff' },
  /**
   * In a subject partition, outside the currentRecords range: the token the last writer of one of
   * its records left, and the tally of its records a check computed after such a token.
   */
  recordsChanged: 'RECORDS#CHANGED',
  recordTally: 'RECORDS#TALLY',
  watch: (agencyCode: string, watchId: string) => `WATCH#${agencyCode}#${watchId}`,
  /**
   * The masked-ID index of ID# watches, one partition per division code (the first 6 digits, which
   * every published mask keeps), sk <resident id>#<agency>#<watchId>: a court entry's masked ID
   * finds the watched persons it may be by begins_with on its visible leading digits.
   */
  watchedIds: (divisionCode: string) => `WATCHED-ID#${divisionCode}`,
  watchedId: (residentId: string, agencyCode: string, watchId: string) =>
    `${residentId}#${agencyCode}#${watchId}`,
  screening: 'SCREENING',
  /** In a subject partition: an alert created but not yet published on the event bus. */
  outbox: (alertId: string) => `OUTBOX#${alertId}`,
  alias: (kind: AliasKind, value: string) => `ALIAS#${kind}#${value}`,
  job: (jobId: string) => `JOB#${jobId}`,
  /** Marker of one file content (SHA-256) per agency and dataset: a re-upload is a duplicate. */
  content: (agencyCode: string, dataset: string) => `CONTENT#${agencyCode}#${dataset}`,
  apiKey: (keyHash: string) => `APIKEY#${keyHash}`,
  agency: (agencyCode: string) => `AGENCY#${agencyCode}`,
  check: (checkId: string) => `CHECK#${checkId}`,
  alert: (alertId: string) => `ALERT#${alertId}`,
  /** Reference data kept by the credit office (issue 4): pk = REF#<KIND>, sk = code. */
  reference: (kind: 'LIST_TYPE' | 'MEMORANDUM' | 'MEASURE' | 'MATTER') => `REF#${kind}`,
  /** One Idempotency-Key of POST /v1/checks, per agency. */
  checkIdempotency: (agencyCode: string, key: string) => `IDEMPOTENCY#${agencyCode}#${key}`,
  /** Feedback on a check, in the check's partition: FEEDBACK (latest) and FEEDBACK#<at> (history). */
  feedbackHistory: (at: string) => `FEEDBACK#${at}`,
  /** The personal-data access log, one partition per Asia/Shanghai day. */
  auditDay: (date: string) => `AUDIT#${date}`,
  /** gsi1: per-agency listings, newest last by ISO timestamp. */
  agencyListing: (agencyCode: string, kind: 'JOB' | 'CHECK' | 'ALERT' | 'APIKEY' | 'WATCH') =>
    `AGENCY#${agencyCode}#${kind}`,
  /** gsi2: items by the day something falls due. */
  lateOn: (date: string) => `LATE#${date}`,
  /**
   * gsi2: 双公示 records whose due date waits for a calendar year (timeliness pending-calendar),
   * per year; gsi2sk <firstReceivedDate>#<agency>#<recordId>. The deadlines run re-evaluates them.
   */
  pendingCalendar: (year: number) => `PENDING-CALENDAR#${year}`,
  expiresOn: (date: string) => `EXPIRES#${date}`,
  /**
   * gsi1: court entries whose removal deadline (全部履行 without 移出日期) waits for a calendar year,
   * gsi1sk <removalFrom>#<subject pk>#<entryId>. The deadlines run sets the deadline once the year is known.
   */
  pendingRemoval: 'PENDING-REMOVAL',
  /** Deadlines (issue 5): stored official calendar days, one partition for all years. */
  calendar: 'CALENDAR',
  calendarDay: (date: string) => `DAY#${date}`,
  /** Deadline rule overrides set by the credit office (one item). */
  config: 'CONFIG',
  deadlineRules: 'DEADLINE-RULES',
  /** Periodic reports an agency submitted: sk <kind>#<period>. */
  reportSubmissions: (agencyCode: string) => `SUBMISSION#${agencyCode}`,
  reportSubmission: (kind: string, period: string) => `${kind}#${period}`,
  /** Daily per-agency statistics, one partition per month: sk <date>#<agency>. */
  statsMonth: (month: string) => `STATS#${month}`,
  statsDay: (date: string, agencyCode: string) => `${date}#${agencyCode}`,
  /**
   * gsi1: list entries by list type, sorted by the agency that reported them (gsi1sk
   * <agencyCode>#<subject pk>#<entryId>): entries from agencies the list type does not name.
   */
  listTypeEntries: (listTypeCode: string) => `LIST-TYPE#${listTypeCode}`,
  /** gsi1: 双公示 records by the last day of their display period (公示截止期), for the deadlines run. */
  displayEndsOn: (date: string) => `DISPLAY-ENDS#${date}`,
  /** An objection (异议): its state at sk OBJECTION, its history at sk EVENT#<version> (in order). */
  objection: (objectionId: string) => `OBJECTION#${objectionId}`,
  objectionState: 'OBJECTION',
  objectionEvent: (version: number) => `EVENT#${String(version).padStart(6, '0')}`,
  /** An objection command's first answer, per caller scope and hashed Idempotency-Key. */
  objectionCommand: (scope: string, keyHash: string) => `OBJECTION-CMD#${scope}#${keyHash}`,
  /** gsi1: every objection, sk <source agency>#<receivedAt>#<id> (few a day: one partition). */
  objectionListing: 'OBJECTIONS',
  /** gsi2: open objections by the day their current step is due, sk <due date>#<id>. */
  openObjectionsDue: 'OBJECTION-OPEN',
  /** Published decisions withdrawn from public view through the API on a day: sk <agency>#<dataset>#<recordId>. */
  withdrawalsOn: (date: string) => `WITHDRAWALS#${date}`,
  /** Credit repair: one partition per application (sk CASE, HISTORY#<seq>). */
  repairCase: (applicationNo: string) => `REPAIR#${applicationNo}`,
  repairHistory: (seq: number) => `HISTORY#${String(seq).padStart(6, '0')}`,
  /** The open application of a record (one at a time), removed when the case closes. */
  repairOpenRecord: (subjectKey: string, dataset: string, recordId: string) =>
    `REPAIR-RECORD#${subjectKey}#${dataset}#${recordId}`,
  /** An Idempotency-Key of a repair command and the answer it gave. */
  repairClaim: (scope: string, key: string) => `REPAIR-CMD#${scope}#${key}`,
  /** gsi1: the cases one agency decides; gsi2: every case, newest last by creation time. */
  repairsDecidedBy: (agencyCode: string) => `AGENCY#${agencyCode}#REPAIR`,
  repairs: 'REPAIRS',
} as const;

/** Identifiers other than the subject key that lead to a subject. */
/**
 * NAME leads to name-only list entries (possible hits in checks); ORGNAME leads to every organisation
 * or 个体工商户 by its normalised name, for the public search (never to a natural person).
 */
export type AliasKind = 'ORG' | 'REG' | 'LEGALREP' | 'NAME' | 'ORGNAME' | 'TAX' | 'MASKEDID';

export const ITEM = 'item';
