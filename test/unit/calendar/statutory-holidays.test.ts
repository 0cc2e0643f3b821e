import { describe, expect, it } from 'vitest';
import {
  assembleCalendarYear,
  CalendarMergeUnavailableError,
  CalendarYearIncompleteError,
} from '#lib/calendar/calendar-year';
import { packageYearDays, statutoryHolidays, yearCompleteness } from '#lib/calendar/statutory-holidays';
import { notice2027 } from '#test/support/calendar-fixtures';

describe('Module: statutory-holidays', () => {
  it('resolves the 2024 rule for 2027: 春节 from 除夕 to 初三, 劳动节 two days, lunar and solar-term days', () => {
    // Act
    const year = statutoryHolidays(2027);
    // Assess
    expect(year?.ruleVersion).toBe('order-798');
    expect(year?.source).toMatch(/国务院令第798号/);
    expect(year?.holidays).toEqual([
      { name: '元旦', dates: ['2027-01-01'] },
      { name: '春节', dates: ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08'] },
      { name: '清明节', dates: ['2027-04-05'] },
      { name: '劳动节', dates: ['2027-05-01', '2027-05-02'] },
      { name: '端午节', dates: ['2027-06-09'] },
      { name: '中秋节', dates: ['2027-09-15'] },
      { name: '国庆节', dates: ['2027-10-01', '2027-10-02', '2027-10-03'] },
    ]);
  });

  it('applies the rule in force each year: 2024 has 春节 初一–初三 and one 劳动节 day', () => {
    const year = statutoryHolidays(2024);
    expect(year?.ruleVersion).toBe('order-644');
    expect(year?.holidays.find((holiday) => holiday.name === '春节')?.dates).toEqual([
      '2024-02-10',
      '2024-02-11',
      '2024-02-12',
    ]);
    expect(year?.holidays.find((holiday) => holiday.name === '劳动节')?.dates).toEqual(['2024-05-01']);
  });

  it('agrees with every official notice the package carries from 2014 to 2026', () => {
    for (let year = 2014; year <= 2026; year++) {
      expect(yearCompleteness(year, packageYearDays(year)), String(year)).toMatchObject({ complete: true });
    }
  });

  it('names each statutory holiday a year lacks', () => {
    const completeness = yearCompleteness(2026, [
      { date: '2026-01-01', kind: 'holiday' },
      { date: '2026-10-01', kind: 'holiday' },
    ]);
    expect(completeness.complete).toBe(false);
    expect(!completeness.complete && completeness.missing.map((holiday) => holiday.name)).toEqual([
      '春节',
      '清明节',
      '劳动节',
      '端午节',
      '中秋节',
      '国庆节',
    ]);
  });
});

describe('Function: assembleCalendarYear', () => {
  it('stores a whole notice as it is', () => {
    expect(assembleCalendarYear(2027, notice2027)).toEqual([...notice2027]);
  });

  it('refuses a partial year, naming the missing holidays and their days', () => {
    // Act
    const act = () =>
      assembleCalendarYear(2026, [
        { date: '2026-01-01', kind: 'holiday', name: '元旦' },
        { date: '2026-10-01', kind: 'holiday', name: '国庆节' },
      ]);
    // Assess
    expect(act).toThrow(CalendarYearIncompleteError);
    expect(act).toThrow(/春节 \(2026-02-16, 2026-02-17, 2026-02-18, 2026-02-19\)/);
  });

  it('merges a correction over the package year explicitly, keeping 春节 off', () => {
    // Act
    const days = assembleCalendarYear(
      2026,
      [{ date: '2026-03-02', kind: 'holiday', name: '地方调整' }],
      'merge',
    );
    // Assess
    expect(days).toContainEqual({ date: '2026-03-02', kind: 'holiday', name: '地方调整' });
    expect(days).toContainEqual({ date: '2026-02-17', kind: 'holiday', name: '春节' });
    expect(days).toContainEqual({ date: '2026-02-14', kind: 'workday', name: '春节' });
  });

  it('refuses a merge for a year the package does not carry', () => {
    expect(() => assembleCalendarYear(2027, notice2027, 'merge')).toThrow(CalendarMergeUnavailableError);
  });
});
