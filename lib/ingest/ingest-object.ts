import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { toShanghaiDate } from '../calendar/working-days';
import { isDatasetId, schemaFor } from '../datasets';
import { profileUploadRefusal } from '../platform/agency-registry';
import { ingestion } from '../platform/resources';
import { referenceSubmissionRefusal } from '../reference/submission';
import { shortHash } from '../store/items';
import {
  type FullReport,
  type IngestDependencies,
  type JobContext,
  runWithSink,
  writeSmallReport,
} from './chunking/common';
import type { ChunkMessage } from './chunking/messages';
import { scanFile } from './chunking/scan';
import { ingestFile } from './ingest-file';
import { parseIncomingKey } from './object-key';
import { type IngestionOutcome, rejectedFile } from './report';

export type { FullReport, IngestDependencies, RecordStore } from './chunking/common';

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
  return `job-${shortHash(`${object.bucket}/${object.key}#${object.versionId ?? object.eTag ?? ''}`)}`;
}

function sha256(buffer: Buffer): string {
  return createHash('sha256').update(buffer).digest('hex');
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
  const now = () => deps.clock.now();
  const jobId = jobIdFor(object);
  const parsed = parseIncomingKey(object.key);
  const startedAt = now().toISOString();
  const receivedAt = new Date(object.eventTime).toISOString();
  const receivedDate = toShanghaiDate(new Date(receivedAt));
  const agencyCode = parsed.ok ? parsed.agencyCode : '_unknown';
  const dataset = parsed.ok ? parsed.dataset : '_unknown';

  const begin = await deps.jobs.begin({
    jobId,
    agencyCode,
    dataset,
    sourceKey: object.key,
    ...(object.versionId ? { versionId: object.versionId } : {}),
    ...(object.eTag ? { eTag: object.eTag } : {}),
    ...(object.size !== undefined ? { size: object.size } : {}),
    receivedAt,
    startedAt,
  });
  if (begin === 'already-finished') return { status: 'duplicate-delivery', jobId };

  const base = {
    reportVersion: 1 as const,
    jobId,
    agencyCode,
    dataset,
    source: {
      bucket: object.bucket,
      key: object.key,
      ...(object.versionId ? { versionId: object.versionId } : {}),
      ...(object.eTag ? { eTag: object.eTag } : {}),
      ...(object.size !== undefined ? { size: object.size } : {}),
    },
    receivedAt,
    startedAt,
  };
  const finish = async (outcome: IngestionOutcome & Partial<FullReport>): Promise<IngestResult> => {
    const report = await writeSmallReport(
      deps,
      { ...base, finishedAt: now().toISOString(), ...outcome },
      parsed.reportKey,
    );
    // The report is written before the job is marked finished: a crash in between re-runs the
    // (idempotent) file rather than leaving a finished job without its report.
    await deps.jobs.finish(jobId, {
      status: report.status,
      finishedAt: report.finishedAt,
      reportKey: parsed.reportKey,
      counts: report.counts,
    });
    return { status: 'ingested', report };
  };

  if (!parsed.ok) return finish(rejectedFile('KEY_OUTSIDE_CONVENTION', parsed.reason));
  const agency = await deps.store.getAgency(parsed.agencyCode);
  if (!agency) return finish(rejectedFile('UNKNOWN_AGENCY', `agency ${parsed.agencyCode} is not registered`));
  if (!isDatasetId(parsed.dataset))
    return finish(
      rejectedFile('UNKNOWN_DATASET', `dataset "${parsed.dataset}" is not one the platform ingests`),
    );
  const refusal =
    referenceSubmissionRefusal(parsed.dataset, agency) ?? profileUploadRefusal(agency, parsed.dataset);
  if (refusal) return finish(rejectedFile(refusal.code, refusal.reason));

  const job: JobContext = {
    jobId,
    agency,
    dataset: parsed.dataset,
    sourceKey: object.key,
    fileName: parsed.fileName,
    reportKey: parsed.reportKey,
    receivedAt,
    receivedDate,
  };
  const schema = schemaFor(parsed.dataset);
  const chunkBytes = deps.chunkBytes ?? ingestion.chunkBytes;
  const size = object.size ?? (await deps.files.head(object.key, object.versionId)).size;

  const duplicateUpload = async (contentSha256: string): Promise<IngestResult | undefined> => {
    const claim = await deps.jobs.claimContent(agency.code, parsed.dataset, contentSha256, {
      jobId,
      sourceKey: object.key,
      at: receivedAt,
    });
    if (claim.status === 'first') return undefined;
    return finish({
      ...rejectedFile(
        'DUPLICATE_UPLOAD',
        `the same content (SHA-256 ${contentSha256}) was already uploaded as ${claim.sourceKey} (job ${claim.jobId}); nothing was changed`,
      ),
      contentSha256,
    });
  };

  const runSinglePass = async (body: Readable, contentSha256: string) => {
    let sinceProgress = 0;
    const every = deps.progressEveryRows ?? 50_000;
    const outcome = await runWithSink(
      deps,
      job,
      (sink) =>
        ingestFile({
          schema,
          body,
          fileName: object.key,
          sink,
          context: {
            agency,
            today: deps.clock.today(),
            ...(deps.allowList ? { allowList: deps.allowList } : {}),
          },
          receivedDate,
          ...(deps.priorArrivals ? { priorArrivals: deps.priorArrivals } : {}),
          ...(deps.batchRows ? { batchSize: deps.batchRows } : {}),
        }),
      {
        onRows: async (row) => {
          if (row - sinceProgress < every) return;
          sinceProgress = row;
          await deps.jobs.progress(jobId, row - 1);
        },
      },
    );
    return finish({ ...outcome, contentSha256 });
  };

  // Small files (and any file when chunking is off): one pass over the bytes, held in memory.
  if (size < chunkBytes) {
    const bytes = await deps.files.readAll(object.key, object.versionId);
    const contentSha256 = sha256(bytes);
    return (await duplicateUpload(contentSha256)) ?? runSinglePass(Readable.from([bytes]), contentSha256);
  }

  // Large files: one streaming pass for the content hash and the record boundaries.
  const scan = await scanFile(await deps.files.open(object.key, object.versionId), chunkBytes);
  const duplicate = await duplicateUpload(scan.sha256);
  if (duplicate) return duplicate;
  const format = scan.format;
  if (!deps.chunkQueue || (format !== 'csv' && format !== 'jsonl') || scan.chunks.length < 2) {
    // XLSX (a zip) cannot be cut into byte ranges, and a file the readers refuse (binary, UTF-16)
    // is refused by the single pass with its reason.
    return runSinglePass(await deps.files.open(object.key, object.versionId), scan.sha256);
  }
  await deps.jobs.recordPlan(jobId, { chunkCount: scan.chunks.length, contentSha256: scan.sha256 });
  const current = await deps.jobs.get(jobId);
  if (!current?.fannedOutAt) {
    const messages: ChunkMessage[] = scan.chunks.map((chunk) => ({
      kind: 'ingest-chunk',
      jobId,
      bucket: object.bucket,
      key: object.key,
      ...(object.versionId ? { versionId: object.versionId } : {}),
      ...(object.eTag ? { eTag: object.eTag } : {}),
      eventTime: object.eventTime,
      size: scan.size,
      format,
      headerEnd: scan.headerEnd,
      encoding: scan.encoding,
      chunk: chunk.chunk,
      chunkCount: scan.chunks.length,
      start: chunk.start,
      end: chunk.end,
      firstRow: chunk.firstRow,
    }));
    await deps.chunkQueue.send(messages, options.eventSourceArn);
    await deps.jobs.recordFanOut(jobId, now().toISOString());
  }
  return { status: 'chunked', jobId, chunks: scan.chunks.length, bytes: scan.size };
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
    agencyCode: parsed.ok ? parsed.agencyCode : '_unknown',
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
    counts: job?.counts ?? { rows: 0, accepted: 0, rejected: 0, duplicate: 0, late: 0 },
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
