import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { PriorArrivals, PriorRemovalStarts, RecordWriteResult, RecordWriter } from '../ingest/ports';
import type { AcceptedRow, RecordProvenance } from '../ingest/types';
import {
  type FieldCorrections,
  type KeptCorrection,
  reconcileWithCorrections,
} from '../lifecycle/objection-corrections';
import { ingestion } from '../platform/resources';
import { batchDeleteItems, batchPutItems } from './batch-write';
import type { CreditStore } from './credit-store';
import {
  type CorrectionsGuard,
  currentRecordUpdate,
  type Item,
  isCurrentRecordItem,
  itemsForRow,
  priorArrivalsFrom,
  priorRemovalStartsFrom,
} from './items/items';
import { recordsChangedItems } from './record-tally-items';

type ItemKey = { pk: string; sk: string };

/** A stored current record item, as far as a re-submission needs to know it. */
export interface StoredCurrent {
  /** Fields corrected by upheld objections (`objectionCorrections`). */
  readonly corrections?: FieldCorrections;
}

/** The update of a stored current item: its new content, conditional on the corrections it was reconciled with. */
export interface CurrentUpdate {
  readonly item: Item;
  readonly guard: CorrectionsGuard;
}

/** An objection corrected one of the items while they were written: read them again and retry. */
export class CorrectionsChangedError extends Error {
  override name = 'CorrectionsChangedError';
}

/** The table operations the writer uses; a test can put a failing store in their place. */
export interface RecordTable {
  /** BatchWriteItem puts, 25 a call. */
  putItems(items: readonly Item[]): Promise<void>;
  deleteItems(keys: readonly ItemKey[]): Promise<void>;
  /**
   * Updates stored current record items (currentRecordUpdate), up to 100 a transaction;
   * CorrectionsChangedError when one's corrections are no longer those it was reconciled with.
   */
  updateItems(updates: readonly CurrentUpdate[]): Promise<void>;
  /** Which of these keys have an item, with its corrections (BatchGetItem, 100 a call). */
  storedCurrent(keys: readonly ItemKey[]): Promise<ReadonlyMap<string, StoredCurrent>>;
}

const joined = ({ pk, sk }: ItemKey) => `${pk}\u0000${sk}`;

/** Reads and conditional writes before a writer gives up on an item an objection keeps correcting. */
const CORRECTION_ATTEMPTS = 5;

/**
 * Accepted rows as items of the credit table (lib/aws/items/items.ts builds them). The current
 * record items (双公示 RECORD#, list LIST#) carry the workflows' state — objection mark and
 * corrections, repair stop, withdrawal —, so a stored one is written by an update (in a
 * transaction) of its ingest-owned attributes only (INGEST_OWNED_RECORD_ATTRIBUTES): a
 * re-submission updates the data and never undoes a workflow. Its record is first reconciled with
 * the corrections by objection read with it (a field the source sends again with the value found
 * wrong keeps its correction, lib/lifecycle/objection-corrections) and the update is conditional
 * on those corrections, so a correction made meanwhile is read again, never lost.
 * A current item not stored yet is put with everything else (history versions, aliases, code
 * mappings) by BatchWriteItem — no workflow acts on a record before it exists. History versions
 * always hold what the source sent.
 */
export class DynamoRecordWriter implements RecordWriter {
  constructor(private readonly table: RecordTable) {}

  static forTable(client: DynamoDBDocumentClient, tableName: string): DynamoRecordWriter {
    return new DynamoRecordWriter(recordTable(client, tableName));
  }

  async write(rows: readonly AcceptedRow[], provenance: RecordProvenance): Promise<RecordWriteResult> {
    const built = rows.map((row) => ({ row: row.row, items: itemsForRow(row, provenance) }));
    const items = built.flatMap(({ items }) => items);
    // The same record twice in one batch: the last row wins, as in a batch of Puts.
    const current = new Map<string, { row: number; item: Item }>();
    for (const { row, items } of built)
      for (const item of items.filter(isCurrentRecordItem)) current.set(joined(item), { row, item });
    const all = [...current.values()].map(({ item }) => item);
    const stored = all.length > 0 ? await this.table.storedCurrent(all) : new Map<string, StoredCurrent>();
    const others = items.filter((item) => !isCurrentRecordItem(item));
    const [, kept] = await Promise.all([
      this.table.putItems([...others, ...all.filter((item) => !stored.has(joined(item)))]),
      this.updateStored(
        all.filter((item) => stored.has(joined(item))),
        stored,
      ),
    ]);
    // Only after the records are stored: a record tally computed before them no longer counts.
    await this.table.putItems(recordsChangedItems(items));
    return {
      correctionsKept: [...kept].map(([key, corrections]) => ({ row: current.get(key)!.row, corrections })),
    };
  }

