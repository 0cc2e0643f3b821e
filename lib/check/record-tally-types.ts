import type { RecordDataset } from './records';

/**
 * A per-subject summary of its current 双公示 records, so that a check of a subject with thousands of
 * records reads one item instead of a digest of each. It is a cache, never the truth: computed from
 * the digests and stamped with the subject's records-changed token read before them; every writer
 * of a record item replaces that token, so a summary is used only while no record changed since.
 */
export interface RecordTally {
  /** The Asia/Shanghai day it was computed for: what was in display then. */
  readonly computedOn: string;
  /**
   * Records in display on `computedOn` by dataset and by their last day in display (a penalty's
   * displayUntil, a licence's validUntil; '' = no end): the count on a later day is the sum of the
   * buckets not yet ended.
   */
  readonly buckets: Readonly<Record<RecordDataset, Readonly<Record<string, number>>>>;
  /** The newest records in display on `computedOn`, newest first (at most TALLY_NEWEST). */
  readonly newest: readonly TallyRef[];
  /** A shown record that names the subject (used when none is in display). */
  readonly identity?: { readonly type: RecordDataset; readonly recordId: string };
}

export interface TallyRef {
  readonly type: RecordDataset;
  readonly recordId: string;
  readonly decisionDate: string;
  /** Last day in display ('' = no end). */
  readonly until: string;
}

/** A stored tally and the records-changed token it was computed after (null: none was stored). */
export type StoredRecordTally = RecordTally & { readonly basedOn: string | null };
