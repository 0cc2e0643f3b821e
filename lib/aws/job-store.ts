import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { JobLedger } from '../ingest/ports';
import type {
  ChunkDoneResult,
  ContentClaim,
  IngestionCounts,
  JobBeginResult,
  JobFinish,
  JobItem,
  JobStart,
} from '../ingest/types';
import { noCounts } from '../ingest/types';
import { keys } from './items/keys';

export type { ChunkDoneResult, ContentClaim, JobBeginResult, JobItem, JobStart } from '../ingest/types';

export class JobPlanMissingError extends Error {
  override name = 'JobPlanMissingError';
}

/**
 * Ingestion jobs in the credit table: claim, progress, chunk bookkeeping and finish. Every write is
 * conditional or additive so that redelivered S3 events and SQS messages change nothing twice.
 */
export class JobStore implements JobLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  private key(jobId: string) {
    return { pk: keys.job(jobId), sk: 'JOB' };
  }

  /** Claims the job of one object version; a finished job is never run again. */
  async begin(job: JobStart): Promise<JobBeginResult> {
    const Item = {
      ...this.key(job.jobId),
      type: 'job',
      gsi1pk: keys.agencyListing(job.agencyCode, 'JOB'),
      gsi1sk: `${job.receivedAt}#${job.jobId}`,
      status: 'running',
      attempts: 1,
      counts: { ...noCounts },
      ...job,
    };
    try {
      await this.client.send(
        new PutCommand({ TableName: this.tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return 'started';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key(job.jobId),
          UpdateExpression: 'SET attempts = attempts + :one, #status = :running, startedAt = :now',
          ConditionExpression: 'attribute_not_exists(finishedAt)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':one': 1, ':running': 'running', ':now': job.startedAt },
        }),
      );
      return 'resumed';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'already-finished';
      throw error;
    }
  }

  async get(jobId: string): Promise<JobItem | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: this.key(jobId) }),
    );
    return result.Item as JobItem | undefined;
  }

  /** Progress of a single-pass job: rows read so far (the other counts arrive with the report). */
  async progress(jobId: string, rowsRead: number): Promise<void> {
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key(jobId),
          UpdateExpression: 'SET counts.#rows = :rows',
          ConditionExpression: 'attribute_not_exists(finishedAt)',
          ExpressionAttributeNames: { '#rows': 'rows' },
          ExpressionAttributeValues: { ':rows': rowsRead },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }

  /** Records the chunk plan of a large file (same plan on every redelivery: the scan is deterministic). */
  async recordPlan(jobId: string, plan: { chunkCount: number; contentSha256: string }): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: this.key(jobId),
        UpdateExpression: 'SET chunkCount = :count, contentSha256 = :sha',
        ExpressionAttributeValues: { ':count': plan.chunkCount, ':sha': plan.contentSha256 },
      }),
    );
  }

  async recordFanOut(jobId: string, at: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: this.key(jobId),
        UpdateExpression: 'SET fannedOutAt = :at',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }

  /**
   * Marks one chunk done and adds its counts, atomically and once: a redelivered chunk message finds
   * its number in chunksDone and adds nothing. `last` is true for the call that completed the set.
   */
  async chunkDone(jobId: string, chunk: number, counts: IngestionCounts): Promise<ChunkDoneResult> {
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key(jobId),
          UpdateExpression:
            'SET counts.#rows = counts.#rows + :rows, counts.accepted = counts.accepted + :accepted, counts.rejected = counts.rejected + :rejected, counts.#duplicate = counts.#duplicate + :duplicate, counts.late = counts.late + :late, counts.pendingCalendar = if_not_exists(counts.pendingCalendar, :zero) + :pending, counts.publishedOnTime = if_not_exists(counts.publishedOnTime, :zero) + :pubOnTime, counts.publishedLate = if_not_exists(counts.publishedLate, :zero) + :pubLate, counts.publishedPendingCalendar = if_not_exists(counts.publishedPendingCalendar, :zero) + :pubPending, counts.notPublishable = if_not_exists(counts.notPublishable, :zero) + :withheld ADD chunksDone :chunk',
          ConditionExpression: 'attribute_exists(chunkCount) AND NOT contains(chunksDone, :n)',
          ExpressionAttributeNames: { '#rows': 'rows', '#duplicate': 'duplicate' },
          ExpressionAttributeValues: {
            ':rows': counts.rows,
            ':accepted': counts.accepted,
            ':rejected': counts.rejected,
            ':duplicate': counts.duplicate,
            ':late': counts.late,
            ':pending': counts.pendingCalendar ?? 0,
            ':pubOnTime': counts.publishedOnTime ?? 0,
            ':pubLate': counts.publishedLate ?? 0,
            ':pubPending': counts.publishedPendingCalendar ?? 0,
            ':withheld': counts.notPublishable ?? 0,
            ':zero': 0,
            ':chunk': new Set([chunk]),
            ':n': chunk,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const job = result.Attributes as JobItem;
      return { status: 'recorded', job, last: (job.chunksDone?.size ?? 0) === job.chunkCount };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const job = await this.get(jobId);
      if (!job?.chunkCount) throw new JobPlanMissingError(`job ${jobId} has no chunk plan`);
      return { status: 'already-done', job };
    }
  }

  async finish(jobId: string, fields: JobFinish): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: this.key(jobId),
        UpdateExpression:
          'SET #status = :status, finishedAt = :finishedAt, reportKey = :reportKey, counts = :counts',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': fields.status,
          ':finishedAt': fields.finishedAt,
          ':reportKey': fields.reportKey,
          ':counts': { ...fields.counts },
        },
      }),
    );
  }

  /** Marks a job failed for good (e.g. a file the platform could not read at all); a report still says why. */
  async fail(jobId: string, reason: string, at: string): Promise<void> {
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key(jobId),
          UpdateExpression: 'SET #status = :failed, failure = :reason, failedAt = :at',
          ConditionExpression: 'attribute_not_exists(finishedAt)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':failed': 'failed', ':reason': reason, ':at': at },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }

  async releaseContent(agencyCode: string, dataset: string, sha256: string, jobId: string): Promise<void> {
    await this.client
      .send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: keys.content(agencyCode, dataset), sk: sha256 },
          ConditionExpression: 'jobId = :job',
          ExpressionAttributeValues: { ':job': jobId },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }

  /**
   * Claims one file content (SHA-256) for an agency and dataset. The same job claiming again (a
   * redelivery or a retry) is still first; another job with the same bytes is a duplicate upload.
   */
  async claimContent(
    agencyCode: string,
    dataset: string,
    sha256: string,
    owner: { jobId: string; sourceKey: string; at: string },
  ): Promise<ContentClaim> {
    const Key = { pk: keys.content(agencyCode, dataset), sk: sha256 };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...Key, type: 'content', agencyCode, dataset, sha256, ...owner },
          ConditionExpression: 'attribute_not_exists(pk) OR jobId = :job',
          ExpressionAttributeValues: { ':job': owner.jobId },
        }),
      );
      return { status: 'first' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const existing = await this.client.send(new GetCommand({ TableName: this.tableName, Key }));
    return {
      status: 'duplicate',
      jobId: String(existing.Item?.jobId ?? ''),
      sourceKey: String(existing.Item?.sourceKey ?? ''),
    };
  }
}
