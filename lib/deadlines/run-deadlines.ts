import { addCalendarDays, type WorkingCalendar } from '../calendar/calendar';
import { CalendarYearUnavailableError } from '../calendar/working-days';
import { matchMessageFor } from '../matching/messages';
import { bucketLayout } from '../platform/resources';
import { toCsv } from '../reports/csv';
import { type DueDateResolver, loadDueDateResolver } from './due-dates';
import { type PendingRemovalSettlement, settlePendingRemovals } from './pending-removals';
import type {
  AgencyNotifier,
  DeadlineStore,
  RepairDeadlineSource,
  ReportWriter,
  SubjectChangedPublisher,
  WorkflowDeadlineSource,
} from './ports';
import { type PendingReevaluation, reevaluatePendingTimeliness } from './reevaluate-pending';
import { type DeadlineRules, isDoublePublicity, previousMonthPeriod, quarterlyPeriods } from './rules';
import type {
  AgencyDeadlineNotice,
  CheckSummary,
  DailyStats,
  DeadlineItem,
  DeadlineItemType,
  EndedLine,
  EndingItem,
  LateRecordLine,
  PublicationCounts,
} from './types';

export type { AgencyNotifier, DeadlineStore } from './ports';
export type {
  AgencyDeadlineNotice,
  DeadlineItem,
  DeadlineItemType,
  LateRecordLine,
} from './types';

export interface DeadlinesDependencies {
  readonly store: DeadlineStore;
  readonly objects: ReportWriter;
  readonly matchQueue: SubjectChangedPublisher;
  readonly notifier: AgencyNotifier;
  /** Agencies known to the platform (the registry); the rules' agencies are always included. */
  readonly agencies?: readonly string[];
  /** Workflows whose overdue steps join the report (objections, withdrawals). */
  readonly workflows?: readonly WorkflowDeadlineSource[];
  /** Credit repair cases (lib/repair); absent = no repair items. */
  readonly repairs?: RepairDeadlineSource;
}

export interface DeadlinesReport {
  readonly reportVersion: 1;
  /** The day the run covers: the day before the scheduled run date, in Asia/Shanghai. */
  readonly coveredDate: string;
  readonly runDate: string;
  readonly lateRecords: readonly LateRecordLine[];
  readonly latePerAgency: Readonly<Record<string, number>>;
  readonly items: readonly DeadlineItem[];
  readonly overdueByType: Readonly<Partial<Record<DeadlineItemType, number>>>;
  readonly expiredListEntries: number;
  /** 双公示 records whose display period ended on the covered day (now hidden, kept for audit). */
  readonly recordsHidden: number;
  /** What the run ended: the list entries it expired and the records it took out of display. */
  readonly ended: { readonly listEntries: readonly EndedLine[]; readonly displays: readonly EndedLine[] };
  readonly rescreensQueued: number;
  readonly agenciesNotified: readonly string[];
  /**
   * 双公示 records whose lateness waited for a calendar year now known, decided by this run (late
   * ones are also among `items` as late-record); `limitReached` when more wait for the next run.
   */
  readonly pendingCalendar: PendingReevaluation;
  /**
   * Court entries (全部履行 without 移出日期) whose removal deadline waited for a calendar year now
   * known: the deadline set by this run, and the entries it already ended.
   */
  readonly courtRemovals: Omit<PendingRemovalSettlement, 'endedSubjects'>;
  /** Deadlines that could not be computed: a year without calendar data (alarmed). */
  readonly calendarProblems: readonly string[];
  /** The covered day, all agencies: checks with measures applied (feedback owed), feedback given, overdue now. */
  readonly feedback: { readonly owed: number; readonly given: number; readonly overdue: number };
}

/** Half-open bounds, as ISO instants, of a day in Asia/Shanghai (UTC+8, no daylight saving). */
function shanghaiDayBounds(date: string): { from: string; to: string } {
  const start = Date.parse(`${date}T00:00:00+08:00`);
  return { from: new Date(start).toISOString(), to: new Date(start + 86_400_000 - 1).toISOString() };
}

function shanghaiDateOf(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
}

type Mutable<T> = {
  -readonly [K in keyof T]: T[K] extends Readonly<Record<string, infer V>> ? Record<string, V> : T[K];
};