  /** Stored current items updated as reconciled with their corrections; read again while a correction races. */
  private async updateStored(
    items: readonly Item[],
    stored: ReadonlyMap<string, StoredCurrent>,
  ): Promise<Map<string, readonly KeptCorrection[]>> {
    let state = stored;
    for (let attempt = 1; ; attempt += 1) {
      const kept = new Map<string, readonly KeptCorrection[]>();
      const updates = items.map((item) => {
        const reconciled = reconciledUpdate(item, state.get(joined(item)));
        if (reconciled.kept.length > 0) kept.set(joined(item), reconciled.kept);
        return reconciled.update;
      });
      try {
        await this.table.updateItems(updates);
        return kept;
      } catch (error) {
        if (!(error instanceof CorrectionsChangedError) || attempt >= CORRECTION_ATTEMPTS) throw error;
        state = await this.table.storedCurrent(items);
      }
    }
  }

  async removeVersions(rows: readonly AcceptedRow[], provenance: RecordProvenance): Promise<void> {
    const history = rows
      .flatMap((row) => itemsForRow(row, provenance))
      .filter((item) => item.type === 'record-version')
      .map(({ pk, sk }) => ({ pk, sk }));
    await this.table.deleteItems(history);
  }
}

/** A stored current item's update: its record reconciled with the corrections in force on it. */
function reconciledUpdate(
  item: Item,
  stored: StoredCurrent | undefined,
): { update: CurrentUpdate; kept: readonly KeptCorrection[] } {
  const before = stored?.corrections;
  if (!before) return { update: { item, guard: { before: undefined, after: undefined } }, kept: [] };
  const reconciled = reconcileWithCorrections(item.record as Record<string, unknown>, before);
  return {
    update: {
      item: { ...item, record: reconciled.record },
      guard: { before, after: reconciled.corrections },
    },
    kept: reconciled.kept,
  };
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
  items: readonly CurrentUpdate[],
): Promise<void> {
  const batches: CurrentUpdate[][] = [];
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
  batch: readonly CurrentUpdate[],
) {
  const command = new TransactWriteCommand({
    TransactItems: batch.map(({ item, guard }) => ({
      Update: { TableName: tableName, ...currentRecordUpdate(item, guard) },
    })),
  });
  for (let attempt = 1; ; attempt += 1) {
    try {
      await client.send(command);
      return;
    } catch (error) {
      const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
      if (reasons.some((reason) => reason.Code === 'ConditionalCheckFailed'))
        throw new CorrectionsChangedError('an objection corrected a record while it was written');
      const retriable = reasons.some((reason) => RETRIED.has(reason.Code ?? ''));
      if (!retriable || attempt >= 8) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(5_000, 50 * 2 ** attempt)));
    }
  }
}

/** Which keys have an item, with its corrections: BatchGetItem, 100 a call, unprocessed keys retried. */
async function storedCurrentOf(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly ItemKey[],
): Promise<ReadonlyMap<string, StoredCurrent>> {
  const found = new Map<string, StoredCurrent>();
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Record<string, unknown>[] = keys.slice(i, i + 100).map(({ pk, sk }) => ({ pk, sk }));
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > 8) throw new Error(`${pending.length} keys still unprocessed after BatchGetItem retries`);
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * 2 ** attempt));
      const result = await client.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: { Keys: pending, ProjectionExpression: 'pk, sk, objectionCorrections' },
          },
        }),
      );
      for (const item of result.Responses?.[tableName] ?? [])
        found.set(joined(item as ItemKey), storedOf(item));
      pending = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return found;
}

/** What a re-submission needs of a stored current item: its corrections by objection. */
function storedOf(item: Record<string, unknown>): StoredCurrent {
  return item.objectionCorrections ? { corrections: item.objectionCorrections as FieldCorrections } : {};
}

/** The writer's operations on the credit table. */
export function recordTable(client: DynamoDBDocumentClient, tableName: string): RecordTable {
  return {
    putItems: (items) => batchPutItems(client, tableName, items),
    deleteItems: (keys) => batchDeleteItems(client, tableName, keys),
    updateItems: (items) => transactUpdates(client, tableName, items),
    storedCurrent: (keys) => storedCurrentOf(client, tableName, keys),
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
