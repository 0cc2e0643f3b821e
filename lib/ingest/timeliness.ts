import { addWorkingDays, CalendarYearUnavailableError } from '../calendar/working-days';
import type { CreditRecord } from '../datasets';

export type { FirstArrival } from './types';

/** 双公示 records are due within 7 working days of the decision (the decision day not counted). */
export const DOUBLE_PUBLICITY_WORKING_DAYS = 7;

export interface Timeliness {
  /** Last day the record could arrive on time; null where the dataset has no deadline or no calendar. */
  readonly dueDate: string | null;
  readonly late: boolean;
  /** Set when the due date could not be computed: the calendar lacks that year. */
  readonly problem?: string;
}

/** The decision date that starts the 7-working-day clock, for the datasets that have one. */
export function decisionDateOf(record: CreditRecord): string | null {
  switch (record.dataset) {
    case 'admin-penalty':
    case 'admin-license':
      return record.decisionDate;
    default:
      return null;
  }
}

export function lateAfter(dueDate: string | null, receivedDate: string): boolean {
  return dueDate !== null && receivedDate > dueDate;
}

export function assessTimeliness(record: CreditRecord, receivedDate: string): Timeliness {
  const decisionDate = decisionDateOf(record);
  if (decisionDate === null) return { dueDate: null, late: false };
  try {
    const dueDate = addWorkingDays(decisionDate, DOUBLE_PUBLICITY_WORKING_DAYS);
    return { dueDate, late: lateAfter(dueDate, receivedDate) };
  } catch (error) {
    if (error instanceof CalendarYearUnavailableError) {
      return { dueDate: null, late: false, problem: error.message };
    }
    throw error;
  }
}
