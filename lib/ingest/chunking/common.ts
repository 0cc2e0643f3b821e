import type { Clock } from '#lib/clock/clock';
import { fieldLabel } from '#lib/datasets/fields';
import { type DatasetId, type RowContext, schemaFor } from '#lib/datasets/index';
import { type DueDateResolver, type DueDateSource, loadDueDateResolver } from '#lib/deadlines/due-dates';
import { type MatchCause, type MatchMessage, matchMessageFor } from '#lib/matching/messages';
import { bucketLayout, ingestion } from '#lib/platform/resources';
import type { IngestFileOutcome } from '../ingest-file';
import type {
  AgencyDirectory,
  ChunkQueue,
  JobLedger,
  ListTypeDirectory,
  ObjectWriter,
  PriorArrivals,
  PriorRemovalStarts,
  RecordSink,
  RecordWriteResult,
  RecordWriter,
  ReportObjects,
  SourceObjects,
  SubjectChangedPublisher,
} from '../ports';
import type { AcceptedRow, Agency, IngestionReport, RecordProvenance, RejectedRow } from '../types';
import { KeyDigests } from './key-digests';
import { rejectedCsvFragment, rejectedCsvHead, rejectedRowsCsv } from './rejected-csv';
import { WritePipeline } from './write-pipeline';

export interface IngestDependencies {
  readonly agencies: AgencyDirectory;
  /** List types and who may decide entries on them (read for the list-entry dataset only). */
  readonly listTypes: ListTypeDirectory;
  readonly records: RecordWriter;
  readonly jobs: JobLedger;
  readonly objects: ReportObjects;
  readonly files: SourceObjects;
  readonly matchQueue: SubjectChangedPublisher;
  /** Where chunk messages go; without it every file is ingested in a single pass. */
  readonly chunkQueue?: ChunkQueue;
  readonly allowList?: ReadonlySet<string>;
  readonly priorArrivals?: PriorArrivals;
  /** Court entries stored as 全部履行: a re-sent list does not restart their removal clock. */
  readonly priorRemovalStarts?: PriorRemovalStarts;
  /**
   * The stored calendar years and deadline rule overrides the late flag is judged by (the same
   * resolver as GET /v1/calendar/due-date); without it, the package calendar and the default rules.
   */
  readonly deadlineRules?: DueDateSource;
  readonly clock: Clock;
  /** Files this large or larger are chunked (default ingestion.chunkBytes). */
  readonly chunkBytes?: number;
  /** Sink writes in flight (each one up to `batchRows` rows). */
  readonly writeDepth?: number;
  readonly batchRows?: number;
  /** Called with the counts so far every `progressEveryRows` rows of a single-pass job. */
  readonly progressEveryRows?: number;
}

/** The ingest input's `dueDates`: the resolver from the stored calendar and rules, when wired. */
export async function dueDatesOf(deps: IngestDependencies): Promise<{ dueDates?: DueDateResolver }> {
  return deps.deadlineRules ? { dueDates: await loadDueDateResolver(deps.deadlineRules) } : {};
}

/** What is known about a job once its key, agency and dataset have been checked. */
export interface JobContext {
  readonly jobId: string;
  readonly agency: Agency;
  readonly dataset: DatasetId;
  readonly sourceKey: string;
  readonly fileName: string;
  readonly reportKey: string;
  readonly receivedAt: string;
  readonly receivedDate: string;
}

/** The result report, with what large files add: content hash, chunks, where every rejected row is. */
export type FullReport = IngestionReport & {
  format?: string | null;
  warnings?: { code: string; reason: string }[];
  contentSha256?: string;
  chunks?: number;
  /** The rejected-rows CSV (UTF-8 with BOM): every rejected row, even when the lists below are cut. */
  rejectedRowsCsvKey?: string;
  /** Set when a list in this JSON was cut at ingestion.reportRejectedRowsLimit entries. */
  truncated?: { rejectedRows: number; duplicateRows: number; flaggedRows: number };
};

const defaultDepth = Math.max(1, Math.floor(ingestion.writeConcurrency / 4));

