import { Readable } from 'node:stream';
import { fixedClock } from '#lib/clock/clock';
import type { ListTypeRules } from '#lib/datasets/list-authority';
import type { ChunkMessage } from '#lib/ingest/chunking/messages';
import type { IngestDependencies } from '#lib/ingest/ingest-object';
import type {
  AgencyDirectory,
  ChunkQueue,
  JobLedger,
  ListTypeDirectory,
  ObjectVersion,
  ObjectWriter,
  RecordWriteResult,
  RecordWriter,
  ReportObjects,
  SourceObjects,
  SubjectChangedPublisher,
} from '#lib/ingest/ports';
import type {
  AcceptedRow,
  Agency,
  ChunkDoneResult,
  ContentClaim,
  IngestionCounts,
  JobBeginResult,
  JobFinish,
  JobItem,
  JobStart,
  RecordProvenance,
} from '#lib/ingest/types';
import { noCounts } from '#lib/ingest/types';
import type { MatchMessage } from '#lib/matching/messages';
import { testListTypeRules } from './csv-fixtures';

/** In-memory implementations of the ingestion ports: the same contracts as lib/aws, no emulator. */

export class InMemoryAgencies implements AgencyDirectory {
  readonly agencies = new Map<string, Agency>();
  constructor(...agencies: Agency[]) {
    for (const agency of agencies) this.agencies.set(agency.code, agency);
  }
  async getAgency(code: string): Promise<Agency | undefined> {
    return this.agencies.get(code);
  }
}

export class InMemoryListTypes implements ListTypeDirectory {
  constructor(public rules: ListTypeRules = testListTypeRules) {}
  async listTypeRules(): Promise<ListTypeRules> {
    return this.rules;
  }
}

export class InMemoryRecords implements RecordWriter {
  /** The latest stored version of each row's record, by business key. */
  readonly current = new Map<string, { row: number; provenance: RecordProvenance }>();
  /** Every history version stored: `<businessKey>#<jobId>#<row>`. */
  readonly versions = new Set<string>();
  writes = 0;
  /** What the store reports as kept corrections, for the rows written (a test sets it). */
  correctionsKept: RecordWriteResult['correctionsKept'][number][] = [];
  async write(rows: readonly AcceptedRow[], provenance: RecordProvenance): Promise<RecordWriteResult> {
    this.writes += 1;
    for (const row of rows) {
      this.current.set(row.businessKey, { row: row.row, provenance });
      this.versions.add(`${row.businessKey}#${provenance.jobId}#${row.row}`);
    }
    return {
      correctionsKept: this.correctionsKept.filter((kept) => rows.some((row) => row.row === kept.row)),
    };
  }
  async removeVersions(rows: readonly AcceptedRow[], provenance: RecordProvenance): Promise<void> {
    for (const row of rows) this.versions.delete(`${row.businessKey}#${provenance.jobId}#${row.row}`);
  }
}

type MutableJob = { -readonly [K in keyof JobItem]: JobItem[K] } & { chunksDone?: Set<number> };

export class InMemoryJobs implements JobLedger {
  readonly jobs = new Map<string, MutableJob>();
  readonly contents = new Map<string, { jobId: string; sourceKey: string }>();

  async begin(job: JobStart): Promise<JobBeginResult> {
    const existing = this.jobs.get(job.jobId);
    if (!existing) {
      this.jobs.set(job.jobId, { ...job, status: 'running', attempts: 1, counts: { ...noCounts } });
      return 'started';
    }
    if (existing.finishedAt) return 'already-finished';
    existing.attempts += 1;
    existing.status = 'running';
    existing.startedAt = job.startedAt;
    return 'resumed';
  }
  async get(jobId: string): Promise<JobItem | undefined> {
    const job = this.jobs.get(jobId);
    return job ? { ...job, counts: { ...job.counts }, chunksDone: new Set(job.chunksDone ?? []) } : undefined;
  }
  async progress(jobId: string, rowsRead: number): Promise<void> {
    const job = this.jobs.get(jobId);
    if (job && !job.finishedAt) job.counts = { ...job.counts, rows: rowsRead };
  }
  async recordPlan(jobId: string, plan: { chunkCount: number; contentSha256: string }): Promise<void> {
    Object.assign(this.require(jobId), plan);
  }
  async recordFanOut(jobId: string, at: string): Promise<void> {
    this.require(jobId).fannedOutAt = at;
  }
  async chunkDone(jobId: string, chunk: number, counts: IngestionCounts): Promise<ChunkDoneResult> {
    const job = this.require(jobId);
    job.chunksDone ??= new Set();
    if (job.chunksDone.has(chunk)) return { status: 'already-done', job: (await this.get(jobId))! };
    job.chunksDone.add(chunk);
    for (const name of Object.keys(noCounts) as (keyof IngestionCounts)[])
      job.counts = { ...job.counts, [name]: (job.counts[name] ?? 0) + (counts[name] ?? 0) };
    return {
      status: 'recorded',
      job: (await this.get(jobId))!,
      last: job.chunksDone.size === job.chunkCount,
    };
  }
  async finish(jobId: string, fields: JobFinish): Promise<void> {
    Object.assign(this.require(jobId), fields);
  }
  async fail(jobId: string, reason: string, at: string): Promise<void> {
    const job = this.require(jobId);
    if (!job.finishedAt) Object.assign(job, { status: 'failed', failure: reason, failedAt: at });
  }
  async claimContent(
    agencyCode: string,
    dataset: string,
    sha256: string,
    owner: { jobId: string; sourceKey: string; at: string },
  ): Promise<ContentClaim> {
    const key = `${agencyCode}#${dataset}#${sha256}`;
    const claimed = this.contents.get(key);
    if (!claimed || claimed.jobId === owner.jobId) {
      this.contents.set(key, owner);
      return { status: 'first' };
    }
    return { status: 'duplicate', ...claimed };
  }
  async releaseContent(agencyCode: string, dataset: string, sha256: string, jobId: string): Promise<void> {
    const key = `${agencyCode}#${dataset}#${sha256}`;
    if (this.contents.get(key)?.jobId === jobId) this.contents.delete(key);
  }
  private require(jobId: string): MutableJob {
    const job = this.jobs.get(jobId);
    if (!job) throw new Error(`no job ${jobId}`);
    return job;
  }
}

