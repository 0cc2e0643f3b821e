import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { shanghaiDateOfInstant } from '../clock/clock';
import { isDatasetId, schemaFor } from '../datasets';
import { profileUploadRefusal } from '../platform/agency-registry';
import { ingestion } from '../platform/resources';
import { referenceSubmissionRefusal } from '../reference/submission';
import {
  dueDatesOf,
  type FullReport,
  type IngestDependencies,
  type JobContext,
  rejectedKeyFor,
  rejectedRowsStream,
  rowContext,
  runWithSink,
  writeSmallReport,
} from './chunking/common';
import type { ChunkMessage } from './chunking/messages';
import { type FileScan, scanFile } from './chunking/scan';
import { ingestFile } from './ingest-file';
import { agencyOfKey, type IncomingKey, parseIncomingKey } from './object-key';
import { SourceChangedError } from './ports';
import { type IngestionOutcome, rejectedFile, reportKeyOfJob, sourceReplacedFile } from './report';
import { noCounts } from './types';

export type { FullReport, IngestDependencies } from './chunking/common';

export interface ObjectCreated {
  readonly bucket: string;
  /** Decoded object key. */
  readonly key: string;
  readonly versionId?: string;
  readonly eTag?: string;
  readonly size?: number;
  /** The S3 event time: when the agency's file arrived. */
  readonly eventTime: string;
}

export type IngestResult =
  | { readonly status: 'ingested'; readonly report: FullReport }
  | { readonly status: 'duplicate-delivery'; readonly jobId: string }
  /** A large file: chunk messages are on the ingest queue; the last chunk writes the report. */
  | { readonly status: 'chunked'; readonly jobId: string; readonly chunks: number; readonly bytes: number };

/** The job id is derived from the object version, so every redelivery of one upload maps to one job. */
export function jobIdFor(object: ObjectCreated): string {
  const version = `${object.bucket}/${object.key}#${object.versionId ?? object.eTag ?? ''}`;
  return `job-${createHash('sha256').update(version).digest('hex').slice(0, 24)}`;
}

function sha256(buffer: Buffer): string {
  return createHash('sha256').update(buffer).digest('hex');
}

/** A job claimed for one object version: what every later step reports against. */
interface StartedJob {
  readonly jobId: string;
  readonly object: ObjectCreated;
  readonly parsed: IncomingKey;
  readonly receivedAt: string;
  readonly receivedDate: string;
  readonly startedAt: string;
}

type Finish = (outcome: IngestionOutcome & Partial<FullReport>) => Promise<IngestResult>;

/** Claims the job of this object version; undefined when a finished job already covers it. */
async function startJob(deps: IngestDependencies, object: ObjectCreated): Promise<StartedJob | undefined> {
  const jobId = jobIdFor(object);
  const parsed = parseIncomingKey(object.key);
  const startedAt = deps.clock.now().toISOString();
  const receivedAt = new Date(object.eventTime).toISOString();
  const begin = await deps.jobs.begin({
    jobId,
    agencyCode: agencyOfKey(parsed),
    dataset: parsed.ok ? parsed.dataset : '_unknown',
    sourceKey: object.key,
    ...(object.versionId ? { versionId: object.versionId } : {}),
    ...(object.eTag ? { eTag: object.eTag } : {}),
    ...(object.size !== undefined ? { size: object.size } : {}),
    receivedAt,
    startedAt,
  });
  if (begin === 'already-finished') return undefined;
  return { jobId, object, parsed, receivedAt, receivedDate: shanghaiDateOfInstant(receivedAt), startedAt };
}

/**
 * Writes the report of a single-pass job, then marks the job finished: a crash in between re-runs
 * the (idempotent) file rather than leaving a finished job without its report.
 */
