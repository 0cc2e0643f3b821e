import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../store/keys';
import { decodeCursor, encodeCursor } from './cursor';
import { type JobView, toJobView } from './job-view';

export interface JobPage {
  readonly jobs: JobView[];
  /** Present when there may be more jobs: pass it back as `cursor`. */
  readonly nextCursor?: string;
}

/** gsi1: per-agency listings (lib/platform/resources.ts, docs/access-patterns.md). */
const listingIndex = 'gsi1';

/**
 * The read model of ingestion jobs: one job by id (pk JOB#<id>) and an agency's jobs newest first
 * (gsi1 AGENCY#<code>#JOB, sorted by `<receivedAt>#<jobId>`). Writing jobs stays with the ingest
 * path (lib/aws/job-store.ts).
 */
export class JobReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async get(jobId: string): Promise<JobView | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: keys.job(jobId), sk: 'JOB' } }),
    );
    return result.Item ? toJobView(result.Item) : undefined;
  }

  /** One page of an agency's jobs, newest first. Throws InvalidCursorError for a foreign cursor. */
  async list(agencyCode: string, options: { limit: number; cursor?: string }): Promise<JobPage> {
    const partition = keys.agencyListing(agencyCode, 'JOB');
    const start = options.cursor ? decodeCursor(options.cursor, partition) : undefined;
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: listingIndex,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        ScanIndexForward: false,
        Limit: options.limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    return {
      jobs: (page.Items ?? []).map(toJobView),
      ...(page.LastEvaluatedKey ? { nextCursor: encodeCursor(page.LastEvaluatedKey) } : {}),
    };
  }

  /** The newest job of an agency for an object key (the upload command's fallback lookup). */
  async latestForSource(
    agencyCode: string,
    sourceKey: string,
    notBefore: string,
  ): Promise<JobView | undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.list(agencyCode, { limit: 50, ...(cursor ? { cursor } : {}) });
      for (const job of page.jobs) {
        if (job.receivedAt < notBefore) return undefined;
        if (job.sourceKey === sourceKey) return job;
      }
      cursor = page.nextCursor;
    } while (cursor);
    return undefined;
  }
}
