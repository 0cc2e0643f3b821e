import { type StoredCalendarDay, WorkingCalendar } from './calendar';

export interface CalendarDaySource {
  calendarDays(): Promise<StoredCalendarDay[]>;
}

/** How long a warm function keeps the stored years before reading them again. */
const CACHE_MS = 5 * 60_000;

let cached: { calendar: WorkingCalendar; loadedAt: number; source: CalendarDaySource } | undefined;

/**
 * The working calendar with the credit office's stored years (a few dozen items per year, one
 * query) merged over the package data; cached per container for five minutes.
 */
export async function loadWorkingCalendar(
  source: CalendarDaySource,
  // Monotonic milliseconds: the cache's age, not a business time.
  now = performance.now(),
  options: { fresh?: boolean } = {},
): Promise<WorkingCalendar> {
  if (!options.fresh && cached && cached.source === source && now - cached.loadedAt < CACHE_MS) {
    return cached.calendar;
  }
  const calendar = new WorkingCalendar(await source.calendarDays());
  cached = { calendar, loadedAt: now, source };
  return calendar;
}

/** Forget the cached calendar (after storing a new year). */
export function clearWorkingCalendarCache(): void {
  cached = undefined;
}
