import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { JobItems } from '../ingestion-jobs/ports';
import type { Page } from '../paging/cursor';
import { keys } from './items/keys';
import { listingPage } from './query-all';

/** Job items: one by id (pk JOB#<id>), an agency's newest first (gsi1 AGENCY#<code>#JOB). */
export class DynamoJobItems implements JobItems {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async item(jobId: string): Promise<Record<string, unknown> | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: keys.job(jobId), sk: 'JOB' } }),
    );
    return result.Item;
  }

  page(
    agencyCode: string,
    options: { limit: number; cursor?: string },
  ): Promise<Page<Record<string, unknown>>> {
    return listingPage(this.client, this.tableName, keys.agencyListing(agencyCode, 'JOB'), {
      ...options,
      newestFirst: true,
    });
  }
}
