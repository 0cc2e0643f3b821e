import { bucketLayout } from '#lib/platform/resources';
import { type FileError, type IngestionOutcome, noCounts } from './types';

export type {
  FileError,
  IngestionCounts,
  IngestionOutcome,
  IngestionReport,
  RejectedRow,
} from './types';

export function emptyOutcome(): IngestionOutcome {
  return {
    status: 'completed',
    encoding: null,
    counts: { ...noCounts },
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

/** The file error of a job whose object was overwritten before it could read it: nothing was stored. */
export function sourceReplacedFile(key: string): IngestionOutcome {
  return rejectedFile(
    'SOURCE_CHANGED',
    `${key} was replaced before this upload could be read: nothing of it was stored; the newer upload is ingested as its own job, with its own report`,
  );
}

/** Where a job's report goes: the file's report key, unless the upload was replaced while it was read. */
export function reportKeyOfJob(reportKey: string, jobId: string, fileErrors: readonly FileError[]): string {
  return fileErrors.some((error) => error.code === 'SOURCE_CHANGED')
    ? bucketLayout.replacedUploadReportKey(reportKey, jobId)
    : reportKey;
}
