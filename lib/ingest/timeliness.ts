import { addWorkingDays, CalendarYearUnavailableError } from '../calendar/working-days';
import type { CreditRecord } from '../datasets';

/** 双公示 records are due within 7 working days of the decision (the decision day not counted). */
export const DOUBLE_PUBLICITY_WORKING_DAYS = 7;

export interface Timeliness {
  /** Last day the record could arrive on time; null where the dataset has no deadline or no calendar. */
  readonly dueDate: string | null;
  readonly late: boolean;
  /** Set when the due date could not be computed: the calendar lacks that year. */
  readonly problem?: string;
}

export function assessTimeliness(record: CreditRecord, receivedDate: string): Timeliness {
  if (record.dataset !== 'admin-penalty') return { dueDate: null, late: false };
  try {
    const dueDate = addWorkingDays(record.decisionDate, DOUBLE_PUBLICITY_WORKING_DAYS);
    return { dueDate, late: receivedDate > dueDate };
  } catch (error) {
    if (error instanceof CalendarYearUnavailableError) {
      return { dueDate: null, late: false, problem: error.message };
    }
    throw error;
  }
}
