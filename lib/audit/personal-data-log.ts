import { toShanghaiDate } from '../calendar/working-days';
import { shortHash } from '../store/items';
import { keys } from '../store/keys';

/**
 * The personal-data access log (查询使用登记): every read of a natural person's data through the API
 * — who (agency, key, roles), when, what subject (masked, plus a stable reference), for what
 * purpose, through which route, and whether the data was shown in full.
 */
export interface PersonalDataAccess {
  readonly at: string;
  readonly agencyCode: string;
  readonly keyId: string;
  readonly roles: readonly string[];
  readonly action: 'check' | 'read-check' | 'read-subject' | 'feedback';
  /** The subject as it may be shown in the log: masked. */
  readonly subject: string;
  /** A hash of the subject key: the same person gives the same reference, without the number. */
  readonly subjectRef: string;
  readonly purpose: string | null;
  readonly fullView: boolean;
  readonly checkId?: string;
}

export function subjectReference(subjectKeyOrCode: string): string {
  return `sub-${shortHash(subjectKeyOrCode)}`;
}

export function auditItem(entry: PersonalDataAccess): Record<string, unknown> & { pk: string; sk: string } {
  const id = shortHash(
    `${entry.at}|${entry.keyId}|${entry.subjectRef}|${entry.action}|${entry.checkId ?? ''}`,
  );
  return {
    pk: keys.auditDay(toShanghaiDate(new Date(entry.at))),
    sk: `${entry.at}#${id}`,
    type: 'audit',
    ...entry,
  };
}

export function entryOfItem(item: Record<string, unknown>): PersonalDataAccess {
  const { pk: _pk, sk: _sk, type: _type, ...entry } = item;
  return entry as unknown as PersonalDataAccess;
}

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
