import { describe, expect, it } from 'vitest';
import type { StoredCalendarDay } from '#lib/calendar/calendar';
import { clearWorkingCalendarCache } from '#lib/calendar/stored-calendar';
import { RecordingNotifier } from '#lib/deadlines/notifier';
import type { DeadlineStore, ReportWriter } from '#lib/deadlines/ports';
import type { DeadlinesReport } from '#lib/deadlines/run-deadlines';
import { runDeadlines } from '#lib/deadlines/run-deadlines';
import type {
  CheckSummary,
  DailyStats,
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
} from '#lib/deadlines/types';
import type { MatchMessage } from '#lib/matching/messages';
import { bucketLayout } from '#lib/platform/resources';
import { notice2027 } from '#test/support/calendar-fixtures';

/** The deadlines store in memory: what the run reads, and the statuses and statistics it writes. */
class InMemoryDeadlineStore implements DeadlineStore {
  overrides: RuleOverrides | undefined;
  readonly late: LateRecordLine[] = [];
  readonly listEntries = new Map<string, (EndingItem & { status?: string; expiredOn?: string })[]>();
  readonly displays = new Map<string, (EndingItem & { hiddenOn?: string })[]>();
  readonly jobs = new Map<string, JobSummary[]>();
  readonly checks = new Map<string, CheckSummary[]>();
  readonly feedback = new Map<string, { givenAt?: string }>();
  readonly submissions: ReportSubmission[] = [];
  readonly stats = new Map<string, DailyStats & { computedAt: string }>();
  calendar: StoredCalendarDay[] = [];
  /** 双公示 records by id, with their timeliness as the table keeps it. */
  readonly records = new Map<string, PendingTimelinessRecord & { settled?: SettledTimeliness }>();

  async calendarDays(): Promise<StoredCalendarDay[]> {
    return this.calendar;
  }
  async pendingTimeliness(year: number, limit: number) {
    return [...this.records.values()]
      .filter((record) => {
        const settled = record.settled;
        const waiting = settled
          ? settled.timeliness === 'pending-calendar' && settled.pendingCalendarYear
          : record.pendingCalendarYear;
        return waiting === year;
      })
      .map((record) => ({
        ...record,
        pendingCalendarYear:
          record.settled?.timeliness === 'pending-calendar'
            ? record.settled.pendingCalendarYear
            : record.pendingCalendarYear,
      }))
      .slice(0, limit);
  }
  async settleTimeliness(record: PendingTimelinessRecord, settled: SettledTimeliness, countedOn: string) {
    const stored = this.records.get(record.recordId);
    const current = stored?.settled;
    const waiting = current
      ? current.timeliness === 'pending-calendar' && current.pendingCalendarYear
      : stored?.pendingCalendarYear;
    if (!stored || waiting !== record.pendingCalendarYear) return false;
    stored.settled = settled;
    if (settled.timeliness === 'pending-calendar') return true;
    const key = `${countedOn}#${record.agencyCode}`;
    const day =
      this.stats.get(key) ??
      ({ date: countedOn, agencyCode: record.agencyCode } as DailyStats & { computedAt: string });
    this.stats.set(key, {
      ...day,
      pendingReevaluated: (day.pendingReevaluated ?? 0) + 1,
      pendingReevaluatedLate: (day.pendingReevaluatedLate ?? 0) + (settled.late ? 1 : 0),
    });
    return true;
  }
  /** Court entries whose removal deadline waits for a calendar year, by sk, with what the run set. */
  readonly removals = new Map<
    string,
    PendingRemoval & { settled?: SettledRemoval; status?: string; expiredOn?: string }
  >();
  async pendingRemovals(limit: number) {
    return [...this.removals.values()].filter((entry) => !entry.settled).slice(0, limit);
  }
  async settleRemoval(entry: PendingRemoval, settled: SettledRemoval) {
    const stored = this.removals.get(entry.ref.sk);
    if (!stored || stored.settled) return false;
    stored.settled = settled;
    return true;
  }
  async ruleOverrides() {
    return this.overrides;
  }
  async lateRecordsReceivedOn(date: string) {
    return this.late.filter((line) => line.receivedAt.startsWith(date));
  }
  async listEntriesEndingOn(date: string) {
    return this.listEntries.get(date) ?? [];
  }
  async displayEndingOn(date: string) {
    return this.displays.get(date) ?? [];
  }
  async markExpired(ref: StoredItemRef, expiredOn: string) {
    const entry =
      [...this.listEntries.values()].flat().find((item) => item.ref.sk === ref.sk) ??
      this.removals.get(ref.sk);
    if (!entry || entry.status === 'expired') return false;
    Object.assign(entry, { status: 'expired', expiredOn });
    return true;
  }
  async markHidden(ref: StoredItemRef, hiddenOn: string) {
    const record = [...this.displays.values()].flat().find((item) => item.ref.sk === ref.sk);
    if (!record || record.hiddenOn) return false;
    record.hiddenOn = hiddenOn;
    return true;
  }
  async latestJobReceivedAt(agencyCode: string, notAfter: string) {
    return (this.jobs.get(agencyCode) ?? [])
      .map((job) => job.receivedAt)
      .filter((at) => at <= notAfter)
      .sort()
      .at(-1);
  }
  async jobsReceived(agencyCode: string, from: string, to: string) {
    return (this.jobs.get(agencyCode) ?? []).filter((job) => job.receivedAt >= from && job.receivedAt <= to);
  }
  async checksMade(agencyCode: string, from: string, to: string) {
    return (this.checks.get(agencyCode) ?? []).filter((c) => c.checkedAt >= from && c.checkedAt <= to);
  }
  async latestFeedback(checkId: string) {
    return this.feedback.get(checkId);
  }
  async reportSubmission(agencyCode: string, kind: ReportSubmission['kind'], period: string) {
    return this.submissions.find(
      (s) => s.agencyCode === agencyCode && s.kind === kind && s.period === period,
    );
  }
  async putDailyStats(stats: DailyStats, computedAt: string) {
    // Like the adapter: the counters settleTimeliness adds are kept.
    const key = `${stats.date}#${stats.agencyCode}`;
    const { pendingReevaluated, pendingReevaluatedLate } = this.stats.get(key) ?? {};
    this.stats.set(key, {
      ...stats,
      computedAt,
      ...(pendingReevaluated !== undefined ? { pendingReevaluated, pendingReevaluatedLate } : {}),
    });
  }
}

