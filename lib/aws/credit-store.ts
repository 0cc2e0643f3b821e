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
import type { RecordPages, RecordRef, SubjectReader } from '../check/ports';
import { type ListTypeRules, listTypeRulesOf } from '../datasets/list-authority';
import type { ListTypeRecord } from '../datasets/reference';
import type { ListTypeDirectory } from '../ingest/ports';
import type { ScreeningStore } from '../matching/rescreen-ports';
import { cursorCodec, InvalidCursorError, type Page } from '../paging/cursor';
import { batchPutItems } from './batch-write';
import type { Item } from './items/items';
import type { AliasKind } from './items/keys';
import { keys } from './items/keys';
import { queryAll, queryUpTo } from './query-all';
import { recordsChangedItems } from './record-tally-items';

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

/**
 * Items per query page inside a subject partition. A page is also cut at 1 MB; the limit keeps
 * DynamoDB Local from reading the rest of the partition for every page (it does so without one,
 * which made a partition of 30,000 items take minutes to read).
 */
const PARTITION_PAGE = 1000;

/** What recordDigests projects: what display and order need, not the record's text. */
const DIGEST = {
  ProjectionExpression:
    'sk, #type, recordId, #status, displayStatus, publicationStatus, #record.decisionDate, #record.severity, #record.displayUntil, #record.validUntil, #record.#status',
  ExpressionAttributeNames: { '#type': 'type', '#status': 'status', '#record': 'record' },
} as const;

/** Cursors of a check's records: the table key of the last record of a page. */
const recordsCursor = cursorCodec(['pk', 'sk'], 'pk');

const { from: RECORDS_FROM, to: RECORDS_TO } = keys.currentRecords;

/** The data-access layer for the credit table: the only module that knows how items are read and written. */
export class CreditStore
  implements SubjectReader, RecordPages, ScreeningStore, ApiKeyReader, ListTypeDirectory
{
  constructor(
    private readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /** Puts items; when some are current records, then a new records-changed token of their subjects. */
  async putItems(items: readonly Item[]): Promise<void> {
    await batchPutItems(this.client, this.tableName, items);
    await batchPutItems(this.client, this.tableName, recordsChangedItems(items));
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
    limit?: number,
  ): Promise<{ subjectKey: string; relation?: string }[]> {
    const query = {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.alias(kind, value) },
    };
    const items =
      limit === undefined
        ? await this.queryAll(query)
        : await queryUpTo(this.client, this.tableName, query, limit);
    return items.map((item) => ({
      subjectKey: item.subjectKey as string,
      ...(item.relation ? { relation: item.relation as string } : {}),
    }));
  }

  /** One kind of item of a subject partition (an sk prefix), page by page. */
  private subjectPrefix(subjectKey: string, prefix: string): Promise<Record<string, unknown>[]> {
    return this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.subject(subjectKey), ':prefix': prefix },
      Limit: PARTITION_PAGE,
    });
  }

  listEntryItems(subjectKey: string): Promise<Record<string, unknown>[]> {
    return this.subjectPrefix(subjectKey, 'LIST#');
  }

  /** Digests of the current records (the sk range of keys.currentRecords; never HISTORY# versions). */
  recordDigests(
    subjectKey: string,
    options: { consistent?: boolean } = {},
  ): Promise<Record<string, unknown>[]> {
    return this.queryAll({
      ...(options.consistent ? { ConsistentRead: true } : {}),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': keys.subject(subjectKey),
        ':from': RECORDS_FROM,
        ':to': RECORDS_TO,
      },
      ...DIGEST,
      Limit: PARTITION_PAGE,
    });
  }

  recordItems(refs: readonly RecordRef[]): Promise<Record<string, unknown>[]> {
    return this.batchGetItems(
      refs.map((ref) => ({ pk: keys.subject(ref.subjectKey), sk: keys.record(ref.dataset, ref.recordId) })),
    );
  }

  /** The start key a records cursor stands for: one of these partitions, inside the records' range. */
  private recordsStart(cursor: string, partitions: readonly string[]) {
    const start = recordsCursor.decode(cursor, partitions);
    if (start.sk! < RECORDS_FROM || start.sk! > RECORDS_TO)
      throw new InvalidCursorError('the cursor is not one this API issued');
    return start as { pk: string; sk: string };
  }

  /** Up to `limit` current records of one partition, in key order, after `from`. */
  private async currentRecords(pk: string, limit: number, from: Record<string, unknown> | undefined) {
    return this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': pk, ':from': RECORDS_FROM, ':to': RECORDS_TO },
        Limit: limit,
        ...(from ? { ExclusiveStartKey: from } : {}),
      }),
    );
  }

  /**
   * Current records of the subjects, partition after partition, each in key order. The cursor is
   * the key of the page's last record, so the next page starts right after it.
   */
  async recordItemsPage(
    subjectKeys: readonly string[],
    options: { readonly limit: number; readonly cursor?: string },
  ): Promise<Page<Record<string, unknown>>> {
    const partitions = subjectKeys.map((subjectKey) => keys.subject(subjectKey));
    const start = options.cursor === undefined ? undefined : this.recordsStart(options.cursor, partitions);
    const first = start ? partitions.indexOf(start.pk) : 0;
    const items: Record<string, unknown>[] = [];
    for (let i = first; i < partitions.length; i += 1) {
      let from: Record<string, unknown> | undefined = i === first ? start : undefined;
      // One record more than the page holds tells whether another page follows.
      do {
        const page = await this.currentRecords(partitions[i]!, options.limit + 1 - items.length, from);
        items.push(...(page.Items ?? []));
        from = page.LastEvaluatedKey;
      } while (from && items.length <= options.limit);
      const more =
        items.length > options.limit || (items.length === options.limit && i < partitions.length - 1);
      if (more) {
        const kept = items.slice(0, options.limit);
        return { items: kept, nextCursor: recordsCursor.encode(kept.at(-1)!) };
      }
    }
    return { items };
  }

  /**
   * What re-screening needs of a subject partition — list entries, the screening snapshot, watches
   * and the alert outbox — never its records or their versions.
   */
  async screeningItems(subjectKey: string): Promise<Record<string, unknown>[]> {
    const [entries, outbox, watches, snapshot] = await Promise.all([
      this.subjectPrefix(subjectKey, 'LIST#'),
      this.subjectPrefix(subjectKey, 'OUTBOX#'),
      this.subjectPrefix(subjectKey, 'WATCH#'),
      this.get(keys.subject(subjectKey), keys.screening),
    ]);
    return [...entries, ...outbox, ...watches, ...(snapshot ? [snapshot] : [])];
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