function finisher(deps: IngestDependencies, started: StartedJob): Finish {
  const { object, parsed } = started;
  return async (outcome) => {
    const reportKey = reportKeyOfJob(parsed.reportKey, started.jobId, outcome.fileErrors);
    const report = await writeSmallReport(
      deps,
      {
        reportVersion: 1,
        jobId: started.jobId,
        agencyCode: agencyOfKey(parsed),
        dataset: parsed.ok ? parsed.dataset : '_unknown',
        source: {
          bucket: object.bucket,
          key: object.key,
          ...(object.versionId ? { versionId: object.versionId } : {}),
          ...(object.eTag ? { eTag: object.eTag } : {}),
          ...(object.size !== undefined ? { size: object.size } : {}),
        },
        receivedAt: started.receivedAt,
        startedAt: started.startedAt,
        finishedAt: deps.clock.now().toISOString(),
        ...outcome,
      },
      reportKey,
    );
    await deps.jobs.finish(started.jobId, {
      status: report.status,
      finishedAt: report.finishedAt,
      reportKey,
      counts: report.counts,
    });
    return { status: 'ingested', report };
  };
}

/**
 * The file-level checks before any byte is read: the key convention, a registered agency, a known
 * dataset, and the agency's right to submit it. Either the job's context or the refusal.
 */
async function admit(
  deps: IngestDependencies,
  started: StartedJob,
): Promise<{ job: JobContext } | { refusal: IngestionOutcome }> {
  const { parsed } = started;
  if (!parsed.ok) return { refusal: rejectedFile(parsed.code, parsed.reason) };
  const agency = await deps.agencies.getAgency(parsed.agencyCode);
  if (!agency)
    return {
      refusal: rejectedFile('UNKNOWN_AGENCY', `agency ${parsed.agencyCode} is not registered`),
    };
  if (!isDatasetId(parsed.dataset))
    return {
      refusal: rejectedFile('UNKNOWN_DATASET', `dataset "${parsed.dataset}" is not one the platform ingests`),
    };
  const refusal =
    referenceSubmissionRefusal(parsed.dataset, agency) ?? profileUploadRefusal(agency, parsed.dataset);
  if (refusal) return { refusal: rejectedFile(refusal.code, refusal.reason) };
  return {
    job: {
      jobId: started.jobId,
      agency,
      dataset: parsed.dataset,
      sourceKey: started.object.key,
      fileName: parsed.fileName,
      reportKey: parsed.reportKey,
      receivedAt: started.receivedAt,
      receivedDate: started.receivedDate,
    },
  };
}

/** Claims the content (SHA-256) for the job; a report of the duplicate upload when another job has it. */
async function refuseDuplicateUpload(
  deps: IngestDependencies,
  job: JobContext,
  contentSha256: string,
  finish: Finish,
): Promise<IngestResult | undefined> {
  const claim = await deps.jobs.claimContent(job.agency.code, job.dataset, contentSha256, {
    jobId: job.jobId,
    sourceKey: job.sourceKey,
    at: job.receivedAt,
  });
  if (claim.status === 'first') return undefined;
  return finish({
    ...rejectedFile(
      'DUPLICATE_UPLOAD',
      `the same content (SHA-256 ${contentSha256}) was already uploaded as ${claim.sourceKey} (job ${claim.jobId}); nothing was changed`,
    ),
    contentSha256,
  });
}

