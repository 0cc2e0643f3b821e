import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { PriorArrivals, PriorRemovalStarts, RecordWriter } from '../ingest/ports';
import type { AcceptedRow, RecordProvenance } from '../ingest/types';
import { ingestion } from '../platform/resources';
import { batchDeleteItems, batchPutItems } from './batch-write';
import type { CreditStore } from './credit-store';
import {
  currentRecordUpdate,
  type Item,
  isCurrentRecordItem,
  itemsForRow,
  priorArrivalsFrom,
  priorRemovalStartsFrom,
} from './items/items';
import { recordsChangedItems } from './record-tally-items';

type ItemKey = { pk: string; sk: string };

/** The table operations the writer uses; a test can put a failing store in their place. */
export interface RecordTable {
  /** BatchWriteItem puts, 25 a call. */
  putItems(items: readonly Item[]): Promise<void>;
  deleteItems(keys: readonly ItemKey[]): Promise<void>;
  /** Updates stored current record items (currentRecordUpdate), up to 100 a transaction. */
  updateItems(items: readonly Item[]): Promise<void>;
  /** Which of these keys have an item (BatchGetItem, 100 a call). */
  storedKeys(keys: readonly ItemKey[]): Promise<ReadonlySet<string>>;
}

const joined = ({ pk, sk }: ItemKey) => `${pk}\u0000${sk}`;

/**
 * Accepted rows as items of the credit table (lib/aws/items/items.ts builds them). The current
 * record items (双公示 RECORD#, list LIST#) carry the workflows' state — objection mark, repair
 * stop, withdrawal —, so a stored one is written by an update (in a transaction) of its
 * ingest-owned attributes only (INGEST_OWNED_RECORD_ATTRIBUTES): a re-submission updates the data and never undoes a workflow,
 * and, needing no read of the attributes it keeps, cannot lose a workflow change made meanwhile.
 * A current item not stored yet is put with everything else (history versions, aliases, code
 * mappings) by BatchWriteItem — no workflow acts on a record before it exists.
 */
export class DynamoRecordWriter implements RecordWriter {
  constructor(private readonly table: RecordTable) {}

  static forTable(client: DynamoDBDocumentClient, tableName: string): DynamoRecordWriter {
    return new DynamoRecordWriter(recordTable(client, tableName));
  }

  async write(rows: readonly AcceptedRow[], provenance: RecordProvenance): Promise<void> {
    const items = rows.flatMap((row) => itemsForRow(row, provenance));
    // The same record twice in one batch: the last row wins, as in a batch of Puts.
    const current = [
      ...new Map(items.filter(isCurrentRecordItem).map((item) => [joined(item), item])).values(),
    ];
    const stored = current.length > 0 ? await this.table.storedKeys(current) : new Set<string>();
    const others = items.filter((item) => !isCurrentRecordItem(item));
    await Promise.all([
      this.table.putItems([...others, ...current.filter((item) => !stored.has(joined(item)))]),
      this.table.updateItems(current.filter((item) => stored.has(joined(item)))),
    ]);
    // Only after the records are stored: a record tally computed before them no longer counts.
    await this.table.putItems(recordsChangedItems(items));
  }

  async removeVersions(rows: readonly AcceptedRow[], provenance: RecordProvenance): Promise<void> {
    const history = rows
      .flatMap((row) => itemsForRow(row, provenance))
      .filter((item) => item.type === 'record-version')
      .map(({ pk, sk }) => ({ pk, sk }));
    await this.table.deleteItems(history);
  }
}

/** Items a TransactWriteItems call takes. */
const MAX_TRANSACTION = 100;

/**
 * The updates of stored current record items, 100 a TransactWriteItems call (one call instead of a
 * hundred UpdateItems; each item still updated on its own terms), `ingestion.writeConcurrency` in
 * flight. A transaction cancelled because another one held an item (a workflow's, or a chunk's
 * writing the same record) is retried with backoff; it changes nothing until it succeeds.
 */
async function transactUpdates(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Item[],
): Promise<void> {
  const batches: Item[][] = [];
  for (let i = 0; i < items.length; i += MAX_TRANSACTION) batches.push(items.slice(i, i + MAX_TRANSACTION));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next]!;
      next += 1;
      await transactWithRetries(client, tableName, batch);
    }
  };
  await Promise.all(Array.from({ length: Math.min(ingestion.writeConcurrency, batches.length) }, worker));
}

const RETRIED = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

async function transactWithRetries(
  client: DynamoDBDocumentClient,
  tableName: string,
  batch: readonly Item[],
) {
  const command = new TransactWriteCommand({
    TransactItems: batch.map((item) => ({ Update: { TableName: tableName, ...currentRecordUpdate(item) } })),
  });
  for (let attempt = 1; ; attempt += 1) {
    try {
      await client.send(command);
      return;
    } catch (error) {
      const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
      const retriable = reasons.some((reason) => RETRIED.has(reason.Code ?? ''));
      if (!retriable || attempt >= 8) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(5_000, 50 * 2 ** attempt)));
    }
  }
}

/** Which keys have an item: BatchGetItem of the keys alone, 100 a call, unprocessed keys retried. */
async function storedKeysOf(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly ItemKey[],
): Promise<ReadonlySet<string>> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Record<string, unknown>[] = keys.slice(i, i + 100).map(({ pk, sk }) => ({ pk, sk }));
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > 8) throw new Error(`${pending.length} keys still unprocessed after BatchGetItem retries`);
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * 2 ** attempt));
      const result = await client.send(
        new BatchGetCommand({
          RequestItems: { [tableName]: { Keys: pending, ProjectionExpression: 'pk, sk' } },
        }),
      );
      for (const item of result.Responses?.[tableName] ?? []) found.add(joined(item as ItemKey));
      pending = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return found;
}

/** The writer's operations on the credit table. */
export function recordTable(client: DynamoDBDocumentClient, tableName: string): RecordTable {
  return {
    putItems: (items) => batchPutItems(client, tableName, items),
    deleteItems: (keys) => batchDeleteItems(client, tableName, keys),
    updateItems: (items) => transactUpdates(client, tableName, items),
    storedKeys: (keys) => storedKeysOf(client, tableName, keys),
  };
}

/** First arrivals of 双公示 records, read from their stored record items (100 keys a BatchGet). */
export function storedPriorArrivals(store: Pick<CreditStore, 'batchGetItems'>): PriorArrivals {
  return priorArrivalsFrom((itemKeys) => store.batchGetItems(itemKeys));
}

/** Removal starts of court entries stored as 全部履行, read from their list items (100 keys a BatchGet). */
export function storedPriorRemovalStarts(store: Pick<CreditStore, 'batchGetItems'>): PriorRemovalStarts {
  return priorRemovalStartsFrom((itemKeys) => store.batchGetItems(itemKeys));
}