/** What every step of one run shares: the date, the rules, the calendar, and the items found. */
class RunContext {
  readonly items: DeadlineItem[] = [];
  readonly calendarProblems = new Set<string>();
  /** Subjects to re-screen (expired entries, records out of display). */
  readonly subjects = new Set<string>();
  readonly coveredDate: string;
  readonly covered: { from: string; to: string };
  constructor(
    readonly deps: DeadlinesDependencies,
    readonly runDate: string,
    readonly calendar: WorkingCalendar,
    readonly rules: DeadlineRules,
  ) {
    this.coveredDate = addCalendarDays(runDate, -1);
    this.covered = shanghaiDayBounds(this.coveredDate);
  }

  get store(): DeadlineStore {
    return this.deps.store;
  }

  /** addWorkingDays, recording (not throwing) a missing calendar year: one bad year must not stop the run. */
  dueAfter(from: string, workingDays: number): string | undefined {
    try {
      return this.calendar.addWorkingDays(from, workingDays);
    } catch (error) {
      if (error instanceof CalendarYearUnavailableError) {
        this.calendarProblems.add(error.message);
        return undefined;
      }
      throw error;
    }
  }

  /** The last days in effect the run covers: the covered day and a few before it (a missed run is caught up). */
  catchUpDays(): string[] {
    const days: string[] = [];
    for (let back = this.rules.catchUpDays - 1; back >= 0; back--)
      days.push(addCalendarDays(this.coveredDate, -back));
    return days;
  }
}

/** One agency's statistics for a day before anything is counted (late records are known up front). */
function emptyDailyStats(date: string, agencyCode: string, late: number): Mutable<DailyStats> {
  return {
    date,
    agencyCode,
    records: 0,
    late,
    rowsAccepted: 0,
    rowsRejected: 0,
    jobs: 0,
    jobsFailed: 0,
    checks: 0,
    checksWithHits: 0,
    hitsByListType: {},
    checksByMatter: {},
    checksWithMeasures: 0,
    feedbackGiven: 0,
    feedbackOverdue: 0,
    pendingCalendar: 0,
  };
}

/** Step 1: 双公示 records that arrived late on the covered day, one item each. */
async function lateRecords(run: RunContext): Promise<LateRecordLine[]> {
  const lines = (await run.store.lateRecordsReceivedOn(run.coveredDate)).sort(
    (a, b) => a.agencyCode.localeCompare(b.agencyCode) || a.recordId.localeCompare(b.recordId),
  );
  for (const line of lines) {
    run.items.push({
      type: 'late-record',
      agencyCode: line.agencyCode,
      reference: `${line.dataset}/${line.documentNumber}`,
      dueDate: line.dueDate,
      detail: `decided ${line.decisionDate}, received ${shanghaiDateOf(line.receivedAt)}`,
    });
  }
  return lines;
}

/** Step 1b: pending-calendar records of years now known are decided; late ones become items. */
async function reevaluatePending(run: RunContext, dueDates: DueDateResolver): Promise<PendingReevaluation> {
  const result = await reevaluatePendingTimeliness(run.store, dueDates, {
    limit: run.rules.pendingReevaluationLimit,
    countedOn: run.coveredDate,
  });
  for (const line of result.reevaluated) {
    if (!line.late || !line.dueDate) continue;
    run.items.push({
      type: 'late-record',
      agencyCode: line.agencyCode,
      reference: `${line.dataset}/${line.documentNumber}`,
      dueDate: line.dueDate,
      detail: `decided ${line.decisionDate}, received ${shanghaiDateOf(line.receivedAt)}; decided late once the ${line.calendarYear} calendar was known`,
    });
  }
  return result;
}

/** Step 1c: court removal deadlines of years now known are set; entries already past them end. */
async function settleCourtRemovals(
  run: RunContext,
  dueDates: DueDateResolver,
): Promise<DeadlinesReport['courtRemovals']> {
  const { endedSubjects, ...settlement } = await settlePendingRemovals(run.store, dueDates, {
    limit: run.rules.pendingReevaluationLimit,
    coveredDate: run.coveredDate,
  });
  for (const subjectKey of endedSubjects) run.subjects.add(subjectKey);
  return settlement;
}

