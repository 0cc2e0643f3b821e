import { z } from 'zod';
import { InvalidSubjectCodeError } from '../check/errors';
import type { SubjectReader } from '../check/ports';
import type { SubjectIdentity } from '../datasets';
import { classifySubjectCode, type SubjectCodeCandidate } from '../identifiers/classify';
import { alertSubject, maskSubjectKey } from './alerts';
import { stableDigest } from './ids';
import type { WatchStore } from './ports';
import type { AlertSubject, WatchRecord } from './types';

/**
 * Watches (自动推送): an agency watching a subject for one of its open cases. A watch is opened by a
 * check with a caseRef or by POST /v1/watches, and closed by feedback on the check, by
 * DELETE /v1/watches/{watchId} or by its until-date passing. One watch id (per agency and case) may
 * cover several subject partitions, e.g. a legacy organisation code that leads to two subjects.
 */

/** One id per agency and case: the check and an explicit watch on the same case are one watch. */
export function watchIdFor(agencyCode: string, caseRef: string): string {
  return `wch-${stableDigest(`${agencyCode}|${caseRef}`)}`;
}

export interface WatchInput {
  readonly agencyCode: string;
  readonly watchId: string;
  readonly subjectKey: string;
  readonly caseRef: string;
  readonly openedAt: string;
  readonly openedBy: 'check' | 'request';
  readonly checkId?: string;
  /** Last day (Asia/Shanghai, inclusive) the watch alerts; omitted = until closed. */
  readonly until?: string;
  readonly subject?: SubjectIdentity;
  /** The watched person's name in full, for court entries published with a masked ID (ID# only). */
  readonly personName?: string;
}

/**
 * The name a person's watch compares with court entries published with a masked ID: the one the
 * caller gave, else the one the platform knows for the person. None for other subjects.
 */
export function watchedPersonName(
  subjectKey: string,
  given: string | undefined,
  known: SubjectIdentity | undefined,
): string | undefined {
  if (!subjectKey.startsWith('ID#')) return undefined;
  return given ?? (known?.kind === 'person' ? known.name : undefined);
}

/**
 * One subject partition of a watch, as the domain defines it (the adapter files it in the subject
 * partition, where the match function reads it, and on the agency's watch listing).
 */
export function watchRecord(input: WatchInput): WatchRecord {
  return {
    type: 'watch',
    status: 'open',
    watchId: input.watchId,
    agencyCode: input.agencyCode,
    subjectKey: input.subjectKey,
    caseRef: input.caseRef,
    openedAt: input.openedAt,
    openedBy: input.openedBy,
    ...(input.checkId ? { checkId: input.checkId } : {}),
    ...(input.until ? { until: input.until } : {}),
    subject: alertSubject(input.subjectKey, input.subject),
    ...(input.personName && input.subjectKey.startsWith('ID#') ? { personName: input.personName } : {}),
  };
}

export type WatchStatus = 'open' | 'closed' | 'expired';

/** Open watches alert until their until-date; expired ones are ignored by the match function. */
export function watchStatus(item: Record<string, unknown>, today: string): WatchStatus {
  if (item.status !== 'open') return 'closed';
  if (typeof item.until === 'string' && item.until < today) return 'expired';
  return 'open';
}

export function isWatchActive(item: Record<string, unknown>, today: string): boolean {
  return item.type === 'watch' && watchStatus(item, today) === 'open';
}

export const isoDate = z.iso.date();

export const openWatchRequestSchema = z.object({
  subject: z.object({
    code: z.string().trim().min(1, 'subject.code is required').max(64),
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe(
        "A person's name: court entries published with a masked ID (4407021975****4129) that the ID fits, under this name, alert as possible hits. Default: the name the platform knows for the person",
      ),
  }),
  caseRef: z.string().trim().min(1).max(128),
  until: isoDate.optional().describe('Last day (Asia/Shanghai) the watch alerts; omitted = until closed'),
});
export type OpenWatchRequest = z.infer<typeof openWatchRequestSchema>;

export const watchSchema = z.object({
  watchId: z.string(),
  caseRef: z.string(),
  subject: z.object({ key: z.string(), kind: z.string().optional(), name: z.string().optional() }),
  status: z.enum(['open', 'closed', 'expired']),
  openedAt: z.string(),
  openedBy: z.enum(['check', 'request']),
  checkId: z.string().optional(),
  until: z.string().optional(),
  closedAt: z.string().optional(),
  closedReason: z.string().optional(),
});
export type WatchView = z.infer<typeof watchSchema>;

/** A watch item as the API shows it: the subject masked, the status derived from the until-date. */
export function watchView(item: Record<string, unknown>, today: string): WatchView {
  const text = (name: string) => (typeof item[name] === 'string' ? { [name]: item[name] as string } : {});
  return {
    watchId: item.watchId as string,
    caseRef: (item.caseRef as string | undefined) ?? '',
    subject: (item.subject as AlertSubject | undefined) ?? { key: maskSubjectKey(item.subjectKey as string) },
    status: watchStatus(item, today),
    openedAt: item.openedAt as string,
    openedBy: item.openedBy === 'request' ? 'request' : 'check',
    ...text('checkId'),
    ...text('until'),
    ...text('closedAt'),
    ...text('closedReason'),
  };
}

/** The subject keys a watched code stands for: the code's own partition and those its aliases lead to. */
export async function watchedSubjectKeys(
  store: Pick<SubjectReader, 'subjectKeysForAlias'>,
  code: string,
  today: string,
): Promise<{ value: string; subjectKeys: string[] }> {
  const classified = classifySubjectCode(code, { today });
  if (!classified.ok) {
    throw new InvalidSubjectCodeError(classified.message, 'subject.code', classified.code);
  }
  const keysOf = async (candidate: SubjectCodeCandidate): Promise<string[]> => {
    const value = candidate.result.value;
    switch (candidate.type) {
      case 'uscc':
        return [`USCC#${value}`];
      case 'resident-id':
        return [`ID#${value}`];
      case 'organisation-code':
        return (await store.subjectKeysForAlias('ORG', value)).map((alias) => alias.subjectKey);
      case 'business-registration-number':
        return [
          `REG#${value}`,
          ...(await store.subjectKeysForAlias('REG', value)).map((alias) => alias.subjectKey),
        ];
    }
  };
  const all = (await Promise.all(classified.candidates.map(keysOf))).flat();
  return { value: classified.value, subjectKeys: [...new Set(all)] };
}

export interface CloseWatchOptions {
  readonly closedAt: string;
  /** e.g. 'closed by the agency', 'feedback on check chk-…'. */
  readonly reason: string;
}

/**
 * Closes every subject item of an agency's watch; for DELETE /v1/watches/{id} and for feedback on a
 * check (lib/check: `closeWatch(pushStore, caller.agencyCode, watchIdFor(agency, caseRef), …)`).
 * Returns how many items it closed and how many it found; found = 0 means no such watch.
 */
export async function closeWatch(
  store: WatchStore,
  agencyCode: string,
  watchId: string,
  options: CloseWatchOptions,
): Promise<{ found: number; closed: number }> {
  const items = await store.watchItems(agencyCode, watchId);
  let closed = 0;
  for (const item of items) {
    const watch = { agencyCode, watchId, subjectKey: item.subjectKey as string };
    const done = await store.closeWatchItem(watch, {
      closedAt: options.closedAt,
      closedReason: options.reason,
    });
    if (done) closed += 1;
  }
  return { found: items.length, closed };
}
