import type { Readable } from 'node:stream';
import type { ListTypeRules } from '../datasets/list-authority';
import type { KeptCorrection } from '../lifecycle/objection-corrections';
import type { MatchMessage } from '../matching/messages';
import type { ChunkMessage } from './chunking/messages';
import type {
  AcceptedRow,
  Agency,
  ChunkDoneResult,
  ContentClaim,
  FirstArrival,
  IngestionCounts,
  JobBeginResult,
  JobFinish,
  JobItem,
  JobStart,
  RecordProvenance,
} from './types';

/**
 * What ingestion needs from the outside world, each port as narrow as its use. lib/aws implements
 * them against DynamoDB, S3 and SQS; the unit tests implement them in memory.
 */

/** The agency registry as stored (profiles of the agencies that may upload). */
export interface AgencyDirectory {
  getAgency(code: string): Promise<Agency | undefined>;
}

/**
 * The list types of the reference data with their deciding agencies (list authority), read once
 * per file or chunk that carries list entries.
 */
export interface ListTypeDirectory {
  listTypeRules(): Promise<ListTypeRules>;
}

/** Where accepted rows are stored. Items are deterministic, so a retry rewrites the same ones. */
/** What storing rows found beyond the rows themselves. */
export interface RecordWriteResult {
  /**
   * Rows whose record kept a field corrected by an upheld objection: the source sent the value
   * found wrong again (its history version holds what it sent).
   */
  readonly correctionsKept: readonly {
    readonly row: number;
    readonly corrections: readonly KeptCorrection[];
  }[];
}

export interface RecordWriter {
  write(rows: readonly AcceptedRow[], provenance: RecordProvenance): Promise<RecordWriteResult>;
  /**
   * Removes the history versions these rows stored: rows found, after their chunk was stored, to
   * be duplicates of earlier rows in other chunks (a single pass never stores them).
   */
  removeVersions(rows: readonly AcceptedRow[], provenance: RecordProvenance): Promise<void>;
}

/** Where the rows of one file go while it is read (batched; the ingest sink pipelines them into a RecordWriter). */
export interface RecordSink {
  write(rows: readonly AcceptedRow[]): Promise<void>;
}

/** For a batch of rows, when each record (by business key) first arrived in an earlier file. */
export type PriorArrivals = (rows: readonly AcceptedRow[]) => Promise<ReadonlyMap<string, FirstArrival>>;

/**
 * For a batch of rows, the court entries already stored as 全部履行 without 移出日期: the day that
 * state first arrived (their removal clock's start), by business key. A court re-sending its list
 * does not restart the clock.
 */
export type PriorRemovalStarts = (rows: readonly AcceptedRow[]) => Promise<ReadonlyMap<string, string>>;

/** Ingestion jobs: claim, progress, chunk bookkeeping, content markers and finish, each idempotent. */
export interface JobLedger {
  begin(job: JobStart): Promise<JobBeginResult>;
  get(jobId: string): Promise<JobItem | undefined>;
  progress(jobId: string, rowsRead: number): Promise<void>;
  recordPlan(jobId: string, plan: { chunkCount: number; contentSha256: string }): Promise<void>;
  recordFanOut(jobId: string, at: string): Promise<void>;
  chunkDone(jobId: string, chunk: number, counts: IngestionCounts): Promise<ChunkDoneResult>;
  finish(jobId: string, fields: JobFinish): Promise<void>;
  fail(jobId: string, reason: string, at: string): Promise<void>;
  claimContent(
    agencyCode: string,
    dataset: string,
    sha256: string,
    owner: { jobId: string; sourceKey: string; at: string },
  ): Promise<ContentClaim>;
  /**
   * Gives up this job's claim on a content (nothing when another job holds it): a job that ended
   * without storing its rows because its object was replaced must not make a later upload of the
   * same bytes a duplicate.
   */
  releaseContent(agencyCode: string, dataset: string, sha256: string, jobId: string): Promise<void>;
}

/** The version of an uploaded object a job reads: every read of the job is pinned to it. */
export interface ObjectVersion {
  readonly versionId?: string | undefined;
  readonly eTag?: string | undefined;
}

/**
 * The version a job reads is no longer the object under its key: it was overwritten (its ETag is
 * not current — If-Match failed) or the version was removed. Nothing of it can be read any more.
 */
export class SourceChangedError extends Error {
  override name = 'SourceChangedError';
  constructor(
    readonly key: string,
    readonly version: ObjectVersion,
  ) {
    super(
      `${key} is no longer the version the job started from (${version.versionId ? `version ${version.versionId}, ` : ''}ETag ${version.eTag ?? 'unknown'})`,
    );
  }
}

/**
 * Reads of the uploaded files, each pinned to one version (VersionId where the bucket keeps versions,
 * If-Match on the ETag everywhere): a read of a version no longer there throws SourceChangedError.
 * And streamed writes of large outputs.
 */
export interface SourceObjects {
  head(key: string, version?: ObjectVersion): Promise<{ size: number; eTag?: string }>;
  open(key: string, version?: ObjectVersion): Promise<Readable>;
  /** Bytes [start, end) of the object, streamed. An empty range is an empty stream. */
  openRange(key: string, version: ObjectVersion | undefined, start: number, end: number): Promise<Readable>;
  readRange(key: string, version: ObjectVersion | undefined, start: number, end: number): Promise<Buffer>;
  readAll(key: string, version?: ObjectVersion): Promise<Buffer>;
  /** Writes an object from parts produced one after another; contentLength is their total byte length. */
  putStream(
    key: string,
    parts: AsyncIterable<Buffer>,
    contentLength: number,
    contentType: string,
  ): Promise<void>;
  /** An object of unknown length, written as it is produced (the rejected-rows CSV of a single pass). */
  createWriter(key: string, contentType: string): ObjectWriter;
}

/** An object written part by part (a multipart upload): memory holds one part, never the object. */
export interface ObjectWriter {
  write(bytes: Buffer): Promise<void>;
  /** Completes the object; nothing is visible before. */
  close(): Promise<void>;
  /** Drops what was written; the object is not created. */
  abort(): Promise<void>;
}

/** Reports and work files (JSON) in the data bucket. */
export interface ReportObjects {
  putJson(key: string, value: unknown): Promise<void>;
  getJson<T>(key: string): Promise<T>;
}

/** Tells the match function which subjects changed; duplicates are harmless. */
export interface SubjectChangedPublisher {
  send(messages: readonly MatchMessage[]): Promise<void>;
}

/** The ingest queue, for the chunks of a large file. */
export interface ChunkQueue {
  send(messages: readonly ChunkMessage[], eventSourceArn?: string): Promise<void>;
}