interface EndedItems {
  /** How many ended on the covered day itself. */
  readonly onCoveredDay: number;
  /** Those ended on the covered day, and those of earlier catch-up days this run changed. */
  readonly lines: EndedLine[];
}

function endedLine(item: EndingItem, lastDay: string): EndedLine {
  return {
    agencyCode: item.agencyCode ?? '',
    dataset: item.dataset ?? '',
    reference: item.reference ?? item.ref.sk,
    lastDay,
  };
}

/** Marks every item ending on one of the catch-up days and notes its subject for re-screening. */
async function endItems(
  run: RunContext,
  ending: (lastDay: string) => Promise<EndingItem[]>,
  mark: (item: EndingItem, on: string) => Promise<boolean>,
): Promise<EndedItems> {
  let onCoveredDay = 0;
  const lines: EndedLine[] = [];
  for (const lastDay of run.catchUpDays()) {
    for (const item of await ending(lastDay)) {
      const changed = await mark(item, addCalendarDays(lastDay, 1));
      if (lastDay === run.coveredDate) onCoveredDay++;
      if (!changed && lastDay !== run.coveredDate) continue;
      if (item.subjectKey) run.subjects.add(item.subjectKey);
      lines.push(endedLine(item, lastDay));
    }
  }
  return { onCoveredDay, lines };
}

/** Step 2: list entries whose period of effect ended (validUntil = last day in effect) are expired. */
function expireListEntries(run: RunContext): Promise<EndedItems> {
  return endItems(
    run,
    (day) => run.store.listEntriesEndingOn(day),
    (entry, on) => run.store.markExpired(entry.ref, on),
  );
}

/**
 * Step 3: 双公示 records whose display period ended are hidden from display, kept for audit (checks
 * already skip them by date; the status makes it visible in the data).
 */
function hideEndedDisplays(run: RunContext): Promise<EndedItems> {
  return endItems(
    run,
    (day) => run.store.displayEndingOn(day),
    (record, on) => run.store.markHidden(record.ref, on),
  );
}

/**
 * Step 4: the changed subjects re-screened (re-screening is idempotent), court entries published
 * with a masked ID among them (their possible matches among the watched persons).
 */
async function queueRescreens(run: RunContext): Promise<number> {
  const rescreens = [...run.subjects]
    .sort()
    .flatMap((subjectKey) => matchMessageFor(subjectKey, 'expiry') ?? []);
  await run.deps.matchQueue.send(rescreens);
  return rescreens.length;
}

/** An agency with no file for longer than its cadence is flagged. */
async function cadenceItems(run: RunContext, agencyCode: string): Promise<void> {
  const cadenceDays = run.rules.agencies[agencyCode]?.cadenceDays ?? run.rules.defaultCadenceDays;
  if (!cadenceDays) return;
  const last = await run.store.latestJobReceivedAt(agencyCode, run.covered.to);
  const lastDate = last ? shanghaiDateOf(last) : undefined;
  const dueDate = lastDate ? addCalendarDays(lastDate, cadenceDays) : run.coveredDate;
  if (lastDate && dueDate >= run.coveredDate) return;
  run.items.push({
    type: 'no-submission',
    agencyCode,
    reference: `cadence-${cadenceDays}d`,
    dueDate,
    detail: lastDate ? `last file received ${lastDate}` : 'no file received yet',
  });
}

/** Quarterly reports not submitted: overdue after their day, due within the 14 days before. */
async function quarterlyReportItems(run: RunContext, agencyCode: string): Promise<void> {
  if (!run.rules.agencies[agencyCode]?.quarterlyReport) return;
  for (const { period, dueDate } of quarterlyPeriods(run.coveredDate, run.rules.quarterlyReportBeforeDay)) {
    if (await run.store.reportSubmission(agencyCode, 'quarterly-report', period)) continue;
    if (run.coveredDate > dueDate) {
      run.items.push({
        type: 'quarterly-report-overdue',
        agencyCode,
        reference: period,
        dueDate,
        detail: 'not submitted',
      });
    } else if (addCalendarDays(run.coveredDate, 14) >= dueDate) {
      run.items.push({
        type: 'quarterly-report-due',
        agencyCode,
        reference: period,
        dueDate,
        detail: 'due within 14 days',
      });
    }
  }
}

