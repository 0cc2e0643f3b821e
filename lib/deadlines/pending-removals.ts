import { addCalendarDays } from '../calendar/calendar';
import { earliest } from '../lifecycle';
import type { DueDateResolver } from './due-dates';
import type { DeadlineStore } from './ports';
import type { PendingRemoval, SettledRemoval } from './types';

/**
 * Court entries marked 全部履行 without 移出日期 must be removed within N working days of the day
 * the platform received that state. When those days ran into a year without calendar, ingestion
 * left the deadline pending and the entry in effect; once the year is known (stored by the credit
 * office or in the package) the run computes the deadline, and the entry ends on it at the latest.
 * Each entry is settled by a conditional write, so a second or concurrent run settles nothing twice.
 */

/** A settled removal as the run's report shows it (the case, not the subject: the report is shared). */
export interface SettledRemovalLine {
  readonly agencyCode: string;
  readonly caseNumber: string;
  readonly removalFrom: string;
  readonly removalDueBy: string;
  /** The entry's last day in effect now: the removal deadline, or its earlier period end. */
  readonly validUntil: string;
  /** The entry's last day in effect is the run's covered day or before: this run expired it. */
  readonly ended: boolean;
}

export interface PendingRemovalSettlement {
  readonly settled: readonly SettledRemovalLine[];
  /** Subjects of the entries this run expired, to re-screen (not in the report). */
  readonly endedSubjects: readonly string[];
  /** Entries whose deadline still falls in a year without calendar. */
  readonly stillPending: number;
  /** True when the limit stopped the step: more pending entries wait for the next run. */
  readonly limitReached: boolean;
}

/** The deadline and the new last day in effect, or undefined while the count needs an unknown year. */
export function settleRemoval(dueDates: DueDateResolver, entry: PendingRemoval): SettledRemoval | undefined {
  const removalDueBy = dueDates.dueDateOrPending(entry.removalFrom, entry.workingDays);
  if (removalDueBy === null) return undefined;
  return { removalDueBy, validUntil: earliest([removalDueBy, entry.validUntil]) ?? removalDueBy };
}

/**
 * Settles the pending removals whose year is now known. An entry whose new last day in effect is
 * the covered day or earlier is expired here too: the run's expiry step only looks back a few days.
 */
export async function settlePendingRemovals(
  store: Pick<DeadlineStore, 'pendingRemovals' | 'settleRemoval' | 'markExpired'>,
  dueDates: DueDateResolver,
  { limit, coveredDate }: { limit: number; coveredDate: string },
): Promise<PendingRemovalSettlement> {
  const pending = await store.pendingRemovals(limit);
  const settled: SettledRemovalLine[] = [];
  const endedSubjects: string[] = [];
  let stillPending = 0;
  for (const entry of pending) {
    const removal = settleRemoval(dueDates, entry);
    if (!removal) {
      stillPending++;
      continue;
    }
    if (!(await store.settleRemoval(entry, removal))) continue;
    const ended = removal.validUntil <= coveredDate;
    if (ended && (await store.markExpired(entry.ref, addCalendarDays(removal.validUntil, 1))))
      endedSubjects.push(entry.subjectKey);
    const { agencyCode, caseNumber, removalFrom } = entry;
    settled.push({ agencyCode, caseNumber, removalFrom, ...removal, ended });
  }
  return { settled, endedSubjects, stillPending, limitReached: pending.length >= limit };
}