class InMemoryReports implements ReportWriter {
  readonly objects = new Map<string, string>();
  async putJson(key: string, value: unknown) {
    this.objects.set(key, JSON.stringify(value));
  }
  async putText(key: string, text: string) {
    this.objects.set(key, text);
  }
}

function world() {
  clearWorkingCalendarCache();
  const store = new InMemoryDeadlineStore();
  const objects = new InMemoryReports();
  const sent: MatchMessage[] = [];
  const notifier = new RecordingNotifier();
  const deps = {
    store,
    objects,
    notifier,
    matchQueue: { send: async (messages: readonly MatchMessage[]) => void sent.push(...messages) },
    agencies: ['SCJG', 'SWJ'],
  };
  return { deps, store, objects, sent, notifier };
}

// Run on 2026-11-25 (Wednesday): the covered day is Tuesday 2026-11-24 (Asia/Shanghai).
const RUN_DATE = '2026-11-25';

describe('Use case: runDeadlines (in-memory ports)', () => {
  it('re-screens a court entry published with a masked ID as a masked subject, and no name-only subject', async () => {
    // Prepare: a court entry of a person published with a masked ID ends, and a name-only entry
    const { deps, store, sent } = world();
    const maskedKey = 'MASKED#4407021975****4129#张三';
    store.listEntries.set('2026-11-24', [
      { ref: { pk: `SUBJECT#${maskedKey}`, sk: 'LIST#COURT-SXBZXR#m' }, subjectKey: maskedKey },
      { ref: { pk: 'SUBJECT#NAME#李四', sk: 'LIST#COURT-SXBZXR#n' }, subjectKey: 'NAME#李四' },
    ]);
    // Act
    await runDeadlines(deps, RUN_DATE);
    // Assess
    expect(sent).toEqual([{ kind: 'masked-subject-changed', subjectKey: maskedKey, cause: 'expiry' }]);
  });

  it('lists late records, expires list entries, hides ended displays and re-screens their subjects', async () => {
    // Prepare
    const { deps, store, sent } = world();
    store.late.push({
      agencyCode: 'SCJG',
      dataset: 'admin-penalty',
      recordId: 'r1',
      documentNumber: '江市监罚〔2026〕1号',
      decisionDate: '2026-11-02',
      dueDate: '2026-11-11',
      receivedAt: '2026-11-24T03:00:00.000Z',
    });
    store.listEntries.set('2026-11-24', [{ ref: { pk: 'S1', sk: 'LIST#1' }, subjectKey: 'USCC#A' }]);
    store.listEntries.set('2026-11-20', [{ ref: { pk: 'S2', sk: 'LIST#2' }, subjectKey: 'USCC#B' }]);
    store.displays.set('2026-11-24', [
      {
        ref: { pk: 'S3', sk: 'RECORD#3' },
        subjectKey: 'USCC#C',
        agencyCode: 'SCJG',
        dataset: 'admin-penalty',
        reference: '江市监罚〔2025〕3号',
      },
    ]);
    // Act
    const report = await runDeadlines(deps, RUN_DATE);
    const again = await runDeadlines(deps, RUN_DATE);
    // Assess
    expect(report.coveredDate).toBe('2026-11-24');
    expect(report.lateRecords).toHaveLength(1);
    expect(report.latePerAgency).toEqual({ SCJG: 1 });
    expect(report.items).toContainEqual({
      type: 'late-record',
      agencyCode: 'SCJG',
      reference: 'admin-penalty/江市监罚〔2026〕1号',
      dueDate: '2026-11-11',
      detail: 'decided 2026-11-02, received 2026-11-24',
    });
    expect(report.expiredListEntries).toBe(1);
    expect(report.recordsHidden).toBe(1);
    // The entry that ended on the 20th is caught up (a missed run): expired the day after it ended.
    expect(store.listEntries.get('2026-11-20')![0]).toMatchObject({
      status: 'expired',
      expiredOn: '2026-11-21',
    });
    expect(sent.map((message) => message.subjectKey).slice(0, 3)).toEqual(['USCC#A', 'USCC#B', 'USCC#C']);
    expect(store.stats.get('2026-11-24#SCJG')).toMatchObject({ late: 1, records: 1 });
    // The report lists what the run ended: the caught-up entry once, the covered day's on every run.
    expect(report.ended.displays).toEqual([
      {
        agencyCode: 'SCJG',
        dataset: 'admin-penalty',
        reference: '江市监罚〔2025〕3号',
        lastDay: '2026-11-24',
      },
    ]);
    expect(report.ended.listEntries.map((line) => [line.reference, line.lastDay])).toEqual([
      ['LIST#2', '2026-11-20'],
      ['LIST#1', '2026-11-24'],
    ]);
    expect(again.ended.listEntries.map((line) => line.reference)).toEqual(['LIST#1']);
  });

  it('flags missing submissions, reports and feedback per agency, and notifies each agency of its own items', async () => {
    // Prepare
    const { deps, store, notifier } = world();
    store.overrides = {
      agencies: { SCJG: { cadenceDays: 7, monthlyCaseMinimum: 2, quarterlyReport: true } },
    };
    store.jobs.set('SCJG', [
      {
        receivedAt: '2026-11-01T02:00:00.000Z',
        dataset: 'admin-penalty',
        status: 'completed',
        accepted: 5,
        rejected: 0,
      },
    ]);
    store.submissions.push({
      agencyCode: 'SCJG',
      kind: 'monthly-cases',
      period: '2026-10',
      caseCount: 1,
      submittedAt: '2026-11-05T00:00:00.000Z',
      submittedBy: 'k',
    });
    store.checks.set('SCJG', [
      {
        checkId: 'c-old',
        checkedAt: '2026-11-02T02:00:00.000Z',
        hitListTypes: ['HMD-SW-ZDSSWF'],
        matterCode: 'M1',
        measureCount: 2,
      },
      { checkId: 'c-today', checkedAt: '2026-11-24T02:00:00.000Z', hitListTypes: [], measureCount: 0 },
    ]);
    // Act
    const report = await runDeadlines(deps, RUN_DATE);
    // Assess
    const types = report.items.filter((item) => item.agencyCode === 'SCJG').map((item) => item.type);
    // Q3's report was due before 25 September; Q4's is not due within 14 days yet.
    expect(types).toEqual([
      'feedback-overdue',
      'monthly-cases-overdue',
      'no-submission',
      'quarterly-report-overdue',
    ]);
    expect(report.items.find((item) => item.type === 'quarterly-report-overdue')).toMatchObject({
      reference: '2026-Q3',
      dueDate: '2026-09-24',
    });
    expect(report.items.find((item) => item.type === 'monthly-cases-overdue')?.detail).toBe(
      '1 cases reported, minimum 2',
    );
    expect(report.items.find((item) => item.type === 'feedback-overdue')).toMatchObject({
      reference: 'c-old',
      dueDate: '2026-11-16',
    });
    expect(report.overdueByType).toEqual({
      'feedback-overdue': 1,
      'monthly-cases-overdue': 1,
      'no-submission': 1,
      'quarterly-report-overdue': 1,
    });
    expect(notifier.sent).toEqual([
      { agencyCode: 'SCJG', runDate: RUN_DATE, noticeId: `deadlines-${RUN_DATE}-SCJG`, items: report.items },
    ]);
    expect(store.stats.get('2026-11-24#SCJG')).toMatchObject({ checks: 1, feedbackOverdue: 1, jobs: 0 });
    expect(store.stats.get('2026-11-24#SWJ')).toMatchObject({ checks: 0, late: 0 });
  });

  it('writes the same report and statistics when run twice for the same date', async () => {
    // Prepare
    const { deps, store, objects } = world();
    store.listEntries.set('2026-11-24', [{ ref: { pk: 'S1', sk: 'LIST#1' }, subjectKey: 'USCC#A' }]);
    const first = await runDeadlines(deps, RUN_DATE);
    const firstStats = JSON.stringify([...store.stats.values()]);
    // Act
    const second = await runDeadlines(deps, RUN_DATE);
    // Assess
    expect(second).toEqual<DeadlinesReport>(first);
    expect(JSON.stringify([...store.stats.values()])).toBe(firstStats);
    expect(objects.objects.get(bucketLayout.deadlinesReportKey(RUN_DATE, 'csv'))).toContain(
      'agencyCode,dataset',
    );
  });

  describe('Step: pending-calendar records', () => {
    const pending = (recordId: string, receivedDate: string): PendingTimelinessRecord => ({
      ref: { pk: `SUBJECT#${recordId}`, sk: `RECORD#admin-penalty#${recordId}` },
      agencyCode: 'SCJG',
      dataset: 'admin-penalty',
      recordId,
      documentNumber: `江市监罚〔2026〕${recordId}号`,
      decisionDate: '2026-12-24',
      receivedAt: `${receivedDate}T02:00:00.000Z`,
      receivedDate,
      pendingCalendarYear: 2027,
    });

    it('leaves them pending while the year has no calendar', async () => {
      // Prepare
      const { deps, store } = world();
      store.records.set('late', pending('late', '2027-03-01'));
      // Act
      const report = await runDeadlines(deps, '2027-03-02');
      // Assess
      expect(report.pendingCalendar).toEqual({ reevaluated: [], limitReached: false });
      expect(store.records.get('late')?.settled).toBeUndefined();
    });

    it('decides them once the credit office stored the year, once, and counts them apart in the statistics', async () => {
      // Prepare: 7 working days after Thu 2026-12-24 on the 2027 notice: 12-25…31, (01-01…03 off), 01-04, 01-05
      const { deps, store } = world();
      store.records.set('late', pending('late', '2027-03-01'));
      store.records.set('ontime', pending('ontime', '2027-01-05'));
      store.calendar = [...notice2027];
      // Act
      const first = await runDeadlines(deps, '2027-03-02');
      const second = await runDeadlines(deps, '2027-03-03');
      // Assess
      expect(first.pendingCalendar.reevaluated).toEqual([
        expect.objectContaining({
          recordId: 'late',
          calendarYear: 2027,
          timeliness: 'late',
          dueDate: '2027-01-05',
          late: true,
        }),
        expect.objectContaining({
          recordId: 'ontime',
          timeliness: 'on-time',
          dueDate: '2027-01-05',
          late: false,
        }),
      ]);
      expect(first.items).toContainEqual({
        type: 'late-record',
        agencyCode: 'SCJG',
        reference: 'admin-penalty/江市监罚〔2026〕late号',
        dueDate: '2027-01-05',
        detail: 'decided 2026-12-24, received 2027-03-01; decided late once the 2027 calendar was known',
      });
      expect(store.stats.get('2027-03-01#SCJG')).toMatchObject({
        pendingReevaluated: 2,
        pendingReevaluatedLate: 1,
      });
      expect(second.pendingCalendar.reevaluated).toEqual([]);
    });

    it('re-evaluates at most the configured number per run and says more are waiting', async () => {
      // Prepare
      const { deps, store } = world();
      store.overrides = { pendingReevaluationLimit: 1 };
      store.records.set('a', pending('a', '2027-03-01'));
      store.records.set('b', pending('b', '2027-03-01'));
      store.calendar = [...notice2027];
      // Act
      const first = await runDeadlines(deps, '2027-03-02');
      const second = await runDeadlines(deps, '2027-03-03');
      // Assess
      expect(first.pendingCalendar).toMatchObject({ limitReached: true, reevaluated: [{ recordId: 'a' }] });
      expect(second.pendingCalendar).toMatchObject({ reevaluated: [{ recordId: 'b' }] });
    });

    it('ignores a stored year that lacks a statutory holiday (the year stays unknown)', async () => {
      // Prepare: only 元旦 and 国庆 stored for 2027
      const { deps, store } = world();
      store.records.set('late', pending('late', '2027-03-01'));
      store.calendar = notice2027.filter((day) => day.name === '元旦' || day.name === '国庆节');
      // Act
      const report = await runDeadlines(deps, '2027-03-02');
      // Assess
      expect(report.pendingCalendar.reevaluated).toEqual([]);
    });
  });

  describe('court entries whose removal deadline waited for a calendar year', () => {
    /** 全部履行 received on `from` without 移出日期; item 1 (no end) unless `validUntil` is given. */
    const performed = (id: string, from: string, validUntil: string | null = null): PendingRemoval => ({
      ref: { pk: `SUBJECT#USCC#${id}`, sk: `LIST#COURT-SXBZXR#${id}` },
      subjectKey: `USCC#${id}`,
      agencyCode: 'ZYFY',
      caseNumber: `（2026）粤0703执${id}号`,
      removalFrom: from,
      workingDays: 3,
      validUntil,
    });

    it('leaves the deadline pending and the entry in effect while the year has no calendar', async () => {
      // Prepare
      const { deps, store, sent } = world();
      store.removals.set('LIST#COURT-SXBZXR#a', performed('a', '2026-12-29'));
      // Act
      const report = await runDeadlines(deps, '2026-12-31');
      // Assess
      expect(report.courtRemovals).toEqual({ settled: [], stillPending: 1, limitReached: false });
      expect(store.removals.get('LIST#COURT-SXBZXR#a')?.settled).toBeUndefined();
      expect(sent).toEqual([]);
    });

    it('sets the deadline once the year is stored, once; an earlier period end stays the last day', async () => {
      // Prepare: from Tue 2026-12-29: 12-30 day 1, 12-31 day 2, (2027-01-01…03 off), 01-04 day 3
      const { deps, store } = world();
      store.removals.set('LIST#COURT-SXBZXR#a', performed('a', '2026-12-29'));
      store.removals.set('LIST#COURT-SXBZXR#b', performed('b', '2026-12-29', '2026-12-31'));
      store.calendar = [...notice2027];
      // Act
      const first = await runDeadlines(deps, '2026-12-31');
      const second = await runDeadlines(deps, '2026-12-31');
      // Assess
      expect(first.courtRemovals.settled).toEqual([
        {
          agencyCode: 'ZYFY',
          caseNumber: '（2026）粤0703执a号',
          removalFrom: '2026-12-29',
          removalDueBy: '2027-01-04',
          validUntil: '2027-01-04',
          ended: false,
        },
        expect.objectContaining({
          caseNumber: '（2026）粤0703执b号',
          validUntil: '2026-12-31',
          ended: false,
        }),
      ]);
      expect(JSON.stringify(first.courtRemovals)).not.toContain('USCC#');
      expect(second.courtRemovals).toEqual({ settled: [], stillPending: 0, limitReached: false });
    });

    it('ends an entry whose deadline passed before the year was stored, and re-screens its subject', async () => {
      // Prepare: the 2027 notice stored only after 2027-01-04 had passed
      const { deps, store, sent } = world();
      store.removals.set('LIST#COURT-SXBZXR#a', performed('a', '2026-12-29'));
      store.calendar = [...notice2027];
      // Act
      const report = await runDeadlines(deps, '2027-01-20');
      // Assess
      expect(report.courtRemovals.settled).toEqual([
        expect.objectContaining({ removalDueBy: '2027-01-04', validUntil: '2027-01-04', ended: true }),
      ]);
      expect(store.removals.get('LIST#COURT-SXBZXR#a')).toMatchObject({
        status: 'expired',
        expiredOn: '2027-01-05',
      });
      expect(sent).toContainEqual({ kind: 'subject-changed', subjectKey: 'USCC#a', cause: 'expiry' });
    });
  });
});
