import type { RowIssue } from '../datasets';

/** The per-file result report written to reports/<agency>/<dataset>/<file>.result.json. */
export interface IngestionCounts {
  rows: number;
  accepted: number;
  rejected: number;
  duplicate: number;
  late: number;
}

export interface FileError {
  readonly code: string;
  readonly reason: string;
}

export interface IngestionOutcome {
  status: 'completed' | 'rejected' | 'partial';
  encoding: string | null;
  counts: IngestionCounts;
  columns: { recognised: readonly string[]; unknown: readonly string[] };
  fileErrors: FileError[];
  rejectedRows: { row: number; issues: RowIssue[] }[];
  duplicateRows: { row: number; duplicateOf: number }[];
  flaggedRows: { row: number; flags: readonly string[] }[];
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

export function emptyOutcome(): IngestionOutcome {
  return {
    status: 'completed',
    encoding: null,
    counts: { rows: 0, accepted: 0, rejected: 0, duplicate: 0, late: 0 },
    columns: { recognised: [], unknown: [] },
    fileErrors: [],
    rejectedRows: [],
    duplicateRows: [],
    flaggedRows: [],
    appliedRows: null,
  };
}

export function rejectedFile(code: string, reason: string): IngestionOutcome {
  return { ...emptyOutcome(), status: 'rejected', fileErrors: [{ code, reason }] };
}
