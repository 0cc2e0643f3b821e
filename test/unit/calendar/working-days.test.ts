import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  CalendarYearUnavailableError,
  InvalidCalendarDateError,
  isSupportedYear,
  isWorkingDay,
  supportedYears,
  toShanghaiDate,
} from '#lib/calendar/working-days';

// Official dates below are from the State Council notices 国办发明电〔2024〕12号 (2025) and
// 国办发明电〔2025〕7号 (2026).

describe('Constant: supportedYears', () => {
  it('is derived from the chinese-days data: 2004–2026 for 1.5.x', () => {
    // Prepare
    const expected = { first: 2004, last: 2026 };

    // Act
    const years = { ...supportedYears };

    // Assess
    expect(years).toEqual(expected);
    expect(isSupportedYear(2004)).toBe(true);
    expect(isSupportedYear(2026)).toBe(true);
    expect(isSupportedYear(2003)).toBe(false);
    expect(isSupportedYear(2027)).toBe(false);
  });
});

describe('Function: isWorkingDay', () => {
  it.each([
    ['2025-01-01', false, '元旦 (Wednesday)'],
    ['2025-01-26', true, 'Sunday worked for 春节'],
    ['2025-01-28', false, '春节 eve'],
    ['2025-02-04', false, 'last day of 春节'],
    ['2025-02-08', true, 'Saturday worked for 春节'],
    ['2025-04-04', false, '清明 (Friday)'],
    ['2025-04-27', true, 'Sunday worked for 劳动节'],
    ['2025-05-05', false, '劳动节 (Monday)'],
    ['2025-06-02', false, '端午 (Monday)'],
    ['2025-09-28', true, 'Sunday worked for 国庆'],
    ['2025-10-06', false, '中秋 within 国庆'],
    ['2025-10-08', false, 'last day of 国庆 (Wednesday)'],
    ['2025-10-09', true, 'ordinary Thursday'],
    ['2025-10-11', true, 'Saturday worked for 国庆'],
    ['2025-10-18', false, 'ordinary Saturday'],
  ])('2025: %s is a working day: %s (%s)', (date, expected) => {
    // Prepare
    const day = date;

    // Act
    const working = isWorkingDay(day);

    // Assess
    expect(working).toBe(expected);
  });

  it.each([
    ['2026-01-02', false, '元旦 (Friday)'],
    ['2026-01-04', true, 'Sunday worked for 元旦'],
    ['2026-02-14', true, 'Saturday worked for 春节'],
    ['2026-02-16', false, '春节 eve (Monday)'],
    ['2026-02-23', false, 'last day of 春节 (Monday)'],
    ['2026-02-24', true, 'first day back'],
    ['2026-02-28', true, 'Saturday worked for 春节'],
    ['2026-05-05', false, '劳动节 (Tuesday)'],
    ['2026-05-09', true, 'Saturday worked for 劳动节'],
    ['2026-06-19', false, '端午 (Friday)'],
    ['2026-09-20', true, 'Sunday worked for 国庆'],
    ['2026-09-25', false, '中秋 (Friday)'],
    ['2026-10-07', false, 'last day of 国庆 (Wednesday)'],
    ['2026-10-10', true, 'Saturday worked for 国庆'],
  ])('2026: %s is a working day: %s (%s)', (date, expected) => {
    // Prepare
    const day = date;

    // Act
    const working = isWorkingDay(day);

    // Assess
    expect(working).toBe(expected);
  });

  it('throws CalendarYearUnavailableError for a day in 2027 instead of assuming Monday–Friday', () => {
    // Prepare
    const day = '2027-01-04';

    // Act
    let caught: unknown;
    try {
      isWorkingDay(day);
    } catch (error) {
      caught = error;
    }

    // Assess
    expect(caught).toBeInstanceOf(CalendarYearUnavailableError);
    const error = caught as CalendarYearUnavailableError;
    expect(error.name).toBe('CalendarYearUnavailableError');
    expect(error.year).toBe(2027);
    expect(error.date).toBe('2027-01-04');
    expect(error.message).toContain('Calendar data for year 2027 is not loaded');
    expect(error.message).toContain('State Council');
  });

  it('throws CalendarYearUnavailableError for a year before the data starts', () => {
    // Prepare
    const day = '2003-06-02';

    // Act
    const check = () => isWorkingDay(day);

    // Assess
    expect(check).toThrow(CalendarYearUnavailableError);
  });

  it.each(['2025-02-29', '2025/10/01', '20251001', '2025-10-1', ''])(
    'throws InvalidCalendarDateError for %j',
    (day) => {
      // Prepare
      const input = day;

      // Act
      const check = () => isWorkingDay(input);

      // Assess
      expect(check).toThrow(InvalidCalendarDateError);
    },
  );
});