/** Sends match messages, 10 a call, a few calls in flight. */
async function sendSubjects(deps: IngestDependencies, messages: readonly MatchMessage[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < messages.length) {
      const group = messages.slice(next, next + 10);
      next += 10;
      await deps.matchQueue.send(group);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

/** Datasets whose rows are list entries (a court entry is stored as one). */
const LIST_DATASETS: ReadonlySet<DatasetId> = new Set(['list-entry', 'court-dishonest']);

/** Datasets whose rows name a list type and are checked against list authority. */
const LIST_AUTHORITY_DATASETS: ReadonlySet<DatasetId> = new Set(['list-entry']);

/**
 * What validation knows of the upload: the agency, today (Asia/Shanghai), the allow list and,
 * for list entries, the list types with their deciding agencies.
 */
export async function rowContext(
  deps: IngestDependencies,
  job: JobContext,
  dueDates?: DueDateResolver,
): Promise<RowContext> {
  return {
    agency: job.agency,
    today: deps.clock.today(),
    // Working-day periods of rows (a court entry's removal deadline) count on the one resolver's calendar.
    ...(dueDates
      ? { addWorkingDays: (from: string, days: number) => dueDates.dueDateOrPending(from, days) }
      : {}),
    ...(deps.allowList ? { allowList: deps.allowList } : {}),
    ...(LIST_AUTHORITY_DATASETS.has(job.dataset) ? { listTypes: await deps.listTypes.listTypeRules() } : {}),
  };
}

export function provenanceOf(job: JobContext): RecordProvenance {
  return {
    agencyCode: job.agency.code,
    jobId: job.jobId,
    sourceKey: job.sourceKey,
    receivedAt: job.receivedAt,
    receivedDate: job.receivedDate,
  };
}

/**
 * Stores accepted rows (deterministic items: a retry rewrites the same ones) and notes their
 * subjects, which runWithSink sends to the match queue once the rows are stored: one message per
 * subject per chunk, not per batch.
 */
export async function writeRows(
  deps: IngestDependencies,
  job: JobContext,
  rows: readonly AcceptedRow[],
  subjects: Map<string, MatchCause>,
  kept: RecordWriteResult['correctionsKept'][number][] = [],
): Promise<void> {
  const written = await deps.records.write(rows, provenanceOf(job));
  kept.push(...written.correctionsKept);
  for (const row of rows) {
    // Reference rows have no subject and re-screen nothing; runWithSink drops subjects no watch can fit.
    if ('subject' in row.record)
      subjects.set(row.record.subject.key, LIST_DATASETS.has(row.record.dataset) ? 'list-entry' : 'record');
  }
}

/**
 * Runs an ingestion (ingestFile or ingestRows, given as `run`) with a pipelined sink. `only` keeps
 * just those rows (repairing cross-chunk duplicates); `keys` collects business-key digests.
 */
export async function runWithSink(
  deps: IngestDependencies,
  job: JobContext,
  run: (sink: RecordSink) => Promise<IngestFileOutcome>,
  options: {
    keys?: KeyDigests;
    only?: ReadonlySet<number>;
    onRows?: (rows: number) => Promise<void>;
    /** Replaces storing the rows (undoing the history items of cross-chunk duplicates). */
    write?: (rows: readonly AcceptedRow[]) => Promise<void>;
  } = {},
): Promise<IngestFileOutcome> {
  const subjects = new Map<string, MatchCause>();
  const kept: RecordWriteResult['correctionsKept'][number][] = [];
  const pipeline = new WritePipeline(
    options.write ?? ((rows) => writeRows(deps, job, rows, subjects, kept)),
    deps.writeDepth ?? defaultDepth,
  );
  const sink: RecordSink = {
    write: async (rows) => {
      options.keys?.add(rows);
      const kept = options.only ? rows.filter((row) => options.only!.has(row.row)) : rows;
      if (kept.length > 0) await pipeline.write(kept);
      await options.onRows?.(rows[rows.length - 1]!.row);
    },
  };
  const outcome = await run(sink);
  await pipeline.drain();
  await sendSubjects(
    deps,
    [...subjects].flatMap(([subjectKey, cause]) => matchMessageFor(subjectKey, cause, job.sourceKey) ?? []),
  );
  return withCorrectionsKept(outcome, kept, job.dataset);
}

/** The flag of a row whose record kept a correction by objection against the value the row sent. */
export const CORRECTED_BY_OBJECTION_KEPT = 'CORRECTED_BY_OBJECTION_KEPT';

/**
 * The outcome with every row whose record kept a correction by objection flagged
 * CORRECTED_BY_OBJECTION_KEPT, naming the fields as the agency's file does: its file still carries
 * the value found wrong.
 */
export function withCorrectionsKept(
  outcome: IngestFileOutcome,
  kept: RecordWriteResult['correctionsKept'],
  dataset: DatasetId,
): IngestFileOutcome {
  if (kept.length === 0) return outcome;
  const fields = schemaFor(dataset).fields;
  const byRow = new Map(outcome.flaggedRows.map((entry) => [entry.row, entry]));
  for (const { row, corrections } of kept) {
    const entry = byRow.get(row) ?? { row, flags: [] };
    const named = corrections.map(({ field, objectionId }) => {
      const spec = fields.find((candidate) => candidate.key === field);
      return { field: spec ? fieldLabel(spec) : field, name: spec?.nameZh ?? field, objectionId };
    });
    byRow.set(row, {
      ...entry,
      flags: [
        ...entry.flags.filter((flag) => flag !== CORRECTED_BY_OBJECTION_KEPT),
        CORRECTED_BY_OBJECTION_KEPT,
      ],
      correctionsKept: named,
    });
  }
  return { ...outcome, flaggedRows: [...byRow.values()].sort((a, b) => a.row - b.row) };
}

/** Cuts the report's row lists at the limit; the CSV next to it keeps every rejected row. */
export function capLists<T extends FullReport>(report: T, limit = ingestion.reportRejectedRowsLimit): T {
  const cut = {
    rejectedRows: Math.max(0, report.rejectedRows.length - limit),
    duplicateRows: Math.max(0, report.duplicateRows.length - limit),
    flaggedRows: Math.max(0, report.flaggedRows.length - limit),
  };
  if (cut.rejectedRows + cut.duplicateRows + cut.flaggedRows === 0) return report;
  return {
    ...report,
    rejectedRows: report.rejectedRows.slice(0, limit),
    duplicateRows: report.duplicateRows.slice(0, limit),
    flaggedRows: report.flaggedRows.slice(0, limit),
    truncated: cut,
  };
}

export function rejectedKeyFor(reportKey: string): string {
  return bucketLayout.rejectedRowsKey(reportKey);
}

/** Writes the rejected-rows CSV (small files: built in memory) and the report, in that order. */
export async function writeSmallReport(
  deps: IngestDependencies,
  report: FullReport,
  reportKey: string,
): Promise<FullReport> {
  let full = report;
  // A single pass has streamed its CSV already; refusals before any row have none.
  if (report.rejectedRows.length > 0 && !report.rejectedRowsCsvKey) {
    const csvKey = rejectedKeyFor(reportKey);
    const text = rejectedRowsCsv(report.rejectedRows);
    await deps.files.putStream(
      csvKey,
      (async function* () {
        yield Buffer.from(text, 'utf8');
      })(),
      Buffer.byteLength(text, 'utf8'),
      'text/csv; charset=utf-8',
    );
    full = { ...report, rejectedRowsCsvKey: csvKey };
  }
  const capped = capLists(full);
  await deps.objects.putJson(reportKey, capped);
  return capped;
}

/** Rejected rows streamed into an object as they are found (see rejectedRowsStream). */
export interface RejectedRowsStream {
  readonly key: string;
  add(entry: RejectedRow): Promise<void>;
  /** Completes the object; its key and byte length, or undefined when no row was rejected (no object). */
  close(): Promise<{ key: string; bytes: number } | undefined>;
  abort(): Promise<void>;
}

/**
 * Rejected rows streamed into `key` as CSV lines (a multipart upload: memory holds one part),
 * created only when a row is rejected. `withHead`: the whole CSV (BOM and header first); without
 * it, lines only — a chunk's fragment of the job's CSV.
 */
export function rejectedRowsStream(files: SourceObjects, key: string, withHead: boolean): RejectedRowsStream {
  let writer: ObjectWriter | undefined;
  let bytes = 0;
  const write = async (text: string) => {
    const piece = Buffer.from(text, 'utf8');
    bytes += piece.length;
    await writer?.write(piece);
  };
  return {
    key,
    add: async (entry) => {
      if (!writer) {
        writer = files.createWriter(key, 'text/csv; charset=utf-8');
        if (withHead) await write(rejectedCsvHead());
      }
      await write(rejectedCsvFragment([entry]));
    },
    close: async () => {
      if (!writer) return undefined;
      await writer.close();
      return { key, bytes };
    },
    abort: async () => writer?.abort(),
  };
}

export { KeyDigests };
