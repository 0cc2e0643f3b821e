import type { StoredCalendarDay } from '#lib/calendar/calendar';
import { keys } from './keys';

/** Where a stored calendar day came from: an ingested `calendar` file or PUT /v1/calendar/years/{year}. */
export interface CalendarDayProvenance {
  readonly agencyCode: string;
  readonly jobId?: string;
  readonly sourceKey?: string;
  readonly storedAt: string;
}

/**
 * The item of one stored calendar day: pk CALENDAR, sk DAY#<date>. The ingest path (a `calendar`
 * file's rows) and the calendar-year store (PUT /v1/calendar/years/{year}) both write it, and
 * lib/aws/deadline-store reads it back; re-submitting a day replaces it.
 */
export function calendarDayItem(
  day: StoredCalendarDay,
  provenance: CalendarDayProvenance,
): { pk: string; sk: string; [attribute: string]: unknown } {
  return {
    pk: keys.calendar,
    sk: keys.calendarDay(day.date),
    type: 'calendar-day',
    date: day.date,
    kind: day.kind,
    ...(day.name ? { name: day.name } : {}),
    agencyCode: provenance.agencyCode,
    ...(provenance.jobId ? { jobId: provenance.jobId } : {}),
    ...(provenance.sourceKey ? { sourceKey: provenance.sourceKey } : {}),
    storedAt: provenance.storedAt,
  };
}

/** The key prefix of one year's stored days (to list or replace a year). */
export function calendarYearPrefix(year: number): { pk: string; skPrefix: string } {
  return { pk: keys.calendar, skPrefix: keys.calendarDay(`${year}-`) };
}
