import { describe, expect, it } from 'vitest';
import { calendarDayItem } from '#lib/aws/items/calendar-items';
import { packageCalendar, WorkingCalendar } from '#lib/calendar/calendar';
import { packageYearDays } from '#lib/calendar/statutory-holidays';
import { CalendarYearUnavailableError } from '#lib/calendar/working-days';
import { calendarSchema } from '#lib/datasets/calendar';
import { validateRow } from '#lib/datasets/schema';
import { notice2027 } from '#test/support/calendar-fixtures';

describe('Class: WorkingCalendar', () => {
  it('counts official 2025 and 2026 dates from the package data, the decision day not counted', () => {
    // Prepare
    const calendar = new WorkingCalendar();
    // Act / Assess
    expect(calendar.addWorkingDays('2025-09-30', 7)).toBe('2025-10-16');
    expect(calendar.addWorkingDays('2026-02-13', 1)).toBe('2026-02-14'); // Saturday worked for 春节 2026
    expect(calendar.sourceOf(2026)).toBe('package');
  });

  it('refuses a year with neither stored nor package data instead of counting Monday to Friday', () => {
    // Prepare
    const calendar = packageCalendar;
    // Act
    const act = () => calendar.addWorkingDays('2026-12-24', 7);
    // Assess
    expect(act).toThrow(CalendarYearUnavailableError);
    expect(act).toThrow(/2027/);
  });

  it('counts a stored year: listed days off skipped, adjusted working Saturday counted, other days Monday–Friday', () => {
    // Prepare
    const calendar = new WorkingCalendar(notice2027);
    // Act
    const acrossNewYear = calendar.addWorkingDays('2026-12-24', 7);
    const acrossSpringFestival = calendar.addWorkingDays('2027-02-04', 2);
    // Assess: 12-25, 28, 29, 30, 31, (01-01 off), 01-04, 01-05
    expect(acrossNewYear).toBe('2027-01-05');
    // 02-05…11 off, 02-12 Friday, 02-13 Saturday worked
    expect(acrossSpringFestival).toBe('2027-02-13');
    expect(calendar.isWorkingDay('2027-02-13')).toBe(true);
    expect(calendar.isWorkingDay('2027-02-14')).toBe(false);
    expect(calendar.sourceOf(2027)).toBe('stored');
    expect(calendar.storedYears).toEqual([2027]);
  });

  it('sets aside a stored year that lacks statutory holidays: 春节 stays off, the package year stands', () => {
    // Prepare: a stored 2026 that only knows 元旦 and 国庆
    const calendar = new WorkingCalendar([
      { date: '2026-01-01', kind: 'holiday' },
      { date: '2026-10-01', kind: 'holiday' },
    ]);
    // Act / Assess: 2026-02-16 (除夕, 春节 in the package) is still a day off
    expect(calendar.isWorkingDay('2026-02-16')).toBe(false);
    expect(calendar.sourceOf(2026)).toBe('package');
    expect(calendar.storedYears).toEqual([]);
    expect(calendar.incompleteStoredYears[0]).toMatchObject({
      year: 2026,
      ruleVersion: 'order-798',
      missing: expect.arrayContaining([
        { name: '春节', dates: ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19'] },
      ]),
    });
  });

  it('sets aside a partial year the package does not carry: the year stays unavailable', () => {
    const calendar = new WorkingCalendar(notice2027.filter((day) => day.name !== '中秋节'));
    expect(() => calendar.addWorkingDays('2027-09-14', 1)).toThrow(CalendarYearUnavailableError);
    expect(calendar.knownYears()).not.toContain(2027);
  });

  it('lets a whole stored year replace the package year (a corrected notice)', () => {
    // Prepare: the package's 2026 with 2026-02-14 (a worked Saturday) corrected to a day off
    const calendar = new WorkingCalendar(
      packageYearDays(2026).map((day) =>
        day.date === '2026-02-14' ? { date: day.date, kind: 'holiday' as const, name: '春节' } : day,
      ),
    );
    // Act / Assess
    expect(packageCalendar.isWorkingDay('2026-02-14')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-14')).toBe(false);
    expect(calendar.sourceOf(2026)).toBe('stored');
  });

  it('counts working days between two dates', () => {
    expect(new WorkingCalendar().workingDaysBetween('2025-09-30', '2025-10-16')).toBe(7);
  });
});

describe('Dataset: calendar', () => {
  const context = { agency: { code: 'XYB', name: '信用办' }, today: '2026-11-24' };

  it('reads 日期, 类型 and 名称 rows in both date forms and Chinese or English kinds', () => {
    // Act
    const holiday = validateRow(calendarSchema, { date: '2027/1/1', kind: '休息日', name: '元旦' }, context);
    const workday = validateRow(calendarSchema, { date: '2027-02-13', kind: 'workday' }, context);
    // Assess
    expect(holiday).toEqual({
      ok: true,
      flags: [],
      value: { dataset: 'calendar', date: '2027-01-01', kind: 'holiday', name: '元旦', agencyCode: 'XYB' },
    });
    expect(workday.ok && workday.value.kind).toBe('workday');
  });

  it('rejects an unknown kind with a precise reason', () => {
    const outcome = validateRow(calendarSchema, { date: '2027-01-01', kind: '放假' }, context);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.issues[0]?.field).toBe('类型');
  });

  it('warns in the file report about a year that lacks statutory holidays, naming them', () => {
    const days = notice2027
      .filter((day) => day.name !== '端午节')
      .map((day) => ({ ...day, dataset: 'calendar' as const, agencyCode: 'XYB' }));
    expect(calendarSchema.fileWarnings?.(days)).toEqual([
      {
        code: 'CALENDAR_YEAR_INCOMPLETE',
        reason: expect.stringContaining('2027 lacks statutory days off under order-798: 端午节 (2027-06-09)'),
      },
    ]);
    expect(
      calendarSchema.fileWarnings?.(
        notice2027.map((day) => ({ ...day, dataset: 'calendar' as const, agencyCode: 'XYB' })),
      ),
    ).toEqual([]);
  });
});

describe('Function: calendarDayItem', () => {
  it('maps a calendar day to the CALENDAR item the stored calendar reads', () => {
    // Act
    const item = calendarDayItem(
      { date: '2027-01-01', kind: 'holiday', name: '元旦' },
      {
        agencyCode: 'XYB',
        jobId: 'job-1',
        sourceKey: 'incoming/XYB/calendar/2027.csv',
        storedAt: '2026-12-01T02:00:00.000Z',
      },
    );
    // Assess
    expect([item]).toEqual([
      {
        pk: 'CALENDAR',
        sk: 'DAY#2027-01-01',
        type: 'calendar-day',
        date: '2027-01-01',
        kind: 'holiday',
        name: '元旦',
        agencyCode: 'XYB',
        jobId: 'job-1',
        sourceKey: 'incoming/XYB/calendar/2027.csv',
        storedAt: '2026-12-01T02:00:00.000Z',
      },
    ]);
  });
});