/** A bucket: objects by key, each with an ETag that changes when it is overwritten. */
export class InMemoryBucket implements SourceObjects, ReportObjects {
  readonly objects = new Map<string, { body: Buffer; eTag: string }>();
  #version = 0;

  put(key: string, body: Buffer | string): { eTag: string } {
    this.#version += 1;
    const eTag = `etag-${this.#version}`;
    this.objects.set(key, { body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body, eTag });
    return { eTag };
  }
  text(key: string): string {
    return this.body(key, undefined).toString('utf8');
  }
  json<T = Record<string, unknown>>(key: string): T {
    return JSON.parse(this.text(key)) as T;
  }
  private body(key: string, _version: ObjectVersion | undefined): Buffer {
    const object = this.objects.get(key);
    if (!object) throw new Error(`NoSuchKey: ${key}`);
    return object.body;
  }
  async head(key: string, version?: ObjectVersion): Promise<{ size: number; eTag?: string }> {
    return { size: this.body(key, version).length, eTag: this.objects.get(key)!.eTag };
  }
  async open(key: string, version?: ObjectVersion): Promise<Readable> {
    return Readable.from([this.body(key, version)]);
  }
  async openRange(key: string, version: ObjectVersion | undefined, start: number, end: number) {
    return Readable.from(end > start ? [this.body(key, version).subarray(start, end)] : []);
  }
  async readRange(key: string, version: ObjectVersion | undefined, start: number, end: number) {
    return Buffer.from(this.body(key, version).subarray(start, end));
  }
  async readAll(key: string, version?: ObjectVersion): Promise<Buffer> {
    return Buffer.from(this.body(key, version));
  }
  async putStream(key: string, parts: AsyncIterable<Buffer>, contentLength: number): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const part of parts) chunks.push(part);
    const body = Buffer.concat(chunks);
    if (body.length !== contentLength)
      throw new Error(`putStream ${key}: ${body.length} bytes, ${contentLength} announced`);
    this.put(key, body);
  }
  /** Writers opened, and how many writes each received (a streamed object arrives in many). */
  readonly writers: { key: string; writes: number; closed: boolean }[] = [];
  createWriter(key: string): ObjectWriter {
    const parts: Buffer[] = [];
    const state = { key, writes: 0, closed: false };
    this.writers.push(state);
    return {
      write: async (bytes) => {
        state.writes += 1;
        parts.push(bytes);
      },
      close: async () => {
        state.closed = true;
        this.put(key, Buffer.concat(parts));
      },
      abort: async () => {
        parts.length = 0;
      },
    };
  }
  async putJson(key: string, value: unknown): Promise<void> {
    this.put(key, `${JSON.stringify(value, null, 2)}\n`);
  }
  async getJson<T>(key: string): Promise<T> {
    return JSON.parse(this.text(key)) as T;
  }
}

export class InMemoryQueue<T> {
  readonly sent: T[] = [];
  async send(messages: readonly T[]): Promise<void> {
    this.sent.push(...messages);
  }
}

export interface InMemoryIngest {
  readonly deps: IngestDependencies;
  readonly agencies: InMemoryAgencies;
  readonly records: InMemoryRecords;
  readonly jobs: InMemoryJobs;
  readonly bucket: InMemoryBucket;
  readonly subjects: InMemoryQueue<MatchMessage> & SubjectChangedPublisher;
  readonly chunks: InMemoryQueue<ChunkMessage> & ChunkQueue;
}

/** The ingestion use cases wired to in-memory ports, at a fixed instant. */
export function inMemoryIngest(
  options: { agencies?: Agency[]; chunkBytes?: number; chunked?: boolean; now?: string } = {},
): InMemoryIngest {
  const agencies = new InMemoryAgencies(...(options.agencies ?? []));
  const records = new InMemoryRecords();
  const jobs = new InMemoryJobs();
  const bucket = new InMemoryBucket();
  const subjects = new InMemoryQueue<MatchMessage>();
  const chunks = new InMemoryQueue<ChunkMessage>();
  const deps: IngestDependencies = {
    agencies,
    listTypes: new InMemoryListTypes(),
    records,
    jobs,
    objects: bucket,
    files: bucket,
    matchQueue: subjects,
    ...(options.chunked ? { chunkQueue: chunks } : {}),
    clock: fixedClock(options.now ?? '2026-11-20T02:05:00.000Z'),
    batchRows: 10,
    ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}),
  };
  return { deps, agencies, records, jobs, bucket, subjects, chunks };
}
