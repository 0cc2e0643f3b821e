import { describe, expect, it } from 'vitest';
import {
  addDays,
  addPeriod,
  dayAfter,
  daysInMonth,
  describePeriod,
  InvalidDateError,
  type Period,
  parseIsoDate,
} from '#lib/lifecycle/period';

/** Every day from `first` through `last`. */
function* daysBetween(first: string, last: string): Generator<string> {
  for (let day = first; day <= last; day = dayAfter(day)) yield day;
}

describe('Function: addPeriod (民法典 arts. 201–202)', () => {
  it.each<[string, Period, string]>([
    // Month end: no corresponding day → the month's last day (art. 202).
    ['2024-02-29', { years: 2 }, '2026-02-28'],
    ['2024-02-29', { years: 4 }, '2028-02-29'],
    ['2026-11-30', { months: 3 }, '2027-02-28'],
    ['2024-01-31', { months: 1 }, '2024-02-29'],
    ['2025-01-31', { months: 1 }, '2025-02-28'],
    ['2026-08-31', { months: 1 }, '2026-09-30'],
    // The corresponding day ends the period: the start day is not counted (art. 201).
    ['2026-05-15', { months: 3 }, '2026-08-15'],
    ['2026-05-15', { years: 1 }, '2027-05-15'],
    ['2023-06-01', { years: 3 }, '2026-06-01'],
    // Year end.
    ['2026-12-31', { months: 2 }, '2027-02-28'],
    ['2026-10-31', { months: 3 }, '2027-01-31'],
    ['2026-12-31', { days: 1 }, '2027-01-01'],
    // Days: counting starts the next day, so the n-th day is start + n.
    ['2026-03-02', { days: 30 }, '2026-04-01'],
    ['2024-02-28', { days: 1 }, '2024-02-29'],
    // A period of 0 ends on the start day.
    ['2026-05-15', { days: 0 }, '2026-05-15'],
    ['2026-05-15', { months: 0 }, '2026-05-15'],
  ])('%s + %o ends on %s', (start, period, end) => {
    // Prepare
    const input = { start, period };

    // Act
    const result = addPeriod(input.start, input.period);

    // Assess
    expect(result).toBe(end);
  });

  it('property: n months end on the corresponding day n months on, or that month’s last day', () => {
    // Prepare: every start day of 2023–2025 (leap and common years, every month end)
    const starts = [...daysBetween('2023-01-01', '2025-12-31')];

    // Act and Assess
    for (const start of starts) {
      const from = parseIsoDate(start);
      for (const months of [1, 2, 3, 6, 11, 12, 13, 24, 36]) {
        const end = parseIsoDate(addPeriod(start, { months }));
        const monthIndex = from.year * 12 + from.month - 1 + months;
        expect(end.year * 12 + end.month - 1).toBe(monthIndex);
        expect(end.day).toBe(Math.min(from.day, daysInMonth(end.year, end.month)));
      }
    }
  });

  it('property: n years equal 12n months, and a later start never ends earlier', () => {
    // Prepare
    const starts = [...daysBetween('2023-12-01', '2025-03-31')];

    // Act and Assess
    let previous: Record<number, string> = {};
    for (const start of starts) {
      const ends: Record<number, string> = {};
      for (const years of [1, 2, 3, 5]) {
        ends[years] = addPeriod(start, { years });
        expect(ends[years]).toBe(addPeriod(start, { months: 12 * years }));
        if (previous[years] !== undefined) expect(ends[years] >= previous[years]!).toBe(true);
      }
      previous = ends;
    }
  });

  it('property: n days end exactly n days later, across month and year ends', () => {
    // Prepare
    const starts = [...daysBetween('2024-11-01', '2025-03-31')];

    // Act and Assess
    for (const start of starts) {
      for (const days of [1, 7, 30, 60, 365]) {
        const end = addPeriod(start, { days });
        const elapsed = (Date.parse(end) - Date.parse(start)) / 86_400_000;
        expect(elapsed).toBe(days);
      }
    }
  });

  it('refuses a malformed or unreal date with InvalidDateError', () => {
    // Prepare
    const inputs = ['2026/05/15', '2026-5-15', '2025-02-29', '2026-13-01', ''];

    // Act
    const attempts = inputs.map((input) => () => addPeriod(input, { days: 1 }));

    // Assess
    for (const attempt of attempts) expect(attempt).toThrow(InvalidDateError);
    expect(attempts[2]).toThrow('2025-02-29 is not a real calendar date');
  });

  it('refuses a period with no unit, two units, a fraction or a negative amount', () => {
    // Prepare
    const periods = [{}, { years: 1, months: 2 }, { months: 1.5 }, { days: -1 }] as unknown as Period[];

    // Act
    const attempts = periods.map((period) => () => addPeriod('2026-05-15', period));

    // Assess
    expect(attempts[0]).toThrow('exactly one of years, months or days');
    expect(attempts[1]).toThrow('exactly one of years, months or days');
    expect(attempts[2]).toThrow("a period's months must be a whole number ≥ 0, got 1.5");
    expect(attempts[3]).toThrow("a period's days must be a whole number ≥ 0, got -1");
  });
});

describe('Functions: addDays, dayAfter, describePeriod', () => {
  it('count calendar days both ways and name periods in words', () => {
    // Prepare
    const start = '2026-03-01';

    // Act
    const back = addDays(start, -1);
    const next = dayAfter('2026-12-31');
    const words = [describePeriod({ years: 1 }), describePeriod({ months: 3 }), describePeriod({ days: 0 })];

    // Assess
    expect(back).toBe('2026-02-28');
    expect(next).toBe('2027-01-01');
    expect(words).toEqual(['1 year', '3 months', '0 days']);
  });
});
