import type { MatchQueue } from '../aws/match-queue';
import type { ObjectStore } from '../aws/object-store';
import { addCalendarDays, type WorkingCalendar } from '../calendar/calendar';
import { loadWorkingCalendar } from '../calendar/stored-calendar';
import { CalendarYearUnavailableError } from '../calendar/working-days';
import { bucketLayout } from '../platform/resources';
import { toCsv } from '../reports/csv';
import { keys } from '../store/keys';
import type { DailyStats, DeadlineStore } from './deadline-store';
import {
  type DeadlineRules,
  isDoublePublicity,
  previousMonthPeriod,
  quarterlyPeriods,
  resolveRules,
} from './rules';

/** What a run tells each agency about its own overdue items (one event per agency). */
export interface AgencyDeadlineNotice {
  readonly agencyCode: string;
  readonly runDate: string;
  /** Stable per agency and run date: a re-run publishes the same id, so consumers can drop it. */
  readonly noticeId: string;
  readonly items: readonly DeadlineItem[];
}

export interface AgencyNotifier {
  notify(notices: readonly AgencyDeadlineNotice[]): Promise<void>;
}

export interface DeadlinesDependencies {
  readonly store: DeadlineStore;
  readonly objects: ObjectStore;
  readonly matchQueue: MatchQueue;
  readonly notifier: AgencyNotifier;
  /** Agencies known to the platform (the registry); the rules' agencies are always included. */
  readonly agencies?: readonly string[];
}

export type DeadlineItemType =
  | 'late-record'
  | 'no-submission'
  | 'quarterly-report-due'
  | 'quarterly-report-overdue'
  | 'monthly-cases-due'
  | 'monthly-cases-overdue'
  | 'feedback-overdue';

