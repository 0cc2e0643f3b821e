import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import type { JobItem } from '../../aws/job-store';
import { toShanghaiDate } from '../../calendar/working-days';
import { isDatasetId, schemaFor } from '../../datasets';
import { bucketLayout, ingestion } from '../../platform/resources';
import { itemsForRow } from '../../store/items';
import { detectEncoding } from '../decode';
import {
  type IngestFileOutcome,
  ingestRows,
  unknownColumnsWarning,
  unreadableRecordsError,
} from '../ingest-file';
import { parseIncomingKey } from '../object-key';
import { csvRows } from '../readers/csv';
import { jsonlRows } from '../readers/jsonl';
import type { RowSource, SourceRow } from '../readers/types';
import type { FileError, IngestionCounts } from '../report';
import {
  capLists,
  type FullReport,
  type IngestDependencies,
  type JobContext,
  KeyDigests,
  provenanceOf,
  rejectedKeyFor,
  runWithSink,
} from './common';
import { crossChunkDuplicates } from './key-digests';
import type { ChunkMessage } from './messages';
import { rejectedCsvFragment, rejectedCsvHead } from './rejected-csv';

/** What one chunk leaves in work/ingest/<jobId>/chunk-NNNNN.json for the job's last chunk. */
export interface ChunkResultDocument {
  readonly chunk: number;
  readonly start: number;
  readonly end: number;
  readonly firstRow: number;
  readonly outcome: IngestFileOutcome;
  /** KeyDigests of the accepted rows, base64. */
  readonly keys: string;
  /** Rejected rows as CSV lines (no BOM, no header). */
  readonly rejectedCsv: string;
  /** Error rows (records that could not be read), summed into one UNREADABLE_RECORDS file error. */
  readonly unreadable?: number;
}

export type ChunkIngestResult =
  | {
      readonly status: 'processed';
      readonly jobId: string;
      readonly counts: IngestionCounts;
      readonly report?: FullReport;
    }
  | { readonly status: 'already-done'; readonly jobId: string; readonly report?: FullReport }
  | { readonly status: 'job-finished'; readonly jobId: string };

const SAMPLE_BYTES = 64 * 1024;

export class ChunkJobMissingError extends Error {
  override name = 'ChunkJobMissingError';
}

async function contextFor(
  deps: IngestDependencies,
  message: ChunkMessage,
  job: JobItem,
): Promise<JobContext> {
  const parsed = parseIncomingKey(message.key);
  const agency = await deps.store.getAgency(job.agencyCode);
  if (!parsed.ok || !agency)
    throw new ChunkJobMissingError(`chunk of ${message.key}: agency or key no longer valid`);
  const receivedAt = new Date(message.eventTime).toISOString();
  return {
    jobId: message.jobId,
    agency,
    dataset: parsed.dataset,
    sourceKey: message.key,
    fileName: parsed.fileName,
    reportKey: parsed.reportKey,
    receivedAt,
    receivedDate: toShanghaiDate(new Date(receivedAt)),
  };
}

/**
 * The header bytes (CSV; JSON Lines has none) followed by the chunk's bytes, as one stream the
 * reader can parse. When the chunk's start would be detected as another encoding than the whole
 * file's (a GBK file whose chunk begins with 64 KB of ASCII), the chunk is transcoded to UTF-8 with
 * a BOM first.
 */
