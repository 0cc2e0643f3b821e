import {
  describeMissing,
  packageYearDays,
  type StatutoryHoliday,
  yearCompleteness,
} from './statutory-holidays';
import type { StoredCalendarDay } from './types';
import { isSupportedYear } from './working-days';

/**
 * How an uploaded year becomes a stored year. A stored year replaces the package's whole year, so
 * it must be whole:
 * - `whole` (the default): the upload is the entire notice — every statutory holiday off, every 调休;
 * - `merge`: the upload corrects or adds days over the package's own data for that year, and the
 *   merged year is stored (only for a year the package carries).
 * Either way the stored year must give every statutory holiday of its rule version off.
 */
export type CalendarYearMode = 'whole' | 'merge';

export class CalendarYearIncompleteError extends Error {
  override name = 'CalendarYearIncompleteError';
  constructor(
    readonly year: number,
    readonly missing: readonly StatutoryHoliday[],
    reason: string,
  ) {
    super(
      `${reason}. A stored year replaces the package's whole year: give every day-type change of the year, or upload with mode=merge to correct the package's year`,
    );
  }
}

export class CalendarMergeUnavailableError extends Error {
  override name = 'CalendarMergeUnavailableError';
  constructor(readonly year: number) {
    super(`the package has no calendar for ${year} to merge with: upload the whole notice (mode=whole)`);
  }
}

/** The package's year with the uploaded days laid over it (an uploaded day wins over the package's). */
function mergedWithPackage(year: number, days: readonly StoredCalendarDay[]): StoredCalendarDay[] {
  if (!isSupportedYear(year)) throw new CalendarMergeUnavailableError(year);
  const byDate = new Map(packageYearDays(year).map((day) => [day.date, day]));
  for (const day of days) byDate.set(day.date, day);
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * The days to store for `year`: the upload (whole) or the upload merged over the package's year.
 * Throws CalendarYearIncompleteError naming each statutory holiday not given off.
 */
export function assembleCalendarYear(
  year: number,
  days: readonly StoredCalendarDay[],
  mode: CalendarYearMode = 'whole',
): StoredCalendarDay[] {
  const assembled = mode === 'merge' ? mergedWithPackage(year, days) : [...days];
  const completeness = yearCompleteness(year, assembled);
  if (!completeness.complete) {
    throw new CalendarYearIncompleteError(
      year,
      completeness.ruleVersion === null ? [] : completeness.missing,
      describeMissing(completeness),
    );
  }
  return assembled;
}