/** One pass over the file's rows into the pipelined sink, with progress every `progressEveryRows`. */
async function ingestSinglePass(
  deps: IngestDependencies,
  job: JobContext,
  body: Readable,
  contentSha256: string,
  finish: Finish,
): Promise<IngestResult> {
  let sinceProgress = 0;
  const every = deps.progressEveryRows ?? 50_000;
  // Every rejected row streamed into the CSV as it is found; the report keeps the first 1,000.
  const rejected = rejectedRowsStream(deps.files, rejectedKeyFor(job.reportKey), true);
  const dueDates = await dueDatesOf(deps);
  const context = await rowContext(deps, job, dueDates.dueDates);
  const outcome = await runWithSink(
    deps,
    job,
    (sink) =>
      ingestFile({
        schema: schemaFor(job.dataset),
        body,
        fileName: job.sourceKey,
        sink,
        context,
        receivedDate: job.receivedDate,
        receivedAt: job.receivedAt,
        rejects: rejected.add,
        listLimit: ingestion.reportRejectedRowsLimit,
        ...(deps.priorArrivals ? { priorArrivals: deps.priorArrivals } : {}),
        ...(deps.priorRemovalStarts ? { priorRemovalStarts: deps.priorRemovalStarts } : {}),
        ...dueDates,
        ...(deps.batchRows ? { batchSize: deps.batchRows } : {}),
      }),
    {
      onRows: async (row) => {
        if (row - sinceProgress < every) return;
        sinceProgress = row;
        await deps.jobs.progress(job.jobId, row - 1);
      },
    },
  ).catch(async (error: unknown) => {
    await rejected.abort();
    throw error;
  });
  const csv = await rejected.close();
  return finish({ ...outcome, contentSha256, ...(csv ? { rejectedRowsCsvKey: csv.key } : {}) });
}

/** The chunk messages of a scanned file, one per byte range. */
function chunkMessagesOf(job: JobContext, object: ObjectCreated, scan: FileScan): ChunkMessage[] {
  return scan.chunks.map((chunk) => ({
    kind: 'ingest-chunk',
    jobId: job.jobId,
    bucket: object.bucket,
    key: object.key,
    ...(object.versionId ? { versionId: object.versionId } : {}),
    ...(object.eTag ? { eTag: object.eTag } : {}),
    eventTime: object.eventTime,
    size: scan.size,
    format: scan.format === 'jsonl' ? 'jsonl' : 'csv',
    headerEnd: scan.headerEnd,
    encoding: scan.encoding,
    chunk: chunk.chunk,
    chunkCount: scan.chunks.length,
    start: chunk.start,
    end: chunk.end,
    firstRow: chunk.firstRow,
  }));
}

/**
 * A large file: one streaming pass for the content hash and the record boundaries, then the chunk
 * plan fanned out once (a redelivery finds it fanned out). XLSX (a zip) cannot be cut into byte
 * ranges, and a file the readers refuse (binary, UTF-16) is refused by the single pass with its reason.
 */
async function ingestLargeFile(
  deps: IngestDependencies,
  job: JobContext,
  object: ObjectCreated,
  finish: Finish,
  options: { eventSourceArn?: string },
): Promise<IngestResult> {
  const chunkBytes = deps.chunkBytes ?? ingestion.chunkBytes;
  const scan = await scanFile(await deps.files.open(object.key, object), chunkBytes);
  const duplicate = await refuseDuplicateUpload(deps, job, scan.sha256, finish);
  if (duplicate) return duplicate;
  if (!deps.chunkQueue || (scan.format !== 'csv' && scan.format !== 'jsonl') || scan.chunks.length < 2) {
    return ingestSinglePass(deps, job, await deps.files.open(object.key, object), scan.sha256, finish);
  }
  await deps.jobs.recordPlan(job.jobId, { chunkCount: scan.chunks.length, contentSha256: scan.sha256 });
  const current = await deps.jobs.get(job.jobId);
  if (!current?.fannedOutAt) {
    await deps.chunkQueue.send(chunkMessagesOf(job, object, scan), options.eventSourceArn);
    await deps.jobs.recordFanOut(job.jobId, deps.clock.now().toISOString());
  }
  return { status: 'chunked', jobId: job.jobId, chunks: scan.chunks.length, bytes: scan.size };
}

/**
 * Ingests one uploaded object: claims the job, refuses keys outside the convention, unknown agencies
 * and datasets, and content already uploaded (same SHA-256 for the agency and dataset). A file
 * smaller than one chunk is read in one pass; a larger CSV or JSON Lines file is scanned for record
 * boundaries and fanned out as `ingest-chunk` messages (see lib/ingest/chunking/ingest-chunk.ts). Safe to run
 * again for the same object: a finished job is skipped and a half-done one re-applies the same
 * deterministic items.
 */
