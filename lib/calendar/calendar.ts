import { type YearCompleteness, yearCompleteness } from './statutory-holidays';
import type { StoredCalendarDay } from './types';
import {
  CalendarYearUnavailableError,
  DAY_MS,
  formatDay,
  isWorkingDay as isPackageWorkingDay,
  isSupportedYear,
  parseDay,
  supportedYears,
} from './working-days';

export type { CalendarDayKind, StoredCalendarDay } from './types';

/**
 * The official working-day calendar with the years the credit office added itself (an ingested
 * `calendar` file transcribing the State Council notice) merged over the chinese-days data.
 *
 * A stored year replaces the package's year entirely: its listed 休息日 are off, its listed 工作日
 * (adjusted working weekends, 调休) are on, every other day is Monday–Friday. Only a whole year is
 * used: a stored year that does not give every statutory holiday off (lib/calendar/statutory-holidays)
 * is set aside — the package's year, or no year at all, stands — and listed in `incompleteStoredYears`.
 * A year that is neither stored whole nor in the package raises CalendarYearUnavailableError — never
 * a silent Monday–Friday count.
 */

/** Where a working-day answer came from, for the API and the logs. */
export type CalendarSource = 'stored' | 'package';

export class WorkingCalendar {
  readonly #storedYears: ReadonlyMap<number, ReadonlyMap<string, StoredCalendarDay>>;
  readonly #incomplete: readonly Extract<YearCompleteness, { complete: false }>[];

  constructor(storedDays: readonly StoredCalendarDay[] = []) {
    const years = new Map<number, Map<string, StoredCalendarDay>>();
    for (const day of storedDays) {
      parseDay(day.date);
      const year = Number(day.date.slice(0, 4));
      let entries = years.get(year);
      if (!entries) {
        entries = new Map();
        years.set(year, entries);
      }
      entries.set(day.date, day);
    }
    const incomplete: Extract<YearCompleteness, { complete: false }>[] = [];
    for (const [year, days] of years) {
      const completeness = yearCompleteness(year, [...days.values()]);
      if (completeness.complete) continue;
      incomplete.push(completeness);
      years.delete(year);
    }
    this.#storedYears = years;
    this.#incomplete = incomplete.sort((a, b) => a.year - b.year);
  }

  /** Stored years set aside because a statutory holiday is not given off in them. */
  get incompleteStoredYears(): readonly Extract<YearCompleteness, { complete: false }>[] {
    return this.#incomplete;
  }

  /** Years the credit office stored, ascending. */
  get storedYears(): number[] {
    return [...this.#storedYears.keys()].sort((a, b) => a - b);
  }

  /** Every year with a calendar: the package's years and the stored whole years, ascending. */
  knownYears(): number[] {
    const years = new Set(this.#storedYears.keys());
    for (let year = supportedYears.first; year <= supportedYears.last; year++)
      if (isSupportedYear(year)) years.add(year);
    return [...years].sort((a, b) => a - b);
  }

  hasYear(year: number): boolean {
    return this.#storedYears.has(year) || isSupportedYear(year);
  }

  sourceOf(year: number): CalendarSource | undefined {
    if (this.#storedYears.has(year)) return 'stored';
    return isSupportedYear(year) ? 'package' : undefined;
  }

  #isWorkingDayNumber(dayNumber: number): boolean {
    const date = formatDay(dayNumber);
    const year = Number(date.slice(0, 4));
    const stored = this.#storedYears.get(year);
    if (stored) {
      const listed = stored.get(date);
      if (listed) return listed.kind === 'workday';
      const weekday = new Date(dayNumber * DAY_MS).getUTCDay();
      return weekday !== 0 && weekday !== 6;
    }
    if (!isSupportedYear(year)) throw new CalendarYearUnavailableError(year, date);
    return isPackageWorkingDay(date);
  }

  isWorkingDay(date: string): boolean {
    return this.#isWorkingDayNumber(parseDay(date));
  }

  /**
   * The day `n` working days after `from`, `from` itself not counted (2025-09-30 + 7 → 2025-10-16).
   * Throws CalendarYearUnavailableError as soon as a day walked lies in a year without data.
   */
  addWorkingDays(from: string, n: number): string {
    let day = parseDay(from);
    if (!Number.isSafeInteger(n))
      throw new RangeError(`addWorkingDays needs a whole number of days, got ${n}`);
    const step = n < 0 ? -1 : 1;
    let remaining = Math.abs(n);
    while (remaining > 0) {
      day += step;
      if (this.#isWorkingDayNumber(day)) remaining--;
    }
    return formatDay(day);
  }

  /** Working days strictly after `from` up to and including `to` (0 when `to` is not later). */
  workingDaysBetween(from: string, to: string): number {
    const end = parseDay(to);
    let count = 0;
    for (let day = parseDay(from) + 1; day <= end; day++) if (this.#isWorkingDayNumber(day)) count++;
    return count;
  }
}

/** The calendar from the package data alone (what ingestion used before stored years existed). */
export const packageCalendar = new WorkingCalendar();

/** Adds `days` calendar days to a YYYY-MM-DD date. */
export function addCalendarDays(date: string, days: number): string {
  return formatDay(parseDay(date) + days);
}
