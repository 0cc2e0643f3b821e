import type { CreditRecord } from '../datasets';
import { type DueDateResolver, packageDueDates, type Timeliness } from '../deadlines/due-dates';

export type { Timeliness } from '../deadlines/due-dates';
export type { FirstArrival } from './types';

/** The decision date that starts the working-day clock, for the datasets that have one. */
export function decisionDateOf(record: CreditRecord): string | null {
  switch (record.dataset) {
    case 'admin-penalty':
    case 'admin-license':
      return record.decisionDate;
    default:
      return null;
  }
}

/**
 * The record's timeliness on the resolver's calendar and rules (the agency's region override
 * included). A due date in a year without calendar gives `pending-calendar`, never "on time".
 */
export function assessTimeliness(
  record: CreditRecord,
  receivedDate: string,
  agencyCode: string,
  dueDates: DueDateResolver = packageDueDates,
): Timeliness {
  return dueDates.assess(
    { dataset: record.dataset, agencyCode, decisionDate: decisionDateOf(record) },
    receivedDate,
  );
}

/** Timeliness judged again on another (the first) arrival date, the due date unchanged. */
export function rejudgedOn(timeliness: Pick<Timeliness, 'dueDate' | 'timeliness'>, receivedDate: string) {
  if (timeliness.dueDate === null) return { late: false, timeliness: timeliness.timeliness };
  const late = receivedDate > timeliness.dueDate;
  return { late, timeliness: late ? ('late' as const) : ('on-time' as const) };
}
