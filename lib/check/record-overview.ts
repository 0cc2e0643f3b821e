import type { SubjectIdentity } from '../datasets';
import type { RecordRef, RecordTallies, SubjectReader } from './ports';
import { type PartitionRecords, recordsFromTally, tallyOf } from './record-tally';
import {
  newestFirst,
  RECORDS_IN_RESULT,
  type RecordCounts,
  type RecordDataset,
  type RecordSummary,
  recordSummaryOf,
  type SubjectDigest,
  selectRecords,
} from './records';

/** What an overview reads: the subjects' records and their tallies. */
export interface OverviewPorts {
  readonly subjects: Pick<SubjectReader, 'recordDigests' | 'recordItems'>;
  readonly tallies: RecordTallies;
}

function recordOf(item: Record<string, unknown>): Record<string, unknown> {
  return (item.record ?? {}) as Record<string, unknown>;
}

function refOf(digest: SubjectDigest): RecordRef {
  return {
    subjectKey: digest.subjectKey,
    dataset: digest.type as RecordDataset,
    recordId: digest.recordId as string,
  };
}

export interface RecordsOverview {
  readonly counts: RecordCounts;
  /** The newest records in display (at most RECORDS_IN_RESULT), newest first. */
  readonly newest: RecordSummary[];
  /** The subject as its records name it (when a record was read in full). */
  readonly subject: SubjectIdentity | undefined;
}

/**
 * One partition's records in display: from its tally while no record changed since it was computed,
 * else from a (consistent) read of every current record's digest, after which the tally is stored
 * again for the next check — unless a record changed meanwhile.
 */
async function partitionRecords(
  { subjects, tallies }: OverviewPorts,
  subjectKey: string,
  today: string,
  limit: number,
): Promise<PartitionRecords> {
  const { tally, changed } = await tallies.recordTally(subjectKey);
  const current =
    tally && tally.basedOn === changed ? recordsFromTally(tally, subjectKey, today, limit) : undefined;
  if (current) return current;
  const digests = (await subjects.recordDigests(subjectKey, { consistent: true })).map((digest) => ({
    ...digest,
    subjectKey,
  }));
  const fresh = tallyOf(digests, today);
  if (fresh) await tallies.saveRecordTally(subjectKey, fresh, changed);
  return selectRecords(digests, today, limit);
}

/** The partitions' records together: counts added, the newest `limit` of all, the first naming record. */
function merge(parts: readonly PartitionRecords[], limit: number) {
  const byDataset: Record<RecordDataset, number> = { 'admin-penalty': 0, 'admin-license': 0 };
  for (const part of parts) {
    byDataset['admin-penalty'] += part.counts.byDataset['admin-penalty'];
    byDataset['admin-license'] += part.counts.byDataset['admin-license'];
  }
  const newest = parts
    .flatMap((part) => part.newest)
    .sort(newestFirst)
    .slice(0, limit);
  const identity = newest.length === 0 ? parts.find((part) => part.identity)?.identity : undefined;
  const total = byDataset['admin-penalty'] + byDataset['admin-license'];
  return { counts: { total, byDataset }, newest, identity };
}

/**
 * The records in display of some subject partitions without reading them all in full: a tally per
 * partition (or, when it is out of date, digests of every current record — never their versions)
 * gives exact counts and the order; only the newest `limit` are read in full.
 */
export async function recordsOverview(
  ports: OverviewPorts,
  subjectKeys: readonly string[],
  today: string,
  limit = RECORDS_IN_RESULT,
): Promise<RecordsOverview> {
  const parts = await Promise.all(
    subjectKeys.map((subjectKey) => partitionRecords(ports, subjectKey, today, limit)),
  );
  const { counts, newest, identity } = merge(parts, limit);
  const wanted = identity ? [identity] : newest;
  const items = wanted.length > 0 ? await ports.subjects.recordItems(wanted.map(refOf)) : [];
  const byKey = new Map(items.map((item) => [`${item.type}#${item.recordId}`, item]));
  const itemOf = (digest: SubjectDigest) => byKey.get(`${digest.type}#${digest.recordId}`);
  const full = newest.map(itemOf).filter((item): item is Record<string, unknown> => item !== undefined);
  // The subject as the first partition's records name it (the checked code's own partition first).
  const named = subjectKeys
    .flatMap((key) => wanted.filter((digest) => digest.subjectKey === key))
    .map(itemOf)
    .find((item) => item !== undefined && recordOf(item).subject !== undefined);
  return {
    counts,
    newest: full.map(recordSummaryOf),
    subject: named ? (recordOf(named).subject as SubjectIdentity) : undefined,
  };
}
