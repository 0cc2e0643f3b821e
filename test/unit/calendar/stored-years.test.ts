import { describe, expect, it } from 'vitest';
import { packageCalendar, type StoredCalendarDay, WorkingCalendar } from '../../../lib/calendar/calendar';
import { CalendarYearUnavailableError } from '../../../lib/calendar/working-days';
import { calendarItems, calendarSchema, incompleteYears } from '../../../lib/datasets/calendar';
import { validateRow } from '../../../lib/datasets/schema';

// A 2027 notice as the credit office would transcribe it (illustrative dates: the State Council
// publishes the real one in late 2026). Only its shape matters to these tests.
const notice2027: StoredCalendarDay[] = [
  { date: '2027-01-01', kind: 'holiday', name: '元旦' },
  { date: '2027-02-05', kind: 'holiday', name: '春节' },
  { date: '2027-02-08', kind: 'holiday', name: '春节' },
  { date: '2027-02-09', kind: 'holiday', name: '春节' },
  { date: '2027-02-10', kind: 'holiday', name: '春节' },
  { date: '2027-02-11', kind: 'holiday', name: '春节' },
  { date: '2027-02-13', kind: 'workday', name: '春节调休' },
  { date: '2027-10-01', kind: 'holiday', name: '国庆节' },
];

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
    // 02-05 and 02-08…11 off, 02-12 Friday, 02-13 Saturday worked
    expect(acrossSpringFestival).toBe('2027-02-13');
    expect(calendar.isWorkingDay('2027-02-13')).toBe(true);
    expect(calendar.isWorkingDay('2027-02-14')).toBe(false);
    expect(calendar.sourceOf(2027)).toBe('stored');
    expect(calendar.storedYears).toEqual([2027]);
  });

  it('lets a stored year replace the package year (a corrected notice)', () => {
    // Prepare: a stored 2026 that only knows 元旦 and 国庆
    const calendar = new WorkingCalendar([
      { date: '2026-01-01', kind: 'holiday' },
      { date: '2026-10-01', kind: 'holiday' },
    ]);
    // Act / Assess: 2026-02-16 (春节 in the package) is an ordinary Monday in the stored year
    expect(packageCalendar.isWorkingDay('2026-02-16')).toBe(false);
    expect(calendar.isWorkingDay('2026-02-16')).toBe(true);
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

  it('finds a year whose notice lacks 元旦 or 国庆', () => {
    expect(incompleteYears(notice2027)).toEqual([]);
    expect(incompleteYears([{ date: '2028-01-01', kind: 'holiday' }])).toEqual([2028]);
  });
});

describe('Function: calendarItems', () => {
  it('maps a calendar row to the CALENDAR item the stored calendar reads', () => {
    // Act
    const items = calendarItems(
      { dataset: 'calendar', date: '2027-01-01', kind: 'holiday', name: '元旦', agencyCode: 'XYB' },
      {
        agencyCode: 'XYB',
        jobId: 'job-1',
        sourceKey: 'incoming/XYB/calendar/2027.csv',
        receivedAt: '2026-12-01T02:00:00.000Z',
      },
    );
    // Assess
    expect(items).toEqual([
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
