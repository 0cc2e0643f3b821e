import { parseIncomingKey } from '../ingest/object-key';

/**
 * Job statuses as the ingest path writes them (lib/ingest/ingest-object.ts, lib/aws/job-store.ts):
 * `failed` is a job given up for good (its report still says why).
 */
export const jobStatuses = ['running', 'completed', 'partial', 'rejected', 'failed'] as const;
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
  /** One of jobStatuses; a status a newer ingest path adds is passed through as written. */
  readonly status: JobStatus | (string & {});
  /** Progress while running (as far as the ingest path has reported it), the totals once finished. */
  readonly counts: JobCounts;
  readonly attempts: number;
  /** Bytes of the uploaded object, when known. */
  readonly size?: number;
  /** Large files are ingested in parallel chunks: how many, and how many are done. */
  readonly chunks?: { readonly total: number; readonly done: number };
  /** Why a `failed` job was given up. */
  readonly failure?: string;
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

/** chunksDone is a DynamoDB number set (a Set through the document client). */
function sizeOf(value: unknown): number {
  if (value instanceof Set) return value.size;
  return Array.isArray(value) ? value.length : 0;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** `{ [key]: value }` when the item has the value, else nothing: the view holds no undefined keys. */
function present<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

function chunksOf(item: Readonly<Record<string, unknown>>): JobView['chunks'] {
  const total = numberOf(item.chunkCount);
  return total === undefined ? undefined : { total, done: sizeOf(item.chunksDone) };
}

/** Finished: no longer running, with an end time (a failed job's failedAt counts). */
function isFinishedItem(item: Readonly<Record<string, unknown>>): boolean {
  return (
    item.status !== 'running' && (typeof item.finishedAt === 'string' || typeof item.failedAt === 'string')
  );
}

/**
 * Maps a stored job item to its public view: key attributes, internal fields and anything the
 * table may hold besides the documented fields stay out of the API.
 */
export function toJobView(item: Readonly<Record<string, unknown>>): JobView {
  const sourceKey = String(item.sourceKey ?? '');
  const finished = isFinishedItem(item);
  // While running, the counts are the progress written so far (JobStore.progress / chunkDone).
  const counts = countsOf(finished ? item.counts : (item.progress ?? item.counts));
  const reportKey = stringOf(item.reportKey) ?? parseIncomingKey(sourceKey).reportKey;
  return {
    jobId: String(item.jobId ?? ''),
    agencyCode: String(item.agencyCode ?? ''),
    dataset: String(item.dataset ?? ''),
    sourceKey,
    ...present('versionId', stringOf(item.versionId)),
    status: stringOf(item.status) ?? 'running',
    counts,
    attempts: Number(item.attempts ?? 1),
    ...present('size', numberOf(item.size)),
    ...present('chunks', chunksOf(item)),
    ...present('failure', stringOf(item.failure)),
    receivedAt: String(item.receivedAt ?? ''),
    startedAt: String(item.startedAt ?? ''),
    ...present('finishedAt', stringOf(item.finishedAt) ?? stringOf(item.failedAt)),
    report: { key: reportKey, ready: finished },
  };
}

/** True once the job will not change any more. */
export function isFinished(job: JobView): boolean {
  return job.status !== 'running';
}