/** Last month's case report, missing or below the agency's minimum. */
async function monthlyCaseItems(run: RunContext, agencyCode: string): Promise<void> {
  const minimum = run.rules.agencies[agencyCode]?.monthlyCaseMinimum ?? 0;
  if (minimum <= 0) return;
  const { period, dueDate } = previousMonthPeriod(run.coveredDate, run.rules.monthlyCasesDueDay);
  const submission = await run.store.reportSubmission(agencyCode, 'monthly-cases', period);
  const count = submission?.caseCount ?? 0;
  if (submission && count >= minimum) return;
  run.items.push({
    type: run.coveredDate > dueDate ? 'monthly-cases-overdue' : 'monthly-cases-due',
    agencyCode,
    reference: period,
    dueDate,
    detail: submission
      ? `${count} cases reported, minimum ${minimum}`
      : `not submitted (minimum ${minimum} cases)`,
  });
}

/** The latest feedback of every check with measures, 25 reads in flight at a time. */
async function feedbackOf(
  run: RunContext,
  checks: readonly CheckSummary[],
): Promise<Map<string, { givenAt?: string } | undefined>> {
  const owing = checks.filter((check) => check.measureCount > 0);
  const feedbackById = new Map<string, { givenAt?: string } | undefined>();
  for (let start = 0; start < owing.length; start += 25) {
    const chunk = owing.slice(start, start + 25);
    const found = await Promise.all(chunk.map((check) => run.store.latestFeedback(check.checkId)));
    chunk.forEach((check, index) => {
      feedbackById.set(check.checkId, found[index]);
    });
  }
  return feedbackById;
}

/** A check made on the covered day, in the day's statistics. */
function countCheck(day: Mutable<DailyStats>, check: CheckSummary): void {
  const withHits = check.hitListTypes.length > 0;
  day.checks++;
  if (withHits) day.checksWithHits++;
  for (const listType of new Set(check.hitListTypes.map((code) => code ?? 'unknown'))) {
    day.hitsByListType[listType] = (day.hitsByListType[listType] ?? 0) + 1;
  }
  const matter = check.matterCode ?? '(none)';
  const byMatter = day.checksByMatter[matter] ?? { checks: 0, withHits: 0 };
  day.checksByMatter[matter] = byMatter;
  byMatter.checks++;
  if (withHits) byMatter.withHits++;
}

/** Feedback owed on one check with measures: counted on the covered day, an item once it is overdue. */
function feedbackOwed(
  run: RunContext,
  agencyCode: string,
  day: Mutable<DailyStats>,
  check: CheckSummary,
  feedback: { givenAt?: string } | undefined,
): void {
  const checkDate = shanghaiDateOf(check.checkedAt);
  const givenOn = feedback ? shanghaiDateOf(feedback.givenAt ?? check.checkedAt) : undefined;
  const given = givenOn !== undefined && givenOn <= run.coveredDate;
  if (checkDate === run.coveredDate) day.checksWithMeasures++;
  if (given && givenOn === run.coveredDate) day.feedbackGiven++;
  const dueDate = run.dueAfter(checkDate, run.rules.feedbackWorkingDays);
  if (given || !dueDate || run.coveredDate <= dueDate) return;
  day.feedbackOverdue++;
  run.items.push({
    type: 'feedback-overdue',
    agencyCode,
    reference: check.checkId,
    dueDate,
    detail: `checked ${checkDate}, ${check.measureCount} measure(s) applied, no feedback`,
  });
}

/** Checks: the covered day's statistics, and feedback owed on checks within the window. */
async function checkStatsAndFeedback(
  run: RunContext,
  agencyCode: string,
  day: Mutable<DailyStats>,
): Promise<void> {
  const windowStart = shanghaiDayBounds(addCalendarDays(run.coveredDate, -run.rules.feedbackWindowDays)).from;
  const checks = await run.store.checksMade(agencyCode, windowStart, run.covered.to);
  const feedbackById = await feedbackOf(run, checks);
  for (const check of checks) {
    if (shanghaiDateOf(check.checkedAt) === run.coveredDate) countCheck(day, check);
    if (check.measureCount > 0) feedbackOwed(run, agencyCode, day, check, feedbackById.get(check.checkId));
  }
}

