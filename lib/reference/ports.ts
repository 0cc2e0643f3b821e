import type { ListEntryRecord } from '../datasets';
import type { ReferenceRecord } from '../datasets/reference';

/** The stored reference rows (list types, memoranda, measures, matters) of one table. */
export interface ReferenceRecordSource {
  /** Names the table, so that a cached catalogue is never served for another one. */
  readonly tableName: string;
  referenceRecords(): Promise<ReferenceRecord[]>;
}

/** A stored list entry as the list-authority part of the consistency report needs it. */
export interface StoredEntryOfListType {
  readonly entryId: string;
  readonly agencyCode: string;
  readonly record: ListEntryRecord;
}

/** Stored list entries of one list type reported by agencies other than `entitled` (at most `limit`). */
export interface ListAuthorityReader {
  entriesOutsideAuthority(
    listTypeCode: string,
    entitled: readonly string[],
    limit: number,
  ): Promise<StoredEntryOfListType[]>;
}
