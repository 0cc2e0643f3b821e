import { describe, expect, it } from 'vitest';
import {
  defaultRules,
  previousMonthPeriod,
  quarterlyPeriods,
  resolveRules,
  ruleOverridesSchema,
  workingDaysFor,
} from '#lib/deadlines/rules';
import type { DailyStats } from '#lib/deadlines/types';
import { checks, feedback, publication, timeliness } from '#lib/stats/statistics';

describe('Module: deadline rules', () => {
  it('defaults to 7 working days for 双公示 and 10 for other collection', () => {
    expect(workingDaysFor(defaultRules, 'admin-penalty')).toBe(7);
    expect(workingDaysFor(defaultRules, 'admin-license')).toBe(7);
    expect(workingDaysFor(defaultRules, 'list-entry')).toBe(10);
    expect(defaultRules.quarterlyReportBeforeDay).toBe(25);
  });

  it('applies dataset, region and agency overrides over the defaults', () => {
    // Prepare
    const overrides = ruleOverridesSchema.parse({
      datasets: { 'list-entry': { workingDays: 5 } },
      regions: { '440700': { datasets: { 'admin-penalty': { workingDays: 5 } } } },
      agencies: { SCJG: { region: '440700', monthlyCaseMinimum: 2 } },
      feedbackWorkingDays: 15,
    });
    // Act
    const rules = resolveRules(overrides);
    // Assess
    expect(workingDaysFor(rules, 'admin-penalty', 'SCJG')).toBe(5);
    expect(workingDaysFor(rules, 'admin-penalty', 'SWJ')).toBe(7);
    expect(workingDaysFor(rules, 'list-entry')).toBe(5);
    expect(rules.feedbackWorkingDays).toBe(15);
    expect(rules.collectionWorkingDays).toBe(10);
  });

  it('keeps a default cadence for every agency only when one is given', () => {
    expect(resolveRules(ruleOverridesSchema.parse({})).defaultCadenceDays).toBeUndefined();
    expect(resolveRules(ruleOverridesSchema.parse({ defaultCadenceDays: 30 })).defaultCadenceDays).toBe(30);
  });

  it('rejects unknown keys and malformed agency codes in overrides', () => {
    expect(ruleOverridesSchema.safeParse({ workingDays: 3 }).success).toBe(false);
    expect(ruleOverridesSchema.safeParse({ agencies: { scjg: {} } }).success).toBe(false);
  });

  it('puts the quarterly report before the 25th of the quarter’s last month, and the previous quarter too', () => {
    expect(quarterlyPeriods('2026-11-24', 25)).toEqual([
      { period: '2026-Q3', dueDate: '2026-09-24' },
      { period: '2026-Q4', dueDate: '2026-12-24' },
    ]);
    expect(quarterlyPeriods('2027-02-01', 25)[0]).toEqual({ period: '2026-Q4', dueDate: '2026-12-24' });
  });

  it('makes the monthly case report for the previous month due on day N', () => {
    expect(previousMonthPeriod('2026-11-24', 10)).toEqual({ period: '2026-10', dueDate: '2026-11-10' });
    expect(previousMonthPeriod('2027-01-05', 10)).toEqual({ period: '2026-12', dueDate: '2027-01-10' });
  });
});

function day(partial: Partial<DailyStats> & Pick<DailyStats, 'date' | 'agencyCode'>): DailyStats {
  return {
    records: 0,
    late: 0,
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
    ...partial,
  };
}