/** The covered day's files: jobs, failures, rows accepted and rejected, 双公示 records. */
async function jobStats(run: RunContext, agencyCode: string, day: Mutable<DailyStats>): Promise<void> {
  for (const job of await run.store.jobsReceived(agencyCode, run.covered.from, run.covered.to)) {
    day.jobs++;
    if (job.status === 'failed' || job.status === 'rejected') day.jobsFailed++;
    day.rowsAccepted += job.accepted;
    day.rowsRejected += job.rejected;
    if (!isDoublePublicity(job.dataset)) continue;
    day.records += job.accepted;
    day.pendingCalendar = (day.pendingCalendar ?? 0) + (job.pendingCalendar ?? 0);
    if (job.publication) addPublications(day, job.publication);
  }
}

/** A file's first publications and withheld first arrivals, added to its day. */
function addPublications(day: Mutable<DailyStats>, counts: PublicationCounts): void {
  for (const field of publicationFields) day[field] = (day[field] ?? 0) + counts[field];
}

const publicationFields = [
  'publishedOnTime',
  'publishedLate',
  'publishedPendingCalendar',
  'notPublishable',
] as const satisfies readonly (keyof PublicationCounts)[];

/** Step 5: per agency, cadence, periodic reports, owed feedback, and the day's statistics. */
async function agencyObligations(
  run: RunContext,
  agencies: readonly string[],
  latePerAgency: Readonly<Record<string, number>>,
): Promise<DailyStats[]> {
  const stats: DailyStats[] = [];
  for (const agencyCode of agencies) {
    await cadenceItems(run, agencyCode);
    await quarterlyReportItems(run, agencyCode);
    await monthlyCaseItems(run, agencyCode);
    const day = emptyDailyStats(run.coveredDate, agencyCode, latePerAgency[agencyCode] ?? 0);
    await checkStatsAndFeedback(run, agencyCode, day);
    await jobStats(run, agencyCode, day);
    stats.push(day);
  }
  // Agencies with late records but outside the known list still get their statistics line.
  for (const agencyCode of Object.keys(latePerAgency)) {
    if (agencies.includes(agencyCode)) continue;
    stats.push(emptyDailyStats(run.coveredDate, agencyCode, latePerAgency[agencyCode] ?? 0));
  }
  return stats;
}

/** Step 5b: every workflow's steps overdue on the covered day. */
async function workflowItems(run: RunContext): Promise<void> {
  for (const source of run.deps.workflows ?? []) run.items.push(...(await source.overdueOn(run.coveredDate)));
}

/** Step 5c: credit repair cases not accepted, decided or answered in time (the credit office is told). */
async function repairItems(run: RunContext): Promise<void> {
  if (run.deps.repairs) run.items.push(...(await run.deps.repairs.overdueRepairItems(run.coveredDate)));
}

/** Step 6: the daily statistics items, the same on a re-run (computedAt derives from the run date). */
async function writeDailyStats(run: RunContext, stats: readonly DailyStats[]): Promise<void> {
  const computedAt = `${run.runDate}T01:30:00+08:00`;
  for (const day of stats) {
    // A late record was also counted among the day's records only if its file arrived that day.
    await run.store.putDailyStats({ ...day, records: Math.max(day.records, day.late) }, computedAt);
  }
}

/** Step 7: one notice per agency with its own items, ids stable per run date. */
async function notifyAgencies(
  run: RunContext,
  items: readonly DeadlineItem[],
): Promise<AgencyDeadlineNotice[]> {
  const byAgency = new Map<string, DeadlineItem[]>();
  for (const item of items) byAgency.set(item.agencyCode, [...(byAgency.get(item.agencyCode) ?? []), item]);
  const notices = [...byAgency].map(([agencyCode, agencyItems]) => ({
    agencyCode,
    runDate: run.runDate,
    noticeId: `deadlines-${run.runDate}-${agencyCode}`,
    items: agencyItems,
  }));
  await run.deps.notifier.notify(notices);
  return notices;
}

const REPORT_CSV_HEADER = [
  'agencyCode',
  'dataset',
  'recordId',
  'documentNumber',
  'decisionDate',
  'dueDate',
  'receivedAt',
  'type',
  'reference',
  'detail',
] as const;

