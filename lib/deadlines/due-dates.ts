import { packageCalendar, type WorkingCalendar } from '../calendar/calendar';
import { loadWorkingCalendar } from '../calendar/stored-calendar';
import { CalendarYearUnavailableError } from '../calendar/working-days';
import type { DueDateSource } from './ports';
import { type DeadlineRules, defaultRules, resolveRules, workingDaysFor } from './rules';
import type { TimelinessStatus } from './types';

/**
 * The one due-date resolver: the official calendar (the credit office's stored whole years over the
 * package's years) and the deadline rules (defaults with the stored per-dataset, per-region and
 * per-agency overrides). Ingestion's late flag, the deadlines run's re-evaluation and
 * GET /v1/calendar/due-date all count with it, so they cannot disagree.
 *
 * Day 0 is the decision day: it is not counted, the first working day after it is day 1. The due
 * date is the Nth working day; a record received on it is on time, the day after it is late.
 */

export type { TimelinessStatus } from './types';

export interface Timeliness {
  /** Last day the record could arrive on time; null where there is no deadline or no calendar yet. */
  readonly dueDate: string | null;
  readonly late: boolean;
  /** Absent for datasets without a deadline. */
  readonly timeliness?: TimelinessStatus;
  /** The first year without a calendar the count needed (with `pending-calendar`). */
  readonly pendingCalendarYear?: number;
  /** Working days the rule gives (with a deadline). */
  readonly workingDays?: number;
  /** Why the due date could not be computed. */
  readonly problem?: string;
}

/** What a record's deadline depends on. */
export interface DeadlineSubject {
  readonly dataset: string;
  readonly agencyCode: string;
  /** The decision date that starts the clock; null for datasets without one. */
  readonly decisionDate: string | null;
}

export class DueDateResolver {
  constructor(
    readonly calendar: WorkingCalendar,
    readonly rules: DeadlineRules,
  ) {}

  /** Working days the rules give a dataset for an agency (its region's override first). */
  workingDays(dataset: string, agencyCode?: string): number {
    return workingDaysFor(this.rules, dataset, agencyCode);
  }

  /** The Nth working day after `from`; throws CalendarYearUnavailableError for a year without calendar. */
  dueDate(from: string, workingDays: number): string {
    return this.calendar.addWorkingDays(from, workingDays);
  }

  /** The Nth working day after `from`, or null while that year has no calendar (pending, not overdue). */
  dueDateOrPending(from: string, workingDays: number): string | null {
    try {
      return this.dueDate(from, workingDays);
    } catch (error) {
      if (error instanceof CalendarYearUnavailableError) return null;
      throw error;
    }
  }

  /** Whether a record received on `receivedDate` (its first arrival) was late, on time, or cannot be told yet. */
  assess(subject: DeadlineSubject, receivedDate: string): Timeliness {
    if (subject.decisionDate === null) return { dueDate: null, late: false };
    const workingDays = this.workingDays(subject.dataset, subject.agencyCode);
    try {
      const dueDate = this.dueDate(subject.decisionDate, workingDays);
      const late = receivedDate > dueDate;
      return { dueDate, late, timeliness: late ? 'late' : 'on-time', workingDays };
    } catch (error) {
      if (!(error instanceof CalendarYearUnavailableError)) throw error;
      return {
        dueDate: null,
        late: false,
        timeliness: 'pending-calendar',
        pendingCalendarYear: error.year,
        workingDays,
        problem: error.message,
      };
    }
  }
}

export type { DueDateSource };

/** The resolver from the stored data (the calendar cached per container; `fresh` reads it again). */
export async function loadDueDateResolver(
  source: DueDateSource,
  options: { fresh?: boolean } = {},
): Promise<DueDateResolver> {
  const [calendar, overrides] = await Promise.all([
    loadWorkingCalendar(source, performance.now(), options),
    source.ruleOverrides(),
  ]);
  return new DueDateResolver(calendar, resolveRules(overrides));
}

/** The package calendar with the default rules: for callers with no store (pure tests, tools). */
export const packageDueDates = new DueDateResolver(packageCalendar, defaultRules);
