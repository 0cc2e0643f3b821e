import { isShown } from '../matching/screen';
import type { RecordTally, TallyRef } from './record-tally-types';
import {
  isRecordItemInDisplay,
  type RecordCounts,
  type RecordDataset,
  type SubjectDigest,
  selectRecords,
} from './records';

export type { RecordTally, StoredRecordTally, TallyRef } from './record-tally-types';

/** How many of the newest records a tally keeps: room for records leaving display after it was computed. */
export const TALLY_NEWEST = 100;

/**
 * More end days than this and no tally is kept (the check reads the digests): bounds the item far
 * below DynamoDB's 400 KB (a display period of three years has ~1,100 days per dataset).
 */
export const TALLY_MAX_BUCKETS = 5_000;

/** What one partition contributes to a check: exact counts, newest in display, a naming record. */
export interface PartitionRecords {
  readonly counts: RecordCounts;
  readonly newest: SubjectDigest[];
  readonly identity: SubjectDigest | undefined;
}

function recordOf(digest: Record<string, unknown>): Record<string, unknown> {
  return (digest.record ?? {}) as Record<string, unknown>;
}

/** The last day a record in display stays so ('' = no end). */
function lastDayOf(digest: Record<string, unknown>): string {
  const record = recordOf(digest);
  const until = digest.type === 'admin-penalty' ? record.displayUntil : record.validUntil;
  return typeof until === 'string' ? until : '';
}

function refOf(digest: Record<string, unknown>): TallyRef {
  return {
    type: digest.type as RecordDataset,
    recordId: String(digest.recordId),
    decisionDate: String(recordOf(digest).decisionDate ?? ''),
    until: lastDayOf(digest),
  };
}

/** The tally of a partition's digests on `today`; undefined when it would hold too many end days. */
export function tallyOf(digests: readonly SubjectDigest[], today: string): RecordTally | undefined {
  const buckets: Record<RecordDataset, Record<string, number>> = { 'admin-penalty': {}, 'admin-license': {} };
  let bucketCount = 0;
  for (const digest of digests) {
    if (!isRecordItemInDisplay(digest, today)) continue;
    const dataset = buckets[digest.type as RecordDataset];
    const day = lastDayOf(digest);
    if (dataset[day] === undefined) bucketCount += 1;
    dataset[day] = (dataset[day] ?? 0) + 1;
  }
  if (bucketCount > TALLY_MAX_BUCKETS) return undefined;
  const { newest } = selectRecords(digests, today, TALLY_NEWEST);
  const identity = digests.find(isShown);
  return {
    computedOn: today,
    buckets,
    newest: newest.map(refOf),
    ...(identity
      ? { identity: { type: identity.type as RecordDataset, recordId: String(identity.recordId) } }
      : {}),
  };
}

function stillInDisplay(until: string, today: string): boolean {
  return until === '' || until >= today;
}

function countOn(buckets: Readonly<Record<string, number>>, today: string): number {
  let total = 0;
  for (const [until, count] of Object.entries(buckets)) if (stillInDisplay(until, today)) total += count;
  return total;
}

function digestOf(ref: { type: RecordDataset; recordId: string; decisionDate?: string }, subjectKey: string) {
  return {
    subjectKey,
    type: ref.type,
    recordId: ref.recordId,
    record: ref.decisionDate === undefined ? {} : { decisionDate: ref.decisionDate },
  } satisfies SubjectDigest;
}

/**
 * A partition's records on `today` from its tally, or undefined when the tally cannot say: computed
 * for a later day, or too few of its newest records are still in display to fill `limit` (the
 * records it left out might then be among the newest).
 */
export function recordsFromTally(
  tally: RecordTally,
  subjectKey: string,
  today: string,
  limit: number,
): PartitionRecords | undefined {
  if (today < tally.computedOn) return undefined;
  const byDataset = {
    'admin-penalty': countOn(tally.buckets['admin-penalty'], today),
    'admin-license': countOn(tally.buckets['admin-license'], today),
  };
  const total = byDataset['admin-penalty'] + byDataset['admin-license'];
  const current = tally.newest.filter((ref) => stillInDisplay(ref.until, today));
  if (current.length < limit && current.length !== total) return undefined;
  const newest = current.slice(0, limit).map((ref) => digestOf(ref, subjectKey));
  return {
    counts: { total, byDataset },
    newest,
    identity: newest.length === 0 && tally.identity ? digestOf(tally.identity, subjectKey) : undefined,
  };
}
