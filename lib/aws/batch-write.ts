import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ingestion } from '../platform/resources';
import type { Item } from './items/items';

export class UnprocessedItemsError extends Error {
  override name = 'UnprocessedItemsError';
  constructor(readonly remaining: number) {
    super(`${remaining} items were still unprocessed after all BatchWriteItem retries`);
  }
}

export interface BatchWriteOptions {
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** BatchWriteItem calls in flight at once (default ingestion.writeConcurrency). */
  readonly concurrency?: number;
  /** Injectable for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

const MAX_BATCH = 25;
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: { pk: string; sk: string } } };

/** The delay before attempt `attempt` (2, 3, …): exponential backoff with full jitter. */
export function backoffDelay(
  attempt: number,
  options: { baseDelayMs: number; maxDelayMs: number; random: () => number },
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 2));
  return options.random() * ceiling;
}

async function writeAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
  options: BatchWriteOptions,
): Promise<void> {
  const maxAttempts = options.maxAttempts ?? 8;
  const delays = {
    baseDelayMs: options.baseDelayMs ?? 50,
    maxDelayMs: options.maxDelayMs ?? 5_000,
    random: options.random ?? Math.random,
  };
  const sleep = options.sleep ?? defaultSleep;
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += MAX_BATCH) batches.push(requests.slice(i, i + MAX_BATCH));

  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let pending = batches[next]!;
      next += 1;
      for (let attempt = 1; pending.length > 0; attempt += 1) {
        if (attempt > maxAttempts) throw new UnprocessedItemsError(pending.length);
        if (attempt > 1) await sleep(backoffDelay(attempt, delays));
        const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
        pending = (result.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
      }
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? ingestion.writeConcurrency, batches.length));
  await Promise.all(Array.from({ length: workers }, worker));
}

/**
 * Puts items 25 at a time with up to `concurrency` calls in flight, retrying unprocessed items with
 * exponential backoff and full jitter. Items with the same key in one call are merged first
 * (DynamoDB rejects such a batch); the last wins.
 */
export async function batchPutItems(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Item[],
  options: BatchWriteOptions = {},
): Promise<void> {
  const unique = [...new Map(items.map((item) => [`${item.pk}\u0000${item.sk}`, item])).values()];
  await writeAll(
    client,
    tableName,
    unique.map((item) => ({ PutRequest: { Item: item } })),
    options,
  );
}

/** Deletes items by key, with the same batching and retries. */
export async function batchDeleteItems(
  client: DynamoDBDocumentClient,
  tableName: string,
  itemKeys: readonly { pk: string; sk: string }[],
  options: BatchWriteOptions = {},
): Promise<void> {
  const unique = [...new Map(itemKeys.map((key) => [`${key.pk}\u0000${key.sk}`, key])).values()];
  await writeAll(
    client,
    tableName,
    unique.map(({ pk, sk }) => ({ DeleteRequest: { Key: { pk, sk } } })),
    options,
  );
}