/** The late-record columns came first (report version 1); other items fill what applies to them. */
function reportCsv(report: DeadlinesReport): string {
  return toCsv(REPORT_CSV_HEADER, [
    ...report.lateRecords.map((line) => [
      line.agencyCode,
      line.dataset,
      line.recordId,
      line.documentNumber,
      line.decisionDate,
      line.dueDate,
      line.receivedAt,
      'late-record',
      `${line.dataset}/${line.documentNumber}`,
      '',
    ]),
    ...report.items
      .filter((item) => item.type !== 'late-record')
      .map((item) => [
        item.agencyCode,
        '',
        '',
        '',
        '',
        item.dueDate,
        '',
        item.type,
        item.reference,
        item.detail,
      ]),
  ]);
}

/** Step 8: the report, JSON and CSV, under the run date. */
async function writeReport(run: RunContext, report: DeadlinesReport): Promise<void> {
  await run.deps.objects.putJson(bucketLayout.deadlinesReportKey(run.runDate, 'json'), report);
  await run.deps.objects.putText(
    bucketLayout.deadlinesReportKey(run.runDate, 'csv'),
    reportCsv(report),
    'text/csv; charset=utf-8',
  );
}

function sortedItems(items: DeadlineItem[]): DeadlineItem[] {
  return items.sort(
    (a, b) =>
      a.agencyCode.localeCompare(b.agencyCode) ||
      a.type.localeCompare(b.type) ||
      a.reference.localeCompare(b.reference),
  );
}

function countByType(items: readonly DeadlineItem[]): Partial<Record<DeadlineItemType, number>> {
  const counts: Partial<Record<DeadlineItemType, number>> = {};
  for (const item of items) counts[item.type] = (counts[item.type] ?? 0) + 1;
  return counts;
}

function countPerAgency(lines: readonly LateRecordLine[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of lines) counts[line.agencyCode] = (counts[line.agencyCode] ?? 0) + 1;
  return counts;
}

/**
 * The daily deadlines run for one date. Everything derives from the run date and the stored data
 * up to the end of the covered day (the day before), so running twice for the same date writes
 * the same report, the same statistics and the same statuses, and enqueues re-screens that change
 * nothing the second time.
 */
export async function runDeadlines(deps: DeadlinesDependencies, runDate: string): Promise<DeadlinesReport> {
  // Read fresh: a calendar year stored since the last run decides the records waiting for it.
  const dueDates = await loadDueDateResolver(deps.store, { fresh: true });
  const rules = dueDates.rules;
  const run = new RunContext(deps, runDate, dueDates.calendar, rules);
  const agencies = [...new Set([...(deps.agencies ?? []), ...Object.keys(rules.agencies)])].sort();

  const late = await lateRecords(run);
  const latePerAgency = countPerAgency(late);
  const pendingCalendar = await reevaluatePending(run, dueDates);
  const courtRemovals = await settleCourtRemovals(run, dueDates);
  const expired = await expireListEntries(run);
  const hidden = await hideEndedDisplays(run);
  const rescreensQueued = await queueRescreens(run);
  const stats = await agencyObligations(run, agencies, latePerAgency);
  await workflowItems(run);
  await repairItems(run);
  await writeDailyStats(run, stats);
  const items = sortedItems(run.items);
  const overdueByType = countByType(items);
  const notices = await notifyAgencies(run, items);

  const report: DeadlinesReport = {
    reportVersion: 1,
    coveredDate: run.coveredDate,
    runDate,
    lateRecords: late,
    latePerAgency,
    items,
    overdueByType,
    expiredListEntries: expired.onCoveredDay,
    recordsHidden: hidden.onCoveredDay,
    ended: { listEntries: expired.lines, displays: hidden.lines },
    rescreensQueued,
    agenciesNotified: notices.map((notice) => notice.agencyCode),
    pendingCalendar,
    courtRemovals,
    calendarProblems: [...run.calendarProblems].sort(),
    feedback: {
      owed: stats.reduce((total, day) => total + day.checksWithMeasures, 0),
      given: stats.reduce((total, day) => total + day.feedbackGiven, 0),
      overdue: overdueByType['feedback-overdue'] ?? 0,
    },
  };
  await writeReport(run, report);
  return report;
}
