/**
 * Period arithmetic of the Civil Code (民法典) arts. 201–202, on `YYYY-MM-DD` calendar dates.
 *
 * - Art. 201: the day the period starts is not counted; counting begins the next day.
 * - Art. 202: a period in years or months ends on the corresponding day of the last month; if that
 *   month has no corresponding day, on its last day (2024-02-29 + 2 years → 2026-02-28).
 * - Art. 203 (a last day that is a statutory holiday moves to the next working day) applies to acts
 *   that must be done within a period, not to how long a record is shown, so it is not applied here.
 *
 * The result is the period's LAST day, inclusive: a record displayed for 1 year from 2026-05-15 is
 * shown through 2027-05-15 and gone on 2027-05-16.
 */

/** Exactly one unit: periods in the rules are stated in one unit, and mixing them is ambiguous. */
export type Period =
  | { readonly years: number; readonly months?: never; readonly days?: never }
  | { readonly months: number; readonly years?: never; readonly days?: never }
  | { readonly days: number; readonly years?: never; readonly months?: never };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export class InvalidDateError extends RangeError {
  override name = 'InvalidDateError';
}

interface YearMonthDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Parses a real calendar date in `YYYY-MM-DD` form; throws InvalidDateError otherwise. */
export function parseIsoDate(date: string): YearMonthDay {
  const match = ISO_DATE.exec(date);
  if (!match) throw new InvalidDateError(`"${date}" is not a date in YYYY-MM-DD form`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new InvalidDateError(`${date} is not a real calendar date`);
  }
  return { year, month, day };
}

function format({ year, month, day }: YearMonthDay): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The earliest of some ISO dates, ignoring nulls (none: null). ISO dates sort as strings. */
export function earliest(dates: readonly (string | null)[]): string | null {
  return dates.filter((date): date is string => date !== null).sort()[0] ?? null;
}

/** The date `days` calendar days after (or, if negative, before) `date`. */
export function addDays(date: string, days: number): string {
  const { year, month, day } = parseIsoDate(date);
  return new Date(Date.UTC(year, month - 1, day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The day after `date`: where a period that ends on `date` has stopped. */
export function dayAfter(date: string): string {
  return addDays(date, 1);
}

function periodUnit(period: Period): { unit: 'years' | 'months' | 'days'; amount: number } {
  const given = (['years', 'months', 'days'] as const).filter((unit) => period[unit] !== undefined);
  if (given.length !== 1) {
    throw new RangeError(`a period has exactly one of years, months or days; got ${JSON.stringify(period)}`);
  }
  const unit = given[0]!;
  const amount = period[unit]!;
  if (!Number.isInteger(amount) || amount < 0) {
    throw new RangeError(`a period's ${unit} must be a whole number ≥ 0, got ${amount}`);
  }
  return { unit, amount };
}

/**
 * The last day of a period that starts on `startDate` (not counted, art. 201). A period of 0 ends on
 * the start day itself. Throws InvalidDateError for a malformed date, RangeError for a bad period.
 */
export function addPeriod(startDate: string, period: Period): string {
  const start = parseIsoDate(startDate);
  const { unit, amount } = periodUnit(period);
  // Days: counting from the next day, the n-th day is start + n.
  if (unit === 'days') return addDays(startDate, amount);
  // Years and months: the corresponding day of the last month, or its last day (art. 202).
  const months = unit === 'years' ? amount * 12 : amount;
  const index = start.year * 12 + (start.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return format({ year, month, day: Math.min(start.day, daysInMonth(year, month)) });
}

/** How a period reads in a message: `3 months`, `1 year`. */
export function describePeriod(period: Period): string {
  const { unit, amount } = periodUnit(period);
  const singular = unit.slice(0, -1);
  return `${amount} ${amount === 1 ? singular : unit}`;
}
