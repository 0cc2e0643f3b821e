import type { SubjectIdentity } from '../datasets';
import type { RecordRef, SubjectReader } from './ports';
import {
  RECORDS_IN_RESULT,
  type RecordCounts,
  type RecordDataset,
  type RecordSummary,
  recordSummaryOf,
  type SubjectDigest,
  selectRecords,
} from './records';

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
 * The records in display of some subject partitions without reading them all in full: digests of
 * every current record (never their versions) give exact counts and the order; only the newest
 * `limit` are read in full.
 */
export async function recordsOverview(
  subjects: Pick<SubjectReader, 'recordDigests' | 'recordItems'>,
  subjectKeys: readonly string[],
  today: string,
  limit = RECORDS_IN_RESULT,
): Promise<RecordsOverview> {
  const digests = (
    await Promise.all(
      subjectKeys.map(async (subjectKey) =>
        (await subjects.recordDigests(subjectKey)).map((digest) => ({ ...digest, subjectKey })),
      ),
    )
  ).flat();
  const { counts, newest, identity } = selectRecords(digests, today, limit);
  const wanted = identity ? [identity] : newest;
  const items = wanted.length > 0 ? await subjects.recordItems(wanted.map(refOf)) : [];
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