export async function ingestObject(
  deps: IngestDependencies,
  object: ObjectCreated,
  options: { eventSourceArn?: string } = {},
): Promise<IngestResult> {
  const started = await startJob(deps, object);
  if (!started) return { status: 'duplicate-delivery', jobId: jobIdFor(object) };
  const finish = finisher(deps, started);
  const admitted = await admit(deps, started);
  if ('refusal' in admitted) return finish(admitted.refusal);
  // Every read is pinned to the version of the event: an object overwritten since is refused whole
  // (reads happen before any row is stored), and its newer version comes with its own event.
  return readAndIngest(deps, admitted.job, object, finish, options).catch((error: unknown) => {
    if (error instanceof SourceChangedError) return finish(sourceReplacedFile(object.key));
    throw error;
  });
}

async function readAndIngest(
  deps: IngestDependencies,
  job: JobContext,
  object: ObjectCreated,
  finish: Finish,
  options: { eventSourceArn?: string },
): Promise<IngestResult> {
  const chunkBytes = deps.chunkBytes ?? ingestion.chunkBytes;
  const size = object.size ?? (await deps.files.head(object.key, object)).size;
  if (size >= chunkBytes) return ingestLargeFile(deps, job, object, finish, options);
  // Small files (and any file when chunking is off): one pass over the bytes, held in memory.
  const bytes = await deps.files.readAll(object.key, object);
  const contentSha256 = sha256(bytes);
  return (
    (await refuseDuplicateUpload(deps, job, contentSha256, finish)) ??
    ingestSinglePass(deps, job, Readable.from([bytes]), contentSha256, finish)
  );
}

/**
 * The last delivery of a message failed (the next stop is the dead-letter queue): the job is marked
 * failed and the report says so, and which rows may have been applied, so that no file is left
 * half-applied without a report. Re-driving the message from the DLQ resumes the job (every step
 * is idempotent) and overwrites this report with the real one.
 */
export async function reportFailure(
  deps: IngestDependencies,
  failed: { object: ObjectCreated } | { chunk: ChunkMessage },
  error: unknown,
): Promise<void> {
  const now = deps.clock.now().toISOString();
  const source = 'object' in failed ? failed.object : failed.chunk;
  const jobId = 'object' in failed ? jobIdFor(failed.object) : failed.chunk.jobId;
  const parsed = parseIncomingKey(source.key);
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const scope =
    'chunk' in failed
      ? `chunk ${failed.chunk.chunk + 1} of ${failed.chunk.chunkCount} (rows from ${failed.chunk.firstRow}, bytes ${failed.chunk.start}–${failed.chunk.end})`
      : 'the file';
  const job = await deps.jobs.get(jobId);
  await deps.jobs.fail(jobId, message, now);
  await deps.objects.putJson(parsed.reportKey, {
    reportVersion: 1,
    jobId,
    agencyCode: agencyOfKey(parsed),
    dataset: parsed.ok ? parsed.dataset : '_unknown',
    source: {
      bucket: source.bucket,
      key: source.key,
      ...(source.versionId ? { versionId: source.versionId } : {}),
    },
    receivedAt: new Date(source.eventTime).toISOString(),
    startedAt: job?.startedAt ?? now,
    finishedAt: now,
    status: 'failed',
    counts: job?.counts ?? { ...noCounts },
    fileErrors: [
      {
        code: 'INGESTION_FAILED',
        reason: `${scope} could not be ingested after every retry (${message}). Rows of ${scope} may be partly stored; the operators re-drive it from the dead-letter queue, which completes the job without storing anything twice.`,
      },
    ],
    rejectedRows: [],
    duplicateRows: [],
    flaggedRows: [],
    appliedRows: null,
    ...(job?.chunkCount
      ? { chunks: job.chunkCount, chunksDone: [...(job.chunksDone ?? [])].sort((a, b) => a - b) }
      : {}),
  });
}