async function chunkStream(deps: IngestDependencies, message: ChunkMessage, start: number, end: number) {
  const header =
    message.headerEnd > 0
      ? await deps.files.readRange(message.key, message.versionId, 0, message.headerEnd)
      : Buffer.alloc(0);
  const body = await deps.files.openRange(message.key, message.versionId, start, end);
  const iterator = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const buffered: Buffer[] = [];
  let bufferedBytes = 0;
  let done = false;
  while (bufferedBytes < SAMPLE_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    buffered.push(next.value);
    bufferedBytes += next.value.length;
  }
  const sample = Buffer.concat([header, ...buffered]).subarray(0, SAMPLE_BYTES);
  const transcode = message.encoding === 'gb18030' && detectEncoding(sample) !== 'gb18030';
  async function* bytes(): AsyncGenerator<Buffer> {
    if (header.length > 0) yield header;
    yield* buffered;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  if (!transcode) return Readable.from(bytes());
  return Readable.from(
    (async function* () {
      const decoder = iconv.getDecoder('gb18030');
      yield Buffer.from('\uFEFF', 'utf8');
      for await (const piece of bytes()) yield Buffer.from(decoder.write(piece), 'utf8');
      const rest = decoder.end();
      if (rest) yield Buffer.from(rest, 'utf8');
    })(),
  );
}

/**
 * The chunk's rows numbered as in the file. CSV is parsed after the header, so the chunk's record 2
 * is the file's row `firstRow`; JSON Lines has no header, so the chunk's line 1 is the file's line
 * `firstRow`, and the JSON Lines reader's reasons ("line 3 is not valid JSON") are renumbered too.
 * Error rows are counted into `tally`.
 */
function renumbered(
  source: RowSource,
  format: ChunkMessage['format'],
  firstRow: number,
  tally?: { unreadable: number },
): RowSource {
  const first = format === 'jsonl' ? 1 : 2;
  const offset = firstRow - first;
  async function* rows(): AsyncGenerator<SourceRow> {
    for await (const row of source.rows) {
      if (row.row < first) {
        yield row;
        continue;
      }
      const moved = row.row + offset;
      if (row.kind !== 'error') {
        yield { ...row, row: moved };
        continue;
      }
      if (tally) tally.unreadable += 1;
      const named = `line ${row.row}`;
      const reason =
        format === 'jsonl' && row.reason.startsWith(named)
          ? `line ${moved}${row.reason.slice(named.length)}`
          : row.reason;
      yield { ...row, row: moved, reason };
    }
  }
  return { format: source.format, encoding: () => source.encoding(), rows: rows() };
}

async function ingestRange(
  deps: IngestDependencies,
  job: JobContext,
  message: ChunkMessage,
  range: { start: number; end: number; firstRow: number },
  options: Parameters<typeof runWithSink>[3] = {},
  tally?: { unreadable: number },
): Promise<IngestFileOutcome> {
  if (!isDatasetId(job.dataset)) throw new ChunkJobMissingError(`unknown dataset ${job.dataset}`);
  const schema = schemaFor(job.dataset);
  const stream = await chunkStream(deps, message, range.start, range.end);
  // The reader is the one the coordinator chose for the whole file, never detected from the chunk's
  // first bytes: a JSON Lines chunk may begin with a line that is not an object.
  const reader = message.format === 'jsonl' ? jsonlRows(stream) : csvRows(stream);
  const source = renumbered(reader, message.format, range.firstRow, tally);
  return runWithSink(
    deps,
    job,
    (sink) =>
      ingestRows({
        schema,
        source,
        sink,
        context: {
          agency: job.agency,
          today: deps.clock.today(),
          ...(deps.allowList ? { allowList: deps.allowList } : {}),
        },
        receivedDate: job.receivedDate,
        ...(deps.priorArrivals ? { priorArrivals: deps.priorArrivals } : {}),
        ...(deps.batchRows ? { batchSize: deps.batchRows } : {}),
      }),
    options,
  );
}

/**
 * Ingests one chunk (a byte range of whole records) of a large CSV or JSON Lines file. Idempotent:
 * the items are deterministic, the counts are added once (chunksDone), and whichever delivery
 * completes the set of chunks assembles the report — again, identically, if it is redelivered
 * before the job is marked finished.
 */
export async function ingestChunk(
  deps: IngestDependencies,
  message: ChunkMessage,
): Promise<ChunkIngestResult> {
  const job = await deps.jobs.get(message.jobId);
  if (!job) throw new ChunkJobMissingError(`job ${message.jobId} does not exist`);
  if (job.finishedAt) return { status: 'job-finished', jobId: message.jobId };
  const context = await contextFor(deps, message, job);
  if (job.chunksDone?.has(message.chunk)) {
    const report = allDone(job) ? await finishChunkedJob(deps, context, message, job) : undefined;
    return { status: 'already-done', jobId: message.jobId, ...(report ? { report } : {}) };
  }

  const keys = new KeyDigests();
  const tally = { unreadable: 0 };
  const outcome = await ingestRange(deps, context, message, message, { keys }, tally);
  const document: ChunkResultDocument = {
    chunk: message.chunk,
    start: message.start,
    end: message.end,
    firstRow: message.firstRow,
    outcome,
    keys: keys.toBase64(),
    rejectedCsv: rejectedCsvFragment(outcome.rejectedRows),
    unreadable: tally.unreadable,
  };
  // Compact JSON (the report itself is pretty-printed for people; this is read back by a machine).
  const json = Buffer.from(JSON.stringify(document), 'utf8');
  await deps.files.putStream(
    bucketLayout.ingestChunkResultKey(message.jobId, message.chunk),
    (async function* () {
      yield json;
    })(),
    json.length,
    'application/json',
  );
  const done = await deps.jobs.chunkDone(message.jobId, message.chunk, outcome.counts);
  const finishNow =
    done.status === 'recorded' ? done.last : allDone(done.job) && done.job.finishedAt === undefined;
  const report = finishNow ? await finishChunkedJob(deps, context, message, done.job) : undefined;
  return done.status === 'recorded'
    ? { status: 'processed', jobId: message.jobId, counts: outcome.counts, ...(report ? { report } : {}) }
    : { status: 'already-done', jobId: message.jobId, ...(report ? { report } : {}) };
}

function allDone(job: JobItem): boolean {
  return job.chunkCount !== undefined && (job.chunksDone?.size ?? 0) >= job.chunkCount;
}

function mergeStatus(statuses: Set<string>): FullReport['status'] {
  if (statuses.size === 1) return [...statuses][0] as FullReport['status'];
  return 'partial';
}

/**
 * Assembles the report of a chunked job from the chunk results, one chunk in memory at a time:
 * sums the counts, settles duplicates across chunks (the first row wins, as in a single pass, and
 * is written again so that it is the stored version), streams the rejected-rows CSV and writes the
 * report, then marks the job finished.
 */
export async function finishChunkedJob(
  deps: IngestDependencies,
  job: JobContext,
  message: ChunkMessage,
  item: JobItem,
): Promise<FullReport> {
  const chunkCount = item.chunkCount ?? message.chunkCount;
  const counts: IngestionCounts = { rows: 0, accepted: 0, rejected: 0, duplicate: 0, late: 0 };
  const statuses = new Set<string>();
  const fileErrors: FileError[] = [];
  const warnings: { code: string; reason: string }[] = [];
  const rejectedRows: FullReport['rejectedRows'] = [];
  let duplicateRows: FullReport['duplicateRows'] = [];
  const flaggedRows: FullReport['flaggedRows'] = [];
  const totals = { rejectedRows: 0, duplicateRows: 0, flaggedRows: 0 };
  const keyParts: { chunk: number; keys: Buffer }[] = [];
  const ranges = new Map<number, { start: number; end: number; firstRow: number }>();
  let first: IngestFileOutcome | undefined;
  let appliedRows: FullReport['appliedRows'] = null;
  let csvBytes = 0;
  const limit = ingestion.reportRejectedRowsLimit;
  // A single pass reports one UNREADABLE_RECORDS error with the file's count, where each chunk
  // reported its own: they become one, in the place of the first, with the sum.
  let unreadable = 0;
  let unreadableAt = -1;
  // JSON Lines has no header: each line has its own keys, so the unknown ones are the union over
  // the chunks in file order (a single pass keeps the first 100), and the warning naming them is
  // rebuilt from it. A CSV chunk's columns are the header's, the same in every chunk.
  const unknownKeys = new Set<string>();
  const jsonl = message.format === 'jsonl';

  for (let chunk = 0; chunk < chunkCount; chunk += 1) {
    const document = await deps.objects.getJson<ChunkResultDocument>(
      bucketLayout.ingestChunkResultKey(job.jobId, chunk),
    );
    const { outcome } = document;
    first ??= outcome;
    ranges.set(chunk, document);
    for (const name of Object.keys(counts) as (keyof IngestionCounts)[]) counts[name] += outcome.counts[name];
    statuses.add(outcome.status);
    for (const error of outcome.fileErrors) {
      if (error.code === 'UNREADABLE_RECORDS') {
        if (unreadableAt < 0) {
          unreadableAt = fileErrors.length;
          fileErrors.push(error);
        }
        // A result written before chunks kept the count has it only in the reason.
        if (document.unreadable === undefined) unreadable += Number.parseInt(error.reason, 10) || 0;
        continue;
      }
      if (!fileErrors.some((known) => known.code === error.code && known.reason === error.reason))
        fileErrors.push(error);
    }
    unreadable += document.unreadable ?? 0;
    for (const warning of outcome.warnings) {
      if (jsonl && warning.code === 'UNKNOWN_COLUMNS') continue;
      if (!warnings.some((known) => known.code === warning.code)) warnings.push(warning);
    }
    if (jsonl) {
      for (const name of outcome.columns.unknown) if (unknownKeys.size < 100) unknownKeys.add(name);
    }
    totals.rejectedRows += outcome.rejectedRows.length;
    totals.duplicateRows += outcome.duplicateRows.length;
    totals.flaggedRows += outcome.flaggedRows.length;
    rejectedRows.push(...outcome.rejectedRows.slice(0, Math.max(0, limit - rejectedRows.length)));
    duplicateRows.push(...outcome.duplicateRows.slice(0, Math.max(0, limit - duplicateRows.length)));
    flaggedRows.push(...outcome.flaggedRows.slice(0, Math.max(0, limit - flaggedRows.length)));
    if (outcome.appliedRows) {
      const from: number = (appliedRows as FullReport['appliedRows'])?.from ?? outcome.appliedRows.from;
      appliedRows = { from, to: outcome.appliedRows.to };
    }
    keyParts.push({ chunk, keys: Buffer.from(document.keys, 'base64') });
    csvBytes += Buffer.byteLength(document.rejectedCsv, 'utf8');
  }

  if (unreadableAt >= 0) fileErrors[unreadableAt] = unreadableRecordsError(unreadable);
  const columns = first?.columns ?? { recognised: [], unknown: [] };
  if (jsonl && unknownKeys.size > 0) warnings.push(unknownColumnsWarning(job.dataset, [...unknownKeys]));

  const { duplicates, originals } = crossChunkDuplicates(keyParts);
  keyParts.length = 0;
  for (const duplicate of duplicates) {
    counts.accepted -= 1;
    counts.duplicate += 1;
    if (duplicate.late) counts.late -= 1;
  }
  totals.duplicateRows += duplicates.length;
  if (duplicates.length > 0) {
    duplicateRows = [...duplicateRows, ...duplicates.map(({ row, duplicateOf }) => ({ row, duplicateOf }))]
      .sort((a, b) => a.row - b.row)
      .slice(0, limit);
  }
  // A duplicate row stored its version in the history (a single pass never stores it): remove
  // those items; then write the first occurrences again, so that they are the stored version.
  const duplicatesByChunk = new Map<number, Set<number>>();
  for (const duplicate of duplicates) {
    const set = duplicatesByChunk.get(duplicate.chunk) ?? new Set<number>();
    set.add(duplicate.row);
    duplicatesByChunk.set(duplicate.chunk, set);
  }
  const provenance = provenanceOf(job);
  for (const [chunk, rows] of duplicatesByChunk) {
    await ingestRange(deps, job, message, ranges.get(chunk)!, {
      only: rows,
      write: async (undo) => {
        const history = undo
          .flatMap((row) => itemsForRow(row, provenance))
          .filter((item) => item.type === 'record-version')
          .map(({ pk, sk }) => ({ pk, sk }));
        await deps.jobs.deleteItems(history);
      },
    });
  }
  for (const [chunk, rows] of originals) {
    await ingestRange(deps, job, message, ranges.get(chunk)!, { only: rows });
  }

  const csvKey = rejectedKeyFor(job.reportKey);
  if (totals.rejectedRows > 0) {
    const head = Buffer.from(rejectedCsvHead(), 'utf8');
    await deps.files.putStream(
      csvKey,
      (async function* () {
        yield head;
        for (let chunk = 0; chunk < chunkCount; chunk += 1) {
          const document = await deps.objects.getJson<ChunkResultDocument>(
            bucketLayout.ingestChunkResultKey(job.jobId, chunk),
          );
          if (document.rejectedCsv) yield Buffer.from(document.rejectedCsv, 'utf8');
        }
      })(),
      head.length + csvBytes,
      'text/csv; charset=utf-8',
    );
  }

  const finishedAt = deps.clock.now().toISOString();
  const report: FullReport = {
    reportVersion: 1,
    jobId: job.jobId,
    agencyCode: job.agency.code,
    dataset: job.dataset,
    source: {
      bucket: message.bucket,
      key: message.key,
      ...(message.versionId ? { versionId: message.versionId } : {}),
      ...(message.eTag ? { eTag: message.eTag } : {}),
      size: message.size,
    },
    receivedAt: job.receivedAt,
    startedAt: item.startedAt,
    finishedAt,
    status: mergeStatus(statuses),
    format: message.format,
    encoding: message.encoding,
    counts,
    columns: jsonl ? { recognised: columns.recognised, unknown: [...unknownKeys] } : columns,
    fileErrors,
    warnings,
    rejectedRows,
    duplicateRows,
    flaggedRows,
    appliedRows,
    contentSha256: item.contentSha256 ?? '',
    chunks: chunkCount,
    ...(totals.rejectedRows > 0 ? { rejectedRowsCsvKey: csvKey } : {}),
  };
  const cut = {
    rejectedRows: totals.rejectedRows - rejectedRows.length,
    duplicateRows: totals.duplicateRows - duplicateRows.length,
    flaggedRows: totals.flaggedRows - flaggedRows.length,
  };
  const final =
    cut.rejectedRows + cut.duplicateRows + cut.flaggedRows > 0
      ? { ...report, truncated: cut }
      : capLists(report);
  await deps.objects.putJson(job.reportKey, final);
  await deps.jobs.finish(job.jobId, { status: final.status, finishedAt, reportKey: job.reportKey, counts });
  return final;
}
