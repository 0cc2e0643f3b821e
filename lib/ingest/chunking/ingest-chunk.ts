import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { shanghaiDateOfInstant } from '#lib/clock/clock';
import { isDatasetId, schemaFor } from '#lib/datasets/index';
import { bucketLayout, ingestion } from '#lib/platform/resources';
import { detectEncoding } from '../decode';
import {
  type IngestFileOutcome,
  ingestRows,
  publicationCountField,
  rejectIfNoRowAccepted,
  unknownColumnsWarning,
  unreadableRecordsError,
} from '../ingest-file';
import { parseIncomingKey } from '../object-key';
import { SourceChangedError } from '../ports';
import { csvRows } from '../readers/csv';
import { jsonlRows } from '../readers/jsonl';
import type { RowSource, SourceRow } from '../readers/types';
import { emptyOutcome, reportKeyOfJob } from '../report';
import { type FileError, type IngestionCounts, type JobItem, noCounts, type RejectedRow } from '../types';
import {
  capLists,
  dueDatesOf,
  type FullReport,
  type IngestDependencies,
  type JobContext,
  KeyDigests,
  provenanceOf,
  rejectedKeyFor,
  rejectedRowsStream,
  rowContext,
  runWithSink,
} from './common';
import { type CrossChunkDuplicate, crossChunkDuplicates } from './key-digests';
import type { ChunkMessage } from './messages';
import { rejectedCsvHead } from './rejected-csv';

