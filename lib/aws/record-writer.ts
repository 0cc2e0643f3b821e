import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PriorArrivals, RecordWriter } from '../ingest/ports';
import type { AcceptedRow, RecordProvenance } from '../ingest/types';
import { ingestion } from '../platform/resources';
import { batchDeleteItems, batchPutItems } from './batch-write';
import { CreditStore } from './credit-store';
import {
  currentRecordUpdate,
  type Item,
  isCurrentRecordItem,
  itemsForRow,
  priorArrivalsFrom,
} from './items/items';

type ItemKey = { pk: string; sk: string };

/** The table operations the writer uses; a test can put a failing store in their place. */
export interface RecordTable {
  /** BatchWriteItem puts, 25 a call. */
  putItems(items: readonly Item[]): Promise<void>;
  deleteItems(keys: readonly ItemKey[]): Promise<void>;
  /** The UpdateItem of one stored current record item (currentRecordUpdate). */
  updateItem(item: Item): Promise<void>;
  /** Which of these keys have an item (BatchGetItem, 100 a call). */
  storedKeys(keys: readonly ItemKey[]): Promise<ReadonlySet<string>>;
}

const joined = ({ pk, sk }: ItemKey) => `${pk}\u0000${sk}`;

/** Runs `write` over the items with at most `concurrency` in flight. */
async function eachWithConcurrency(
  items: readonly Item[],
  concurrency: number,
  write: (item: Item) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next]!;
      next += 1;
      await write(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/**
 * Accepted rows as items of the credit table (lib/aws/items/items.ts builds them). The current
 * record items (双公示 RECORD#, list LIST#) carry the workflows' state — objection mark, repair
 * stop, withdrawal —, so a stored one is written by UpdateItem of its ingest-owned attributes only
 * (INGEST_OWNED_RECORD_ATTRIBUTES): a re-submission updates the data and never undoes a workflow,
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
      eachWithConcurrency(
        current.filter((item) => stored.has(joined(item))),
        ingestion.writeConcurrency,
        (item) => this.table.updateItem(item),
      ),
    ]);
  }

  async removeVersions(rows: readonly AcceptedRow[], provenance: RecordProvenance): Promise<void> {
    const history = rows
      .flatMap((row) => itemsForRow(row, provenance))
      .filter((item) => item.type === 'record-version')
      .map(({ pk, sk }) => ({ pk, sk }));
    await this.table.deleteItems(history);
  }
}

/** The writer's operations on the credit table. */
export function recordTable(client: DynamoDBDocumentClient, tableName: string): RecordTable {
  const store = new CreditStore(client, tableName);
  return {
    putItems: (items) => batchPutItems(client, tableName, items),
    deleteItems: (keys) => batchDeleteItems(client, tableName, keys),
    updateItem: async (item) => {
      await client.send(new UpdateCommand({ TableName: tableName, ...currentRecordUpdate(item) }));
    },
    storedKeys: async (keys) =>
      new Set((await store.batchGetItems(keys)).map((item) => joined(item as ItemKey))),
  };
}

/** First arrivals of 双公示 records, read from their stored record items (100 keys a BatchGet). */
export function storedPriorArrivals(store: Pick<CreditStore, 'batchGetItems'>): PriorArrivals {
  return priorArrivalsFrom((itemKeys) => store.batchGetItems(itemKeys));
}
