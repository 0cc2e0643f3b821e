import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Item } from '../store/items';

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
}

const MAX_BATCH = 25;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Puts items 25 at a time, retrying unprocessed items with exponential backoff and full jitter.
 * Items with the same key in one call are merged first (DynamoDB rejects such a batch); the last wins.
 */
export async function batchPutItems(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Item[],
  options: BatchWriteOptions = {},
): Promise<void> {
  const maxAttempts = options.maxAttempts ?? 8;
  const baseDelayMs = options.baseDelayMs ?? 50;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const unique = [...new Map(items.map((item) => [`${item.pk}\u0000${item.sk}`, item])).values()];
  const chunks: Item[][] = [];
  for (let i = 0; i < unique.length; i += MAX_BATCH) chunks.push(unique.slice(i, i + MAX_BATCH));

  await Promise.all(
    chunks.map(async (chunk) => {
      let requests = chunk.map((item) => ({ PutRequest: { Item: item } }));
      for (let attempt = 1; requests.length > 0; attempt += 1) {
        if (attempt > maxAttempts) throw new UnprocessedItemsError(requests.length);
        if (attempt > 1) {
          const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 2));
          await sleep(Math.random() * ceiling);
        }
        const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
        requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
      }
    }),
  );
}
