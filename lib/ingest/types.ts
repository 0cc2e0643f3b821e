import type { CreditRecord, RowIssue } from '../datasets';
import type { TimelinessStatus } from '../deadlines/types';

/**
 * The records of ingestion that its ports carry, and that the adapters implementing those ports
 * may read (lib/aws/*, the item builders in lib/aws/items/). Nothing here does I/O.
 */

/** The uploading agency as the registry keeps it (the credit table's profile item). */
export interface Agency {
  readonly code: string;
  readonly name: string;
  readonly uscc?: string;
  /** Roles from the agency registry; reference data is accepted only from the credit office. */
  readonly roles?: readonly string[];
  /** Datasets the registry lets the agency submit; absent = not restricted (profiles written by hand). */
  readonly datasets?: readonly string[];
}

/** When a record first arrived: later corrections keep this, so timeliness is judged once. */
export interface FirstArrival {
  /** ISO timestamp of the S3 event of the first file that carried the record. */
  readonly receivedAt: string;
  /** The same instant as a date in Asia/Shanghai. */
  readonly receivedDate: string;
  /** When the record first became public, if an earlier arrival published it (kept, never moved). */
  readonly publication?: Publication;
}

/**
 * When a 双公示 record first became publicly visible (`at`, and `date` in Asia/Shanghai), and the
 * receipt instant of the arrival whose writing published it (`by`): set once, then carried over.
 */
export interface Publication {
  readonly at: string;
  readonly date: string;
  readonly by: string;
}

/** What one arrival adds to the publication statistics (first publications and first arrivals withheld). */
export type PublicationCount = 'on-time' | 'late' | 'pending-calendar' | 'not-publishable';

/**
 * `withdrawn`: the agency withdrew the published record (行政许可 当前状态 2/无效, 行政处罚 操作类型
 * 撤销). The item stays for audit with `status: 'withdrawn'`; screening and the check skip it.
 */
export type RecordLifecycle = 'active' | 'withdrawn';

export function lifecycleOf(record: CreditRecord): RecordLifecycle {
  if (record.dataset === 'admin-license') return record.status === 'invalid' ? 'withdrawn' : 'active';
  if (record.dataset === 'admin-penalty') return record.action === 'withdraw' ? 'withdrawn' : 'active';
  return 'active';
}

export interface AcceptedRow {
  readonly row: number;
  readonly record: CreditRecord;
  readonly businessKey: string;
  readonly dueDate: string | null;
  /** Judged on the record's FIRST arrival (see firstArrival), so a correction never changes it. */
  readonly late: boolean;
  /** On time, late, or pending a calendar year (then `pendingCalendarYear` names it); absent without a deadline. */
  readonly timeliness?: TimelinessStatus;
  readonly pendingCalendarYear?: number;
  /** `withdrawn` when the row withdraws the record (当前状态 无效, 操作类型 撤销): kept for audit, not shown. */
  readonly lifecycle: RecordLifecycle;
  /** When the record first arrived, if an earlier file already delivered it. */
  readonly firstArrival?: FirstArrival;
  /** When the record first became public (this arrival or an earlier one); absent while it never was. */
  readonly publication?: Publication;
  /** What this arrival added to the publication counts (so that a cross-chunk duplicate can take it back). */
  readonly publicationCount?: PublicationCount;
}

/** Where a stored row came from: the same for every row of one file, so a redelivery writes identical items. */
export interface RecordProvenance {
  readonly agencyCode: string;
  readonly jobId: string;
  readonly sourceKey: string;
  /** When the file arrived (the S3 event time). */
  readonly receivedAt: string;
  readonly receivedDate: string;
}