export interface DeadlineItem {
  readonly type: DeadlineItemType;
  readonly agencyCode: string;
  /** Record id, check id, period… */
  readonly reference: string;
  readonly dueDate: string;
  readonly detail: string;
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
  readonly items: readonly DeadlineItem[];
  readonly overdueByType: Readonly<Partial<Record<DeadlineItemType, number>>>;
  readonly expiredListEntries: number;
  /** 双公示 records whose display period ended on the covered day (now hidden, kept for audit). */
  readonly recordsHidden: number;
  readonly rescreensQueued: number;
  readonly agenciesNotified: readonly string[];
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

interface CheckLike {
  checkId: string;
  checkedAt: string;
  hits: { listTypeCode?: string }[];
  matterCode?: string;
  measures: unknown[];
}

/** Reads a stored check item (issue 4's shape) without depending on fields it may not have yet. */
function checkOf(item: Record<string, unknown>): CheckLike {
  const result = (item.result ?? {}) as Record<string, unknown>;
  const request = (result.request ?? {}) as Record<string, unknown>;
  const measures = (result.measures ?? item.measures ?? []) as unknown[];
  return {
    checkId: (result.checkId ?? item.checkId ?? String(item.pk).replace(/^CHECK#/, '')) as string,
    checkedAt: (result.checkedAt ?? item.checkedAt ?? String(item.gsi1sk).split('#')[0]) as string,
    hits: (result.hits ?? []) as { listTypeCode?: string }[],
    ...(request.matterCode ? { matterCode: request.matterCode as string } : {}),
    measures: Array.isArray(measures) ? measures : [],
  };
}

type Mutable<T> = {
  -readonly [K in keyof T]: T[K] extends Readonly<Record<string, infer V>> ? Record<string, V> : T[K];
};

class RunContext {
  readonly items: DeadlineItem[] = [];
  readonly calendarProblems = new Set<string>();
  constructor(
    readonly calendar: WorkingCalendar,
    readonly rules: DeadlineRules,
  ) {}

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
  };
}

/**
 * The daily deadlines run for one date. Everything derives from the run date and the stored data
 * up to the end of the covered day (the day before), so running twice for the same date writes
 * the same report, the same statistics and the same statuses, and enqueues re-screens that change
 * nothing the second time.
 */
export async function runDeadlines(deps: DeadlinesDependencies, runDate: string): Promise<DeadlinesReport> {
  const { store } = deps;
  const coveredDate = addCalendarDays(runDate, -1);
  const covered = shanghaiDayBounds(coveredDate);
  const rules = resolveRules(await store.ruleOverrides());
  const calendar = await loadWorkingCalendar(store);
  const run = new RunContext(calendar, rules);
  const agencies = [...new Set([...(deps.agencies ?? []), ...Object.keys(rules.agencies)])].sort();

  // 1. 双公示 records that arrived late on the covered day.
  const late = await store.byDueDay(keys.lateOn(coveredDate));
  const lateRecords: LateRecordLine[] = late
    .map((item) => {
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
    })
    .sort((a, b) => a.agencyCode.localeCompare(b.agencyCode) || a.recordId.localeCompare(b.recordId));
  const latePerAgency: Record<string, number> = {};
  for (const line of lateRecords) {
    latePerAgency[line.agencyCode] = (latePerAgency[line.agencyCode] ?? 0) + 1;
    run.items.push({
      type: 'late-record',
      agencyCode: line.agencyCode,
      reference: `${line.dataset}/${line.documentNumber}`,
      dueDate: line.dueDate,
      detail: `decided ${line.decisionDate}, received ${shanghaiDateOf(line.receivedAt)}`,
    });
  }

  // 2. List entries whose period of effect ended (validUntil = last day in effect): expired, and
  // their subjects re-screened. A few days back, so a missed run is caught up.
  let expiredListEntries = 0;
  const subjects = new Set<string>();
  for (let back = rules.catchUpDays - 1; back >= 0; back--) {
    const lastDay = addCalendarDays(coveredDate, -back);
    for (const entry of await store.byDueDay(keys.expiresOn(lastDay))) {
      const changed = await store.markExpired(
        entry.pk as string,
        entry.sk as string,
        addCalendarDays(lastDay, 1),
      );
      if (lastDay === coveredDate) expiredListEntries++;
      if (changed || lastDay === coveredDate) subjects.add(entry.subjectKey as string);
    }
  }
  // 3. 双公示 records whose display period ended: hidden from display, kept for audit, re-screened
  // (checks already skip them by date; the status makes it visible in the data).
  let recordsHidden = 0;
  for (let back = rules.catchUpDays - 1; back >= 0; back--) {
    const lastDay = addCalendarDays(coveredDate, -back);
    for (const record of await store.displayEndingOn(lastDay)) {
      const changed = await store.markHidden(
        record.pk as string,
        record.sk as string,
        addCalendarDays(lastDay, 1),
      );
      if (lastDay === coveredDate) recordsHidden++;
      if ((changed || lastDay === coveredDate) && record.subjectKey)
        subjects.add(record.subjectKey as string);
    }
  }
  const rescreens = [...subjects].sort();
  await deps.matchQueue.send(
    rescreens.map((subjectKey) => ({ kind: 'subject-changed', subjectKey, cause: 'expiry' })),
  );

  // 4. Per agency: cadence, periodic reports, owed feedback, and the day's statistics.
  const stats: DailyStats[] = [];
  for (const agencyCode of agencies) {
    const obligation = rules.agencies[agencyCode] ?? {};
    const cadenceDays = obligation.cadenceDays ?? rules.defaultCadenceDays;
    if (cadenceDays) {
      const latest = await store.agencyListing(keys.agencyListing(agencyCode, 'JOB'), '0', covered.to);
      const last = latest
        .map((job) => job.receivedAt as string)
        .sort()
        .at(-1);
      const lastDate = last ? shanghaiDateOf(last) : undefined;
      const dueDate = lastDate ? addCalendarDays(lastDate, cadenceDays) : coveredDate;
      if (!lastDate || dueDate < coveredDate) {
        run.items.push({
          type: 'no-submission',
          agencyCode,
          reference: `cadence-${cadenceDays}d`,
          dueDate,
          detail: lastDate ? `last file received ${lastDate}` : 'no file received yet',
        });
      }
    }
    if (obligation.quarterlyReport) {
      for (const { period, dueDate } of quarterlyPeriods(coveredDate, rules.quarterlyReportBeforeDay)) {
        if (await store.reportSubmission(agencyCode, 'quarterly-report', period)) continue;
        if (coveredDate > dueDate) {
          run.items.push({
            type: 'quarterly-report-overdue',
            agencyCode,
            reference: period,
            dueDate,
            detail: 'not submitted',
          });
        } else if (addCalendarDays(coveredDate, 14) >= dueDate) {
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
    const minimum = obligation.monthlyCaseMinimum ?? 0;
    if (minimum > 0) {
      const { period, dueDate } = previousMonthPeriod(coveredDate, rules.monthlyCasesDueDay);
      const submission = await store.reportSubmission(agencyCode, 'monthly-cases', period);
      const count = submission?.caseCount ?? 0;
      if (!submission || count < minimum) {
        const detail = submission
          ? `${count} cases reported, minimum ${minimum}`
          : `not submitted (minimum ${minimum} cases)`;
        run.items.push({
          type: coveredDate > dueDate ? 'monthly-cases-overdue' : 'monthly-cases-due',
          agencyCode,
          reference: period,
          dueDate,
          detail,
        });
      }
    }

    // Checks: the covered day's statistics, and feedback owed on checks within the window.
    const windowStart = shanghaiDayBounds(addCalendarDays(coveredDate, -rules.feedbackWindowDays)).from;
    const checkItems = await store.agencyListing(
      keys.agencyListing(agencyCode, 'CHECK'),
      windowStart,
      covered.to,
    );
    const day: Mutable<DailyStats> = emptyDailyStats(coveredDate, agencyCode, latePerAgency[agencyCode] ?? 0);
    // The latest feedback of every check with measures, 25 reads in flight at a time.
    const owing = checkItems.map(checkOf).filter((check) => check.measures.length > 0);
    const feedbackById = new Map<string, Record<string, unknown> | undefined>();
    for (let start = 0; start < owing.length; start += 25) {
      const chunk = owing.slice(start, start + 25);
      const found = await Promise.all(chunk.map((check) => store.get(keys.check(check.checkId), 'FEEDBACK')));
      chunk.forEach((check, index) => {
        feedbackById.set(check.checkId, found[index]);
      });
    }
    for (const item of checkItems) {
      const check = checkOf(item);
      const checkDate = shanghaiDateOf(check.checkedAt);
      if (checkDate === coveredDate) {
        day.checks++;
        if (check.hits.length > 0) day.checksWithHits++;
        for (const listType of new Set(check.hits.map((hit) => hit.listTypeCode ?? 'unknown'))) {
          day.hitsByListType[listType] = (day.hitsByListType[listType] ?? 0) + 1;
        }
        const matter = check.matterCode ?? '(none)';
        const byMatter = day.checksByMatter[matter] ?? { checks: 0, withHits: 0 };
        day.checksByMatter[matter] = byMatter;
        byMatter.checks++;
        if (check.hits.length > 0) byMatter.withHits++;
      }
      if (check.measures.length === 0) continue;
      const feedback = feedbackById.get(check.checkId);
      const givenOn = feedback
        ? shanghaiDateOf(String(feedback.givenAt ?? feedback.at ?? feedback.createdAt ?? check.checkedAt))
        : undefined;
      const given = givenOn !== undefined && givenOn <= coveredDate;
      if (checkDate === coveredDate) day.checksWithMeasures++;
      if (given && givenOn === coveredDate) day.feedbackGiven++;
      const dueDate = run.dueAfter(checkDate, rules.feedbackWorkingDays);
      if (!given && dueDate && coveredDate > dueDate) {
        day.feedbackOverdue++;
        run.items.push({
          type: 'feedback-overdue',
          agencyCode,
          reference: check.checkId,
          dueDate,
          detail: `checked ${checkDate}, ${check.measures.length} measure(s) applied, no feedback`,
        });
      }
    }

    for (const job of await store.agencyListing(
      keys.agencyListing(agencyCode, 'JOB'),
      covered.from,
      covered.to,
    )) {
      day.jobs++;
      const counts = (job.counts ?? {}) as Record<string, number>;
      const status = String(job.status ?? '');
      if (status === 'failed' || status === 'rejected') day.jobsFailed++;
      day.rowsAccepted += counts.accepted ?? 0;
      day.rowsRejected += counts.rejected ?? 0;
      if (isDoublePublicity(String(job.dataset))) day.records += counts.accepted ?? 0;
    }
    stats.push(day);
  }

  // Agencies with late records but outside the known list still get their statistics line.
  for (const agencyCode of Object.keys(latePerAgency)) {
    if (agencies.includes(agencyCode)) continue;
    stats.push(emptyDailyStats(coveredDate, agencyCode, latePerAgency[agencyCode] ?? 0));
  }
  const computedAt = `${runDate}T01:30:00+08:00`;
  for (const day of stats) {
    // A late record was also counted among the day's records only if its file arrived that day.
    await store.putDailyStats({ ...day, records: Math.max(day.records, day.late) }, computedAt);
  }

  const items = run.items.sort(
    (a, b) =>
      a.agencyCode.localeCompare(b.agencyCode) ||
      a.type.localeCompare(b.type) ||
      a.reference.localeCompare(b.reference),
  );
  const overdueByType: Partial<Record<DeadlineItemType, number>> = {};
  for (const item of items) overdueByType[item.type] = (overdueByType[item.type] ?? 0) + 1;

  const byAgency = new Map<string, DeadlineItem[]>();
  for (const item of items) byAgency.set(item.agencyCode, [...(byAgency.get(item.agencyCode) ?? []), item]);
  const notices: AgencyDeadlineNotice[] = [...byAgency].map(([agencyCode, agencyItems]) => ({
    agencyCode,
    runDate,
    noticeId: `deadlines-${runDate}-${agencyCode}`,
    items: agencyItems,
  }));
  await deps.notifier.notify(notices);

  const report: DeadlinesReport = {
    reportVersion: 1,
    coveredDate,
    runDate,
    lateRecords,
    latePerAgency,
    items,
    overdueByType,
    expiredListEntries,
    recordsHidden,
    rescreensQueued: rescreens.length,
    agenciesNotified: notices.map((notice) => notice.agencyCode),
    calendarProblems: [...run.calendarProblems].sort(),
    feedback: {
      owed: stats.reduce((total, day) => total + day.checksWithMeasures, 0),
      given: stats.reduce((total, day) => total + day.feedbackGiven, 0),
      overdue: overdueByType['feedback-overdue'] ?? 0,
    },
  };
  await deps.objects.putJson(bucketLayout.deadlinesReportKey(runDate, 'json'), report);
  await deps.objects.putText(
    bucketLayout.deadlinesReportKey(runDate, 'csv'),
    // The late-record columns came first (report version 1); other items fill what applies to them.
    toCsv(
      [
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
      ],
      [
        ...lateRecords.map((line) => [
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
        ...items
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
      ],
    ),
    'text/csv; charset=utf-8',
  );
  return report;
}
