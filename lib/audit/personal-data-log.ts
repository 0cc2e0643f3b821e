import type { PersonalDataAccess } from './types';

export type { PersonalDataAccess } from './types';

/** The days (Asia/Shanghai) from..to inclusive; at most `maxDays`. */
export function auditDays(from: string, to: string, maxDays = 31): string[] | { error: string } {
  if (to < from) return { error: `to (${to}) is before from (${from})` };
  const days: string[] = [];
  for (let day = new Date(`${from}T00:00:00Z`); ; day = new Date(day.getTime() + 86_400_000)) {
    const iso = day.toISOString().slice(0, 10);
    if (iso > to) break;
    days.push(iso);
    if (days.length > maxDays) return { error: `at most ${maxDays} days per request` };
  }
  return days;
}

/** The entries of one person (by reference), or all of them when no reference is asked for. */
export function entriesOfSubject(
  entries: readonly PersonalDataAccess[],
  subjectRef: string | undefined,
): PersonalDataAccess[] {
  return subjectRef === undefined ? [...entries] : entries.filter((entry) => entry.subjectRef === subjectRef);
}