describe('Function: addWorkingDays', () => {
  it('gives 2025-10-16 for 7 working days after a decision on 2025-09-30 (the documented example)', () => {
    // Prepare
    const decided = '2025-09-30';

    // Act
    const due = addWorkingDays(decided, 7);

    // Assess
    expect(due).toBe('2025-10-16');
  });

  it.each([
    ['2025-01-24', 1, '2025-01-26', 'the adjusted Sunday before 春节 counts'],
    ['2025-01-24', 3, '2025-02-05', 'then Monday 01-27, then the holiday is skipped'],
    ['2025-04-30', 1, '2025-05-06', 'across 劳动节'],
    ['2025-12-31', 1, '2026-01-04', 'across 元旦 into the Sunday worked in 2026'],
    ['2026-02-13', 1, '2026-02-14', 'the adjusted Saturday before 春节 counts'],
    ['2026-02-13', 7, '2026-03-02', 'across 春节 2026, counting the adjusted Saturday 02-28'],
    ['2026-09-18', 1, '2026-09-20', 'the adjusted Sunday before 中秋 and 国庆'],
    ['2026-09-30', 7, '2026-10-15', 'across 国庆 2026, counting the adjusted Saturday 10-10'],
    ['2026-10-03', 10, '2026-10-20', 'starting on a holiday: the start day is not counted'],
  ])('from %s plus %i gives %s (%s)', (from, n, expected) => {
    // Prepare
    const start = from;

    // Act
    const due = addWorkingDays(start, n);

    // Assess
    expect(due).toBe(expected);
  });

  it('returns the start day for 0 and counts backwards for a negative number', () => {
    // Prepare
    const holiday = '2025-10-03';

    // Act
    const same = addWorkingDays(holiday, 0);
    const back = addWorkingDays('2025-10-09', -1);

    // Assess
    expect(same).toBe('2025-10-03');
    expect(back).toBe('2025-09-30');
  });

  it('counts to the last day of 2026 without touching 2027', () => {
    // Prepare
    const from = '2026-12-28';

    // Act
    const due = addWorkingDays(from, 3);

    // Assess
    expect(due).toBe('2026-12-31');
  });

  it('throws CalendarYearUnavailableError as soon as the walk reaches 2027', () => {
    // Prepare
    const from = '2026-12-30';

    // Act
    const add = () => addWorkingDays(from, 3);

    // Assess
    expect(add).toThrow(CalendarYearUnavailableError);
    expect(add).toThrow('Calendar data for year 2027 is not loaded (needed for 2027-01-01)');
  });

  it('throws a RangeError for a fractional number of days', () => {
    // Prepare
    const from = '2025-10-09';

    // Act
    const add = () => addWorkingDays(from, 1.5);

    // Assess
    expect(add).toThrow(RangeError);
  });
});

describe('Function: toShanghaiDate', () => {
  it('gives the calendar day in China, eight hours ahead of UTC', () => {
    // Prepare
    const lastMomentOfSeptember = new Date('2025-09-30T15:59:59.999Z');
    const firstMomentOfOctober = new Date('2025-09-30T16:00:00.000Z');

    // Act
    const before = toShanghaiDate(lastMomentOfSeptember);
    const after = toShanghaiDate(firstMomentOfOctober);

    // Assess
    expect(before).toBe('2025-09-30');
    expect(after).toBe('2025-10-01');
  });

  it('throws InvalidCalendarDateError for an invalid Date', () => {
    // Prepare
    const instant = new Date('not a date');

    // Act
    const convert = () => toShanghaiDate(instant);

    // Assess
    expect(convert).toThrow(InvalidCalendarDateError);
  });
});

describe('Module: working-days in a time zone west of UTC', () => {
  it('refuses to count rather than use chinese-days tables shifted by one day', () => {
    // Prepare: the package builds its tables when loaded, so this needs a fresh process.
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const script =
      "import { isWorkingDay } from './lib/calendar/working-days';" +
      "try { isWorkingDay('2025-10-09'); console.log('counted'); } catch (e) { console.log(e.name); }";

    // Act
    const output = execFileSync(`${root}node_modules/.bin/tsx`, ['-e', script], {
      cwd: root,
      env: { ...process.env, TZ: 'America/Los_Angeles' },
      encoding: 'utf8',
    });

    // Assess
    expect(output.trim()).toBe('CalendarEnvironmentError');
  }, 20_000);
});
