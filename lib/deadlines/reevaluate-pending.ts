import type { DueDateResolver } from './due-dates';
import type { DeadlineStore } from './ports';
import type { PendingTimelinessRecord, SettledTimeliness } from './types';

/**
 * Records whose lateness waited for a calendar year are decided once that year is known — the
 * credit office stored it (PUT /v1/calendar/years/{year} or a calendar file) or the package gained
 * it. Every known year's pending partition is read, at most `limit` records per run (the rest wait
 * for the next run, and the report says so). Each record is settled with a conditional write that
 * also counts it in the daily statistics of `countedOn`, atomically: a second run (or a concurrent
 * one) settles and counts nothing twice.
 */

export interface ReevaluatedRecord {
  readonly agencyCode: string;
  readonly dataset: string;
  readonly recordId: string;
  readonly documentNumber: string;
  readonly decisionDate: string;
  readonly receivedAt: string;
  /** The calendar year the record waited for. */
  readonly calendarYear: number;
  readonly timeliness: SettledTimeliness['timeliness'];
  readonly dueDate: string | null;
  readonly late: boolean;
  /** Still pending: the count walks on into this later year without calendar. */
  readonly pendingCalendarYear?: number;
}

export interface PendingReevaluation {
  readonly reevaluated: readonly ReevaluatedRecord[];
  /** True when the limit stopped the step: more pending records of known years wait for the next run. */
  readonly limitReached: boolean;
}

function settle(dueDates: DueDateResolver, record: PendingTimelinessRecord): SettledTimeliness {
  const timeliness = dueDates.assess(
    { dataset: record.dataset, agencyCode: record.agencyCode, decisionDate: record.decisionDate },
    record.receivedDate,
  );
  if (timeliness.timeliness === 'pending-calendar' && timeliness.pendingCalendarYear)
    return { timeliness: 'pending-calendar', pendingCalendarYear: timeliness.pendingCalendarYear };
  return {
    timeliness: timeliness.late ? 'late' : 'on-time',
    dueDate: timeliness.dueDate ?? '',
    late: timeliness.late,
  };
}

function lineOf(record: PendingTimelinessRecord, settled: SettledTimeliness): ReevaluatedRecord {
  const { ref: _ref, pendingCalendarYear, ...rest } = record;
  return settled.timeliness === 'pending-calendar'
    ? {
        ...rest,
        calendarYear: pendingCalendarYear,
        timeliness: settled.timeliness,
        dueDate: null,
        late: false,
        pendingCalendarYear: settled.pendingCalendarYear,
      }
    : {
        ...rest,
        calendarYear: pendingCalendarYear,
        timeliness: settled.timeliness,
        dueDate: settled.dueDate,
        late: settled.late,
      };
}

export async function reevaluatePendingTimeliness(
  store: Pick<DeadlineStore, 'pendingTimeliness' | 'settleTimeliness'>,
  dueDates: DueDateResolver,
  { limit, countedOn }: { limit: number; countedOn: string },
): Promise<PendingReevaluation> {
  const reevaluated: ReevaluatedRecord[] = [];
  for (const year of dueDates.calendar.knownYears()) {
    const budget = limit - reevaluated.length;
    if (budget <= 0) return { reevaluated, limitReached: true };
    for (const record of await store.pendingTimeliness(year, budget)) {
      const settled = settle(dueDates, record);
      if (await store.settleTimeliness(record, settled, countedOn)) reevaluated.push(lineOf(record, settled));
    }
  }
  return { reevaluated, limitReached: reevaluated.length >= limit };
}
