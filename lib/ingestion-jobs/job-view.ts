import { parseIncomingKey } from '../ingest/object-key';

/** Job statuses as the ingest path writes them (lib/ingest/ingest-object.ts). */
export const jobStatuses = ['running', 'completed', 'partial', 'rejected'] as const;
export type JobStatus = (typeof jobStatuses)[number];

export interface JobCounts {
  readonly rows: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly duplicate: number;
  readonly late: number;
}

/** What the API and the upload command show of an ingestion job. */
export interface JobView {
  readonly jobId: string;
  readonly agencyCode: string;
  readonly dataset: string;
  readonly sourceKey: string;
  readonly versionId?: string;
  readonly status: JobStatus;
  /** Progress while running (as far as the ingest path has reported it), the totals once finished. */
  readonly counts: JobCounts;
  readonly attempts: number;
  readonly receivedAt: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  /** Where the result report is (or will be) written; `ready` once the job has finished. */
  readonly report: { readonly key: string; readonly ready: boolean };
}

const COUNT_NAMES = ['rows', 'accepted', 'rejected', 'duplicate', 'late'] as const;

function countsOf(value: unknown): JobCounts {
  const source = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  return Object.fromEntries(
    COUNT_NAMES.map((name) => {
      const count = Number(source[name] ?? 0);
      return [name, Number.isFinite(count) ? count : 0];
    }),
  ) as unknown as JobCounts;
}

const isStatus = (value: unknown): value is JobStatus =>
  typeof value === 'string' && (jobStatuses as readonly string[]).includes(value);

/**
 * Maps a stored job item to its public view: key attributes, internal fields and anything the
 * table may hold besides the documented fields stay out of the API.
 */
export function toJobView(item: Readonly<Record<string, unknown>>): JobView {
  const sourceKey = String(item.sourceKey ?? '');
  const finished = item.status !== 'running' && typeof item.finishedAt === 'string';
  // While running, the counts are the progress written so far (B1 may keep them under `progress`).
  const counts = countsOf(finished ? item.counts : (item.progress ?? item.counts));
  const reportKey =
    typeof item.reportKey === 'string' ? item.reportKey : parseIncomingKey(sourceKey).reportKey;
  return {
    jobId: String(item.jobId ?? ''),
    agencyCode: String(item.agencyCode ?? ''),
    dataset: String(item.dataset ?? ''),
    sourceKey,
    ...(typeof item.versionId === 'string' ? { versionId: item.versionId } : {}),
    status: isStatus(item.status) ? item.status : 'running',
    counts,
    attempts: Number(item.attempts ?? 1),
    receivedAt: String(item.receivedAt ?? ''),
    startedAt: String(item.startedAt ?? ''),
    ...(typeof item.finishedAt === 'string' ? { finishedAt: item.finishedAt } : {}),
    report: { key: reportKey, ready: finished },
  };
}

/** True once the job will not change any more. */
export function isFinished(job: JobView): boolean {
  return job.status !== 'running';
}