/** The per-file result report written to reports/<agency>/<dataset>/<file>.result.json. */
export interface IngestionCounts {
  rows: number;
  accepted: number;
  rejected: number;
  duplicate: number;
  late: number;
  /** 双公示 rows whose due date falls in a year without calendar yet (neither late nor on time). */
  pendingCalendar?: number;
  /**
   * 双公示 records this file made public for the first time, by publication timeliness (the 7
   * working days counted to publication), and records first received here that it could not publish.
   */
  publishedOnTime?: number;
  publishedLate?: number;
  publishedPendingCalendar?: number;
  notPublishable?: number;
}

/** The publication counts of a file before any row is counted. */
export const noPublications = {
  publishedOnTime: 0,
  publishedLate: 0,
  publishedPendingCalendar: 0,
  notPublishable: 0,
} as const satisfies Partial<IngestionCounts>;

/** A file's counts before any row is counted (spread it: the object is shared). */
export const noCounts: Readonly<Required<IngestionCounts>> = Object.freeze({
  rows: 0,
  accepted: 0,
  rejected: 0,
  duplicate: 0,
  late: 0,
  pendingCalendar: 0,
  ...noPublications,
});

export interface FileError {
  readonly code: string;
  readonly reason: string;
}

export interface RejectedRow {
  readonly row: number;
  readonly issues: RowIssue[];
}

/** A row stored with something the agency should know (flags are codes; see docs/collection.md). */
export interface FlaggedRow {
  row: number;
  flags: readonly string[];
  /**
   * With CORRECTED_BY_OBJECTION_KEPT: the fields of the row that still carry a value an upheld
   * objection corrected (column code or Chinese name, and the objection); the record kept the
   * correction, the history version what the row sent.
   */
  correctionsKept?: readonly { field: string; name: string; objectionId: string }[];
}

export interface IngestionOutcome {
  status: 'completed' | 'rejected' | 'partial';
  encoding: string | null;
  counts: IngestionCounts;
  columns: { recognised: readonly string[]; unknown: readonly string[] };
  fileErrors: FileError[];
  rejectedRows: RejectedRow[];
  duplicateRows: { row: number; duplicateOf: number }[];
  flaggedRows: FlaggedRow[];
  /** Rows stored: the report says exactly which rows were applied, even when a file fails midway. */
  appliedRows: { from: number; to: number } | null;
}

export interface IngestionReport extends IngestionOutcome {
  readonly reportVersion: 1;
  readonly jobId: string;
  readonly agencyCode: string;
  readonly dataset: string;
  readonly source: {
    readonly bucket: string;
    readonly key: string;
    readonly versionId?: string;
    readonly eTag?: string;
    readonly size?: number;
  };
  readonly receivedAt: string;
  readonly startedAt: string;
  readonly finishedAt: string;
}

// Jobs ------------------------------------------------------------------------------------------

export interface JobStart {
  readonly jobId: string;
  readonly agencyCode: string;
  readonly dataset: string;
  readonly sourceKey: string;
  readonly versionId?: string;
  readonly eTag?: string;
  readonly size?: number;
  readonly receivedAt: string;
  readonly startedAt: string;
}

export type JobBeginResult = 'started' | 'resumed' | 'already-finished';

export interface JobItem {
  readonly jobId: string;
  readonly agencyCode: string;
  readonly dataset: string;
  readonly sourceKey: string;
  readonly status: string;
  readonly attempts: number;
  readonly counts: IngestionCounts;
  readonly receivedAt: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly reportKey?: string;
  readonly chunkCount?: number;
  /** Chunk numbers done. */
  readonly chunksDone?: ReadonlySet<number>;
  readonly fannedOutAt?: string;
  readonly contentSha256?: string;
}

export type ChunkDoneResult =
  | { readonly status: 'recorded'; readonly job: JobItem; readonly last: boolean }
  | { readonly status: 'already-done'; readonly job: JobItem };

export type ContentClaim =
  | { readonly status: 'first' }
  | { readonly status: 'duplicate'; readonly jobId: string; readonly sourceKey: string };

export interface JobFinish {
  readonly status: string;
  readonly finishedAt: string;
  readonly reportKey: string;
  readonly counts: IngestionCounts;
}
