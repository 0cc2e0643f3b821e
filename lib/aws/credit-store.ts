import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { ApiKeyReader } from '../auth/ports';
import type { ApiKeyRecord } from '../auth/types';
import type { SubjectReader } from '../check/ports';
import { type ListTypeRules, listTypeRulesOf } from '../datasets/list-authority';
import type { ListTypeRecord } from '../datasets/reference';
import type { ListTypeDirectory } from '../ingest/ports';
import type { ScreeningStore } from '../matching/rescreen-ports';
import type { Item } from '../store/items';
import type { AliasKind } from '../store/keys';
import { keys } from '../store/keys';
import { batchPutItems } from './batch-write';
import { queryAll } from './query-all';

export interface AgencyProfile {
  readonly code: string;
  readonly name: string;
  readonly uscc?: string;
  /** Roles from the agency registry; reference data is accepted only from the credit office. */
  readonly roles?: readonly string[];
  /** Datasets the registry lets the agency submit; absent = not restricted (profiles written by hand). */
  readonly datasets?: readonly string[];
}

export type { ApiKeyRecord } from '../auth/types';

/** The data-access layer for the credit table: the only module that knows how items are read and written. */
export class CreditStore implements SubjectReader, ScreeningStore, ApiKeyReader, ListTypeDirectory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  putItems(items: readonly Item[]): Promise<void> {
    return batchPutItems(this.client, this.tableName, items);
  }

  private async get(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk, sk } }));
    return result.Item;
  }

  private queryAll(
    input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
  ): Promise<Record<string, unknown>[]> {
    return queryAll(this.client, this.tableName, input);
  }

  // Reference data ------------------------------------------------------------------------------

  /** The stored list types (REF#LIST_TYPE) with the agencies entitled to decide entries on each. */
  async listTypeRules(): Promise<ListTypeRules> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.reference('LIST_TYPE') },
    });
    return listTypeRulesOf(items.map((item) => item.record as ListTypeRecord));
  }

  // Agencies and keys -------------------------------------------------------------------------

  async getAgency(code: string): Promise<AgencyProfile | undefined> {
    const item = await this.get(keys.agency(code), 'PROFILE');
    return item
      ? {
          code,
          name: item.name as string,
          ...(item.uscc ? { uscc: item.uscc as string } : {}),
          ...(Array.isArray(item.roles) ? { roles: item.roles as string[] } : {}),
          ...(Array.isArray(item.datasets) ? { datasets: item.datasets as string[] } : {}),
        }
      : undefined;
  }

  async putAgency(profile: AgencyProfile): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: keys.agency(profile.code), sk: 'PROFILE', type: 'agency', ...profile },
      }),
    );
  }

  async putApiKey(record: ApiKeyRecord): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: keys.apiKey(record.keyHash),
          sk: 'APIKEY',
          type: 'api-key',
          gsi1pk: keys.agencyListing(record.agencyCode, 'APIKEY'),
          gsi1sk: record.createdAt,
          ...record,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async getApiKey(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const item = await this.get(keys.apiKey(keyHash), 'APIKEY');
    return item as ApiKeyRecord | undefined;
  }

  // Subjects -----------------------------------------------------------------------------------

  async subjectKeysForAlias(
    kind: AliasKind,
    value: string,
  ): Promise<{ subjectKey: string; relation?: string }[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.alias(kind, value) },
    });
    return items.map((item) => ({
      subjectKey: item.subjectKey as string,
      ...(item.relation ? { relation: item.relation as string } : {}),
    }));
  }

  /** Everything stored about one subject: list entries, records, watches, screening snapshot. */
  async subjectItems(subjectKey: string): Promise<Record<string, unknown>[]> {
    return this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.subject(subjectKey) },
    });
  }

  /** The subject's screening snapshot: the list entries in effect when it was last screened. */
  async saveScreening(
    subjectKey: string,
    snapshot: { activeEntryIds: string[]; screenedOn: string },
  ): Promise<void> {
    await this.putItem({ pk: keys.subject(subjectKey), sk: keys.screening, type: 'screening', ...snapshot });
  }

  async putItem(item: Item, options: { onlyIfNew?: boolean } = {}): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ...(options.onlyIfNew ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}),
        }),
      );
      return true;
    } catch (error) {
      if (options.onlyIfNew && error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Reads up to any number of items by key, 100 per call, retrying unprocessed keys. */
  async batchGetItems(itemKeys: readonly { pk: string; sk: string }[]): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    for (let i = 0; i < itemKeys.length; i += 100) {
      let pending: Record<string, unknown>[] = itemKeys.slice(i, i + 100).map(({ pk, sk }) => ({ pk, sk }));
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        if (attempt > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * 2 ** attempt));
        if (attempt > 8)
          throw new Error(`${pending.length} keys still unprocessed after BatchGetItem retries`);
        const result = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending } } }),
        );
        found.push(...(result.Responses?.[this.tableName] ?? []));
        pending = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return found;
  }

  async getItem(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
    return this.get(pk, sk);
  }

  async queryIndex(
    indexName: 'gsi1' | 'gsi2',
    partition: string,
    options: { limit?: number; newestFirst?: boolean } = {},
  ): Promise<Record<string, unknown>[]> {
    const attribute = indexName === 'gsi1' ? 'gsi1pk' : 'gsi2pk';
    if (options.limit !== undefined) {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: indexName,
          KeyConditionExpression: `${attribute} = :pk`,
          ExpressionAttributeValues: { ':pk': partition },
          ScanIndexForward: !options.newestFirst,
          Limit: options.limit,
        }),
      );
      return page.Items ?? [];
    }
    return this.queryAll({
      IndexName: indexName,
      KeyConditionExpression: `${attribute} = :pk`,
      ExpressionAttributeValues: { ':pk': partition },
      ScanIndexForward: !options.newestFirst,
    });
  }
}
