import type { ReferenceRecord } from '../datasets/reference';

/** The stored reference rows (list types, memoranda, measures, matters) of one table. */
export interface ReferenceRecordSource {
  /** Names the table, so that a cached catalogue is never served for another one. */
  readonly tableName: string;
  referenceRecords(): Promise<ReferenceRecord[]>;
}
