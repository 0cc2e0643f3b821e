// chinese-days ships a UMD bundle as `main` and an ES bundle as `module`. Node's ESM loader cannot
// see the UMD's named exports, so only the default import works everywhere (Node, vitest, esbuild).
import chineseDays from 'chinese-days';

/**
 * Working days on the official calendar: weekends and statutory holidays are off, adjusted working
 * weekends (调休) are on, as fixed each year by the State Council's notice. The data comes from
 * chinese-days, which reads any year it has no notice for as plain Monday–Friday. Counting a
 * deadline that way would be silently wrong, so every day looked at must be in a year with data.
 *
 * Dates are `YYYY-MM-DD` strings meaning a calendar day in China; use toShanghaiDate to get one
 * from an instant (Lambda runs in UTC).
 */

export class CalendarYearUnavailableError extends Error {
  override name = 'CalendarYearUnavailableError';
  constructor(
    readonly year: number,
    readonly date?: string,
  ) {
    super(
      `Calendar data for year ${year} is not loaded${date ? ` (needed for ${date})` : ''}: the State Council ` +
        `notice on ${year} holidays (国务院办公厅关于${year}年部分节假日安排的通知) must be added — as a \`calendar\` ` +
        `file from the credit office or PUT /v1/calendar/years/${year} — before working days in ${year} can be ` +
        `counted. Package years: ${supportedYears.first}–${supportedYears.last}.`,
    );
  }
}

export class InvalidCalendarDateError extends Error {
  override name = 'InvalidCalendarDateError';
  constructor(
    readonly input: unknown,
    reason: string,
  ) {
    super(`${describeInput(input)} is not a valid date: ${reason}`);
  }
}

function describeInput(input: unknown): string {
  if (typeof input === 'string') return JSON.stringify(input);
  if (input instanceof Date) return 'Date(Invalid Date)';
  return String(input);
}

export class CalendarEnvironmentError extends Error {
  override name = 'CalendarEnvironmentError';
  constructor(readonly timeZone: string) {
    super(
      `chinese-days cannot be trusted in time zone ${timeZone}: it builds its holiday tables by parsing ` +
        'dates as UTC and formatting them in local time, which shifts every holiday by one day west of ' +
        'UTC. Run with TZ=UTC (as Lambda does) or TZ=Asia/Shanghai.',
    );
  }
}

// The package's tables were built with the same parse-as-UTC, format-as-local step that this
// probes; if a plain date string does not come back unchanged, every table entry is off by a day.
const tablesAligned = ['2000-01-01', '2000-07-01'].every(
  (date) => chineseDays.getDayDetail(date).date === date,
);

function assertTablesAligned(): void {
  if (!tablesAligned) {
    throw new CalendarEnvironmentError(
      Intl.DateTimeFormat().resolvedOptions().timeZone ?? String(process.env.TZ),
    );
  }
}

/** A local-midnight Date for the calendar day: chinese-days reads dates with local-time getters. */
function packageDate(year: number, month: number, day: number): Date {
  return new Date(year, month - 1, day);
}

// Jan 1 and Oct 1 are statutory holidays every year, so a year whose notice is loaded has both in
// the package's statutory-holiday table (getHolidaysInRange with includeWeekends = false).
function hasNotice(year: number): boolean {
  return [packageDate(year, 1, 1), packageDate(year, 10, 1)].every(
    (date) => chineseDays.getHolidaysInRange(date, date, false).length === 1,
  );
}

function deriveSupportedYears(): ReadonlySet<number> {
  const years = new Set<number>();
  for (let year = 1949; year <= 2200; year++) if (hasNotice(year)) years.add(year);
  // No year at all means the package's API or data changed shape: fail at start-up, not later.
  if (years.size === 0) throw new Error('chinese-days reports no holiday data for any year');
  return years;
}

const loadedYears = deriveSupportedYears();

/** The years with official holiday data (from chinese-days; 2004–2026 for 1.5.7). */
export const supportedYears: Readonly<{ first: number; last: number }> = Object.freeze({
  first: Math.min(...loadedYears),
  last: Math.max(...loadedYears),
});

export function isSupportedYear(year: number): boolean {
  return loadedYears.has(year);
}

export const DAY_MS = 86_400_000;

/** Parse a strict `YYYY-MM-DD` into a UTC day number (days since the epoch). */
export function parseDay(date: string): number {
  if (typeof date !== 'string') throw new InvalidCalendarDateError(date, 'expected a YYYY-MM-DD string');
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new InvalidCalendarDateError(date, 'expected the form YYYY-MM-DD');
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new InvalidCalendarDateError(date, 'no such calendar day');
  }
  return ms / DAY_MS;
}

export function formatDay(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

function isWorkingDayNumber(dayNumber: number): boolean {
  assertTablesAligned();
  const utc = new Date(dayNumber * DAY_MS);
  const year = utc.getUTCFullYear();
  if (!loadedYears.has(year)) throw new CalendarYearUnavailableError(year, formatDay(dayNumber));
  return chineseDays.isWorkday(packageDate(year, utc.getUTCMonth() + 1, utc.getUTCDate()));
}

/**
 * Whether a `YYYY-MM-DD` day is a working day in China. Throws CalendarYearUnavailableError for a
 * year without data, InvalidCalendarDateError for a malformed date and CalendarEnvironmentError
 * when the process time zone corrupts the package's tables.
 */
export function isWorkingDay(date: string): boolean {
  return isWorkingDayNumber(parseDay(date));
}

/**
 * The day `n` working days after `from`; `from` itself is not counted, whether or not it is a
 * working day (a decision on 2025-09-30 plus 7 gives 2025-10-16). A negative `n` counts backwards;
 * 0 returns `from`. Throws CalendarYearUnavailableError as soon as a day walked lies in a year
 * without data.
 */
export function addWorkingDays(from: string, n: number): string {
  let day = parseDay(from);
  if (!Number.isSafeInteger(n)) throw new RangeError(`addWorkingDays needs a whole number of days, got ${n}`);
  const step = n < 0 ? -1 : 1;
  let remaining = Math.abs(n);
  while (remaining > 0) {
    day += step;
    if (isWorkingDayNumber(day)) remaining--;
  }
  return formatDay(day);
}

const shanghaiDateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar day in China (Asia/Shanghai) of an instant, as `YYYY-MM-DD`. */
export function toShanghaiDate(instant: Date): string {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new InvalidCalendarDateError(instant, 'expected a valid Date instant');
  }
  const parts = shanghaiDateFormat.formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}