/** What one chunk leaves in work/ingest/<jobId>/chunk-NNNNN.json for the job's last chunk. */
export interface ChunkResultDocument {
  readonly chunk: number;
  readonly start: number;
  readonly end: number;
  readonly firstRow: number;
  readonly outcome: IngestFileOutcome;
  /** KeyDigests of the accepted rows, base64. */
  readonly keys: string;
  /**
   * The chunk's rejected rows as CSV lines (no BOM, no header), in their own object, streamed as
   * they were found (`outcome.rejectedRows` keeps the first 1,000); absent when none was rejected.
   */
  readonly rejectedCsvKey?: string;
  readonly rejectedCsvBytes?: number;
  /** Results written before the fragment had its own object carried the lines here. */
  readonly rejectedCsv?: string;
  /** Error rows (records that could not be read), summed into one UNREADABLE_RECORDS file error. */
  readonly unreadable?: number;
  /** The object was replaced before this chunk could read it: nothing of the chunk was stored. */
  readonly sourceChanged?: boolean;
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
  const agency = await deps.agencies.getAgency(job.agencyCode);
  if (!parsed.ok || !agency)
    throw new ChunkJobMissingError(`chunk of ${message.key}: agency or key no longer valid`);
  if (!isDatasetId(parsed.dataset)) throw new ChunkJobMissingError(`unknown dataset ${parsed.dataset}`);
  const receivedAt = new Date(message.eventTime).toISOString();
  return {
    jobId: message.jobId,
    agency,
    dataset: parsed.dataset,
    sourceKey: message.key,
    fileName: parsed.fileName,
    reportKey: parsed.reportKey,
    receivedAt,
    receivedDate: shanghaiDateOfInstant(receivedAt),
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
      ? await deps.files.readRange(message.key, message, 0, message.headerEnd)
      : Buffer.alloc(0);
  const body = await deps.files.openRange(message.key, message, start, end);
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

/** What a range read reports besides its outcome: error rows counted, rejected rows streamed. */
interface RangeExtras {
  readonly tally?: { unreadable: number };
  /**
   * Every rejected row as it is found; with it the outcome keeps only the first
   * ingestion.reportRejectedRowsLimit rows of each list (the counts have them all).
   */
  readonly rejects?: (entry: RejectedRow) => Promise<void>;
  readonly listLimit?: number;
}

/** Reading a range again (repairing duplicates): its rejected rows are already on record, none kept. */
const ignoreRejects: RangeExtras = { rejects: async () => undefined, listLimit: 0 };

async function ingestRange(
  deps: IngestDependencies,
  job: JobContext,
  message: ChunkMessage,
  range: { start: number; end: number; firstRow: number },
  options: Parameters<typeof runWithSink>[3] = {},
  extras: RangeExtras = {},
): Promise<IngestFileOutcome> {
  const schema = schemaFor(job.dataset);
  const stream = await chunkStream(deps, message, range.start, range.end);
  // The reader is the one the coordinator chose for the whole file, never detected from the chunk's
  // first bytes: a JSON Lines chunk may begin with a line that is not an object.
  const reader = message.format === 'jsonl' ? jsonlRows(stream) : csvRows(stream);
  const source = renumbered(reader, message.format, range.firstRow, extras.tally);
  const dueDates = await dueDatesOf(deps);
  const context = await rowContext(deps, job, dueDates.dueDates);
  const { rejects, listLimit = ingestion.reportRejectedRowsLimit } = extras;
  return runWithSink(
    deps,
    job,
    (sink) =>
      ingestRows({
        schema,
        source,
        sink,
        context,
        receivedDate: job.receivedDate,
        receivedAt: job.receivedAt,
        ...(rejects ? { rejects, listLimit } : {}),
        ...(deps.priorArrivals ? { priorArrivals: deps.priorArrivals } : {}),
        ...(deps.priorRemovalStarts ? { priorRemovalStarts: deps.priorRemovalStarts } : {}),
        ...dueDates,
        ...(deps.batchRows ? { batchSize: deps.batchRows } : {}),
      }),
    options,
  );
}

/**
 * The chunk's rows, read from the version the job started from. When that version is gone (the
 * object was overwritten: If-Match failed before any row was read), the chunk stores nothing and
 * says so, so that the job's report names it rather than mixing two files.
 */
async function readChunk(
  deps: IngestDependencies,
  job: JobContext,
  message: ChunkMessage,
  keys: KeyDigests,
): Promise<Omit<ChunkResultDocument, 'chunk' | 'start' | 'end' | 'firstRow'>> {
  const tally = { unreadable: 0 };
  const rejected = rejectedRowsStream(
    deps.files,
    bucketLayout.ingestChunkRejectedKey(message.jobId, message.chunk),
    false,
  );
  try {
    const outcome = await ingestRange(
      deps,
      job,
      message,
      message,
      { keys },
      { tally, rejects: rejected.add },
    );
    const csv = await rejected.close();
    return {
      outcome,
      keys: keys.toBase64(),
      ...(csv ? { rejectedCsvKey: csv.key, rejectedCsvBytes: csv.bytes } : {}),
      unreadable: tally.unreadable,
    };
  } catch (error) {
    await rejected.abort();
    if (!(error instanceof SourceChangedError)) throw error;
    const outcome: IngestFileOutcome = {
      ...emptyOutcome(),
      status: 'rejected',
      format: message.format,
      warnings: [],
    };
    return { outcome, keys: new KeyDigests().toBase64(), unreadable: 0, sourceChanged: true };
  }
}

/** The chunk's result, for the job's last chunk to assemble (compact JSON: read back by a machine). */
async function putChunkResult(
  deps: IngestDependencies,
  jobId: string,
  document: ChunkResultDocument,
): Promise<void> {
  const json = Buffer.from(JSON.stringify(document), 'utf8');
  await deps.files.putStream(
    bucketLayout.ingestChunkResultKey(jobId, document.chunk),
    (async function* () {
      yield json;
    })(),
    json.length,
    'application/json',
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

  const read = await readChunk(deps, context, message, new KeyDigests());
  const { chunk, start, end, firstRow } = message;
  await putChunkResult(deps, message.jobId, { chunk, start, end, firstRow, ...read });
  const { outcome } = read;
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

type ChunkRange = { start: number; end: number; firstRow: number };

/** What the chunk results add up to, read one chunk result at a time. */
interface ChunkSummary {
  readonly counts: IngestionCounts;
  readonly statuses: Set<string>;
  readonly fileErrors: FileError[];
  readonly warnings: { code: string; reason: string }[];
  readonly rejectedRows: FullReport['rejectedRows'];
  duplicateRows: FullReport['duplicateRows'];
  readonly flaggedRows: FullReport['flaggedRows'];
  /** Rows of each list over all chunks, before the lists were cut at the report limit. */
  readonly totals: { rejectedRows: number; duplicateRows: number; flaggedRows: number };
  readonly keyParts: { chunk: number; keys: Buffer }[];
  readonly ranges: Map<number, ChunkRange>;
  first?: IngestFileOutcome;
  appliedRows: FullReport['appliedRows'];
  csvBytes: number;
  /**
   * A single pass reports one UNREADABLE_RECORDS error with the file's count, where each chunk
   * reported its own: they become one, in the place of the first, with the sum.
   */
  unreadable: number;
  unreadableAt: number;
  /**
   * JSON Lines has no header: each line has its own keys, so the unknown ones are the union over
   * the chunks in file order (a single pass keeps the first 100), and the warning naming them is
   * rebuilt from it. A CSV chunk's columns are the header's, the same in every chunk.
   */
  readonly unknownKeys: Set<string>;
  /** Chunks that found the object replaced before they could read it (nothing of them stored). */
  readonly unread: { chunk: number; firstRow: number }[];
}

function emptySummary(): ChunkSummary {
  return {
    counts: { ...noCounts },
    statuses: new Set(),
    fileErrors: [],
    warnings: [],
    rejectedRows: [],
    duplicateRows: [],
    flaggedRows: [],
    totals: { rejectedRows: 0, duplicateRows: 0, flaggedRows: 0 },
    keyParts: [],
    ranges: new Map(),
    appliedRows: null,
    csvBytes: 0,
    unreadable: 0,
    unreadableAt: -1,
    unknownKeys: new Set(),
    unread: [],
  };
}

function addFileErrors(summary: ChunkSummary, document: ChunkResultDocument): void {
  for (const error of document.outcome.fileErrors) {
    if (error.code === 'UNREADABLE_RECORDS') {
      if (summary.unreadableAt < 0) {
        summary.unreadableAt = summary.fileErrors.length;
        summary.fileErrors.push(error);
      }
      // A result written before chunks kept the count has it only in the reason.
      if (document.unreadable === undefined) summary.unreadable += Number.parseInt(error.reason, 10) || 0;
      continue;
    }
    if (!summary.fileErrors.some((known) => known.code === error.code && known.reason === error.reason))
      summary.fileErrors.push(error);
  }
  summary.unreadable += document.unreadable ?? 0;
}

function addWarnings(summary: ChunkSummary, outcome: IngestFileOutcome, jsonl: boolean): void {
  for (const warning of outcome.warnings) {
    if (jsonl && warning.code === 'UNKNOWN_COLUMNS') continue;
    if (!summary.warnings.some((known) => known.code === warning.code)) summary.warnings.push(warning);
  }
  if (jsonl) {
    for (const name of outcome.columns.unknown)
      if (summary.unknownKeys.size < 100) summary.unknownKeys.add(name);
  }
}

/** The row lists, kept up to the report limit; the totals count every row. */
function addRowLists(summary: ChunkSummary, outcome: IngestFileOutcome, limit: number): void {
  // A chunk keeps the first rows of each list; `truncated` counts the rest.
  summary.totals.rejectedRows += outcome.rejectedRows.length + (outcome.truncated?.rejectedRows ?? 0);
  summary.totals.duplicateRows += outcome.duplicateRows.length + (outcome.truncated?.duplicateRows ?? 0);
  summary.totals.flaggedRows += outcome.flaggedRows.length + (outcome.truncated?.flaggedRows ?? 0);
  const room = (list: readonly unknown[]) => Math.max(0, limit - list.length);
  summary.rejectedRows.push(...outcome.rejectedRows.slice(0, room(summary.rejectedRows)));
  summary.duplicateRows.push(...outcome.duplicateRows.slice(0, room(summary.duplicateRows)));
  summary.flaggedRows.push(...outcome.flaggedRows.slice(0, room(summary.flaggedRows)));
}

function addChunk(summary: ChunkSummary, document: ChunkResultDocument, jsonl: boolean, limit: number): void {
  const { outcome } = document;
  summary.first ??= outcome;
  summary.ranges.set(document.chunk, document);
  if (document.sourceChanged) summary.unread.push({ chunk: document.chunk, firstRow: document.firstRow });
  for (const name of Object.keys(summary.counts) as (keyof IngestionCounts)[])
    summary.counts[name] = (summary.counts[name] ?? 0) + (outcome.counts[name] ?? 0);
  summary.statuses.add(outcome.status);
  addFileErrors(summary, document);
  addWarnings(summary, outcome, jsonl);
  addRowLists(summary, outcome, limit);
  if (outcome.appliedRows) {
    summary.appliedRows = {
      from: summary.appliedRows?.from ?? outcome.appliedRows.from,
      to: outcome.appliedRows.to,
    };
  }
  summary.keyParts.push({ chunk: document.chunk, keys: Buffer.from(document.keys, 'base64') });
  summary.csvBytes += document.rejectedCsvBytes ?? Buffer.byteLength(document.rejectedCsv ?? '', 'utf8');
}

function readChunkResult(deps: IngestDependencies, jobId: string, chunk: number) {
  return deps.objects.getJson<ChunkResultDocument>(bucketLayout.ingestChunkResultKey(jobId, chunk));
}

/** Step 1: the chunk results, one in memory at a time, summed. */
async function summariseChunks(
  deps: IngestDependencies,
  job: JobContext,
  chunkCount: number,
  jsonl: boolean,
): Promise<ChunkSummary> {
  const summary = emptySummary();
  const limit = ingestion.reportRejectedRowsLimit;
  for (let chunk = 0; chunk < chunkCount; chunk += 1) {
    addChunk(summary, await readChunkResult(deps, job.jobId, chunk), jsonl, limit);
  }
  if (summary.unreadableAt >= 0)
    summary.fileErrors[summary.unreadableAt] = unreadableRecordsError(summary.unreadable);
  if (jsonl && summary.unknownKeys.size > 0)
    summary.warnings.push(unknownColumnsWarning(job.dataset, [...summary.unknownKeys]));
  return summary;
}

/**
 * Step 2: duplicates across chunks, from the digest lists. The lowest row of a business key is the
 * original, as in a single pass; the later ones move from accepted to duplicate.
 */
function settleCrossChunkDuplicates(summary: ChunkSummary): ReturnType<typeof crossChunkDuplicates> {
  const settled = crossChunkDuplicates(summary.keyParts);
  summary.keyParts.length = 0;
  const { duplicates } = settled;
  for (const duplicate of duplicates) {
    summary.counts.accepted -= 1;
    summary.counts.duplicate += 1;
    if (duplicate.late) summary.counts.late -= 1;
    if (duplicate.publicationCount) {
      const field = publicationCountField[duplicate.publicationCount];
      summary.counts[field] = (summary.counts[field] ?? 0) - 1;
    }
  }
  summary.totals.duplicateRows += duplicates.length;
  if (duplicates.length > 0) {
    summary.duplicateRows = [
      ...summary.duplicateRows,
      ...duplicates.map(({ row, duplicateOf }) => ({ row, duplicateOf })),
    ]
      .sort((a, b) => a.row - b.row)
      .slice(0, ingestion.reportRejectedRowsLimit);
  }
  return settled;
}

/**
 * Step 3: a duplicate row stored its version in the history (a single pass never stores it): those
 * items are removed; then the first occurrences are written again, so that they are the stored
 * version whatever order the chunks ran in.
 */
async function repairCrossChunkDuplicates(
  deps: IngestDependencies,
  job: JobContext,
  message: ChunkMessage,
  ranges: ReadonlyMap<number, ChunkRange>,
  settled: {
    duplicates: readonly CrossChunkDuplicate[];
    originals: ReadonlyMap<number, ReadonlySet<number>>;
  },
): Promise<void> {
  const duplicatesByChunk = new Map<number, Set<number>>();
  for (const duplicate of settled.duplicates) {
    const set = duplicatesByChunk.get(duplicate.chunk) ?? new Set<number>();
    set.add(duplicate.row);
    duplicatesByChunk.set(duplicate.chunk, set);
  }
  const provenance = provenanceOf(job);
  const rangeOf = (chunk: number) => {
    const range = ranges.get(chunk);
    if (!range) throw new ChunkJobMissingError(`job ${job.jobId}: no result for chunk ${chunk}`);
    return range;
  };
  for (const [chunk, rows] of duplicatesByChunk) {
    await ingestRange(
      deps,
      job,
      message,
      rangeOf(chunk),
      { only: rows, write: (undo) => deps.records.removeVersions(undo, provenance) },
      ignoreRejects,
    );
  }
  for (const [chunk, rows] of settled.originals) {
    await ingestRange(deps, job, message, rangeOf(chunk), { only: rows }, ignoreRejects);
  }
}

/** Step 3, unless the object was replaced since its chunks were read (false then: nothing repaired). */
async function repairUnlessReplaced(
  ...args: Parameters<typeof repairCrossChunkDuplicates>
): Promise<boolean> {
  const [, , , , settled] = args;
  if (settled.duplicates.length === 0 && settled.originals.size === 0) return true;
  try {
    await repairCrossChunkDuplicates(...args);
    return true;
  } catch (error) {
    if (error instanceof SourceChangedError) return false;
    throw error;
  }
}

function listUnread(unread: readonly { chunk: number; firstRow: number }[]): string {
  const named = unread
    .slice(0, 20)
    .map(({ chunk, firstRow }) => `chunk ${chunk + 1} (rows from ${firstRow})`)
    .join(', ');
  return unread.length > 20 ? `${named} and ${unread.length - 20} more` : named;
}

/**
 * The object was replaced while the job ran: which chunks stored nothing, and that the two versions
 * were not mixed. Cross-chunk duplicates were counted, but their history items cannot be repaired
 * without the original bytes.
 */
function sourceChangedError(
  message: ChunkMessage,
  unread: readonly { chunk: number; firstRow: number }[],
  duplicates: number,
): FileError {
  const version = `the version this job started from (ETag ${message.eTag ?? 'unknown'})`;
  const what =
    unread.length > 0
      ? `${listUnread(unread)} of ${message.chunkCount} could not be read from ${version} and stored nothing; the rows of the other chunks were stored from that version (see counts)`
      : `every chunk was stored from ${version}, but the object changed before duplicates across chunks were settled`;
  const repair =
    duplicates > 0
      ? ` ${duplicates} row(s) repeating a business key of an earlier chunk are counted as duplicates, but the history versions they stored could not be removed without the original bytes.`
      : '';
  return {
    code: 'SOURCE_CHANGED',
    reason: `${message.key} was replaced while this upload was being ingested: ${what}. The two versions were not mixed: the newer upload is ingested as its own job, with its own report.${repair}`,
  };
}

/** A chunk's rejected-rows lines: streamed from their own object (older results carried them inline). */
async function* chunkCsvLines(
  deps: IngestDependencies,
  document: ChunkResultDocument,
): AsyncGenerator<Buffer> {
  if (document.rejectedCsvKey) {
    for await (const piece of await deps.files.open(document.rejectedCsvKey)) yield piece as Buffer;
  } else if (document.rejectedCsv) {
    yield Buffer.from(document.rejectedCsv, 'utf8');
  }
}

/**
 * Step 4: the rejected-rows CSV, streamed from the chunks' fragments (a PUT of known length: BOM
 * and header, then each chunk's lines as read from S3, never the whole CSV in memory).
 */
async function writeChunkedRejectedCsv(
  deps: IngestDependencies,
  job: JobContext,
  chunkCount: number,
  csvBytes: number,
): Promise<string> {
  const csvKey = rejectedKeyFor(job.reportKey);
  const head = Buffer.from(rejectedCsvHead(), 'utf8');
  await deps.files.putStream(
    csvKey,
    (async function* () {
      yield head;
      for (let chunk = 0; chunk < chunkCount; chunk += 1)
        yield* chunkCsvLines(deps, await readChunkResult(deps, job.jobId, chunk));
    })(),
    head.length + csvBytes,
    'text/csv; charset=utf-8',
  );
  return csvKey;
}

/** Step 5: the report, its lists cut at the limit with what was cut. */
function chunkedReport(
  job: JobContext,
  message: ChunkMessage,
  item: JobItem,
  summary: ChunkSummary,
  written: { finishedAt: string; chunkCount: number; csvKey: string | undefined },
): FullReport {
  const jsonl = message.format === 'jsonl';
  const columns = summary.first?.columns ?? { recognised: [], unknown: [] };
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
    finishedAt: written.finishedAt,
    status: mergeStatus(summary.statuses),
    format: message.format,
    encoding: message.encoding,
    counts: summary.counts,
    columns: jsonl ? { recognised: columns.recognised, unknown: [...summary.unknownKeys] } : columns,
    fileErrors: summary.fileErrors,
    warnings: summary.warnings,
    rejectedRows: summary.rejectedRows,
    duplicateRows: summary.duplicateRows,
    flaggedRows: summary.flaggedRows,
    appliedRows: summary.appliedRows,
    contentSha256: item.contentSha256 ?? '',
    chunks: written.chunkCount,
    ...(written.csvKey ? { rejectedRowsCsvKey: written.csvKey } : {}),
  };
  const cut = {
    rejectedRows: summary.totals.rejectedRows - summary.rejectedRows.length,
    duplicateRows: summary.totals.duplicateRows - summary.duplicateRows.length,
    flaggedRows: summary.totals.flaggedRows - summary.flaggedRows.length,
  };
  const concluded = rejectIfNoRowAccepted(report);
  return cut.rejectedRows + cut.duplicateRows + cut.flaggedRows > 0
    ? { ...concluded, truncated: cut }
    : capLists(concluded);
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
  const summary = await summariseChunks(deps, job, chunkCount, message.format === 'jsonl');
  const settled = settleCrossChunkDuplicates(summary);
  const repaired =
    summary.unread.length === 0 && (await repairUnlessReplaced(deps, job, message, summary.ranges, settled));
  if (!repaired) {
    summary.fileErrors.push(sourceChangedError(message, summary.unread, settled.duplicates.length));
    summary.statuses.add('partial');
  }
  const target = { ...job, reportKey: reportKeyOfJob(job.reportKey, job.jobId, summary.fileErrors) };
  // Chunks that stored nothing: the same bytes uploaded again must be ingested, not refused as a duplicate.
  if (summary.unread.length > 0 && item.contentSha256)
    await deps.jobs.releaseContent(job.agency.code, job.dataset, item.contentSha256, job.jobId);
  const csvKey =
    summary.totals.rejectedRows > 0
      ? await writeChunkedRejectedCsv(deps, target, chunkCount, summary.csvBytes)
      : undefined;
  const finishedAt = deps.clock.now().toISOString();
  const report = chunkedReport(target, message, item, summary, { finishedAt, chunkCount, csvKey });
  await deps.objects.putJson(target.reportKey, report);
  await deps.jobs.finish(job.jobId, {
    status: report.status,
    finishedAt,
    reportKey: target.reportKey,
    counts: summary.counts,
  });
  return report;
}