describe('Module: statistics', () => {
  it('rates timeliness per agency against the 100% target', () => {
    // Prepare
    const days = [
      day({ date: '2026-11-20', agencyCode: 'SWJ', records: 10 }),
      day({ date: '2026-11-20', agencyCode: 'SCJG', records: 3, late: 1 }),
      day({ date: '2026-11-21', agencyCode: 'SCJG', records: 1 }),
    ];
    // Act
    const result = timeliness(days);
    // Assess
    const none = { pendingCalendar: 0, decidedLater: 0, decidedLaterLate: 0 };
    expect(result.agencies).toEqual([
      {
        agencyCode: 'SCJG',
        records: 4,
        onTime: 3,
        late: 1,
        ...none,
        rate: 0.75,
        target: 1,
        meetsTarget: false,
      },
      { agencyCode: 'SWJ', records: 10, onTime: 10, late: 0, ...none, rate: 1, target: 1, meetsTarget: true },
    ]);
    expect(result.total).toEqual({ records: 14, onTime: 13, late: 1, ...none, rate: 0.9286, target: 1 });
  });

  it('rates publication timeliness per agency on the days records became public, withheld ones apart', () => {
    // Prepare
    const days = [
      day({
        date: '2026-11-20',
        agencyCode: 'SCJG',
        publishedOnTime: 3,
        publishedLate: 1,
        notPublishable: 2,
      }),
      day({ date: '2026-11-21', agencyCode: 'SCJG', publishedOnTime: 1, publishedPendingCalendar: 1 }),
      day({ date: '2026-11-21', agencyCode: 'SWJ', notPublishable: 1 }),
    ];
    // Act
    const result = publication(days);
    // Assess
    expect(result.agencies).toEqual([
      {
        agencyCode: 'SCJG',
        published: 6,
        onTime: 4,
        late: 1,
        pendingCalendar: 1,
        notPublishable: 2,
        rate: 0.8,
        target: 1,
        meetsTarget: false,
      },
      {
        agencyCode: 'SWJ',
        published: 0,
        onTime: 0,
        late: 0,
        pendingCalendar: 0,
        notPublishable: 1,
        rate: null,
        target: 1,
        meetsTarget: null,
      },
    ]);
    expect(result.total).toEqual({
      published: 6,
      onTime: 4,
      late: 1,
      pendingCalendar: 1,
      notPublishable: 3,
      rate: 0.8,
      target: 1,
    });
  });

  it('counts records waiting for a calendar year apart: neither on time nor late, out of the rate', () => {
    // Prepare: 4 records on 2026-12-30, 2 of them due in 2027 (no calendar yet); the run of
    // 2027-03-02 decided those 2, one late
    const days = [
      day({ date: '2026-12-30', agencyCode: 'SCJG', records: 4, late: 1, pendingCalendar: 2 }),
      day({ date: '2027-03-01', agencyCode: 'SCJG', pendingReevaluated: 2, pendingReevaluatedLate: 1 }),
    ];
    // Act
    const result = timeliness(days);
    // Assess
    expect(result.agencies[0]).toMatchObject({
      records: 4,
      onTime: 1,
      late: 1,
      pendingCalendar: 2,
      decidedLater: 2,
      decidedLaterLate: 1,
      rate: 0.5,
    });
    expect(result.total).toMatchObject({ onTime: 1, pendingCalendar: 2, rate: 0.5 });
  });

  it('sums checks and hit rates by list type and matter', () => {
    const result = checks([
      day({
        date: '2026-11-20',
        agencyCode: 'SCJG',
        checks: 4,
        checksWithHits: 1,
        hitsByListType: { 'HMD-SW-ZDSSWF': 1 },
        checksByMatter: { M1: { checks: 4, withHits: 1 } },
      }),
      day({
        date: '2026-11-21',
        agencyCode: 'SWJ',
        checks: 6,
        checksWithHits: 2,
        hitsByListType: { 'HMD-SW-ZDSSWF': 2 },
        checksByMatter: { M1: { checks: 6, withHits: 2 } },
      }),
    ]);
    expect(result).toMatchObject({
      checks: 10,
      checksWithHits: 3,
      hitRate: 0.3,
      byListType: [{ listTypeCode: 'HMD-SW-ZDSSWF', checksWithHit: 3, hitRate: 0.3 }],
      byMatter: [{ matterCode: 'M1', checks: 10, withHits: 3, hitRate: 0.3 }],
    });
  });

  it('reports overdue feedback as the latest backlog, not a sum over days', () => {
    const result = feedback([
      day({ date: '2026-11-20', agencyCode: 'SCJG', checksWithMeasures: 2, feedbackOverdue: 3 }),
      day({ date: '2026-11-21', agencyCode: 'SCJG', feedbackGiven: 1, feedbackOverdue: 2 }),
    ]);
    expect(result.agencies).toEqual([
      { agencyCode: 'SCJG', checksWithMeasures: 2, feedbackGiven: 1, overdue: 2 },
    ]);
  });
});
