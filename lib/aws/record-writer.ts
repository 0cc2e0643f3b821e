import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PriorArrivals, RecordWriter } from '../ingest/ports';
import type { AcceptedRow, RecordProvenance } from '../ingest/types';
import { batchDeleteItems, batchPutItems } from './batch-write';
import type { CreditStore } from './credit-store';
import { type Item, itemsForRow, priorArrivalsFrom } from './items/items';
import { recordsChangedItems } from './record-tally-items';

/**
 * Accepted rows as items of the credit table (lib/store/items.ts builds them): BatchWriteItem,
 * 25 a call, pipelined by the caller. `putItems` is the one write, so that a test can put a
 * failing store in its place.
 */
export class DynamoRecordWriter implements RecordWriter {
  constructor(
    private readonly putItems: (items: readonly Item[]) => Promise<void>,
    private readonly deleteItems: (keys: readonly { pk: string; sk: string }[]) => Promise<void>,
  ) {}

  static forTable(client: DynamoDBDocumentClient, tableName: string): DynamoRecordWriter {
    return new DynamoRecordWriter(
      (items) => batchPutItems(client, tableName, items),
      (keys) => batchDeleteItems(client, tableName, keys),
    );
  }

  async write(rows: readonly AcceptedRow[], provenance: RecordProvenance): Promise<void> {
    const items = rows.flatMap((row) => itemsForRow(row, provenance));
    await this.putItems(items);
    // Only after the records are stored: a record tally computed before them no longer counts.
    await this.putItems(recordsChangedItems(items));
  }

  async removeVersions(rows: readonly AcceptedRow[], provenance: RecordProvenance): Promise<void> {
    const history = rows
      .flatMap((row) => itemsForRow(row, provenance))
      .filter((item) => item.type === 'record-version')
      .map(({ pk, sk }) => ({ pk, sk }));
    await this.deleteItems(history);
  }
}

/** First arrivals of 双公示 records, read from their stored record items (100 keys a BatchGet). */
export function storedPriorArrivals(store: Pick<CreditStore, 'batchGetItems'>): PriorArrivals {
  return priorArrivalsFrom((itemKeys) => store.batchGetItems(itemKeys));
}
