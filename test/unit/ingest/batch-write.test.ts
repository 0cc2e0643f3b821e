import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { backoffDelay, batchPutItems, UnprocessedItemsError } from '#lib/aws/batch-write';
import type { Item } from '#lib/aws/items/items';

type Request = { PutRequest: { Item: Item } };

/** A DynamoDB client double: each call leaves the items `unprocessed` returns unprocessed. */
function fakeClient(unprocessed: (call: number, requests: Request[]) => Request[]) {
  const calls: Request[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const client = {
    send: async (command: { input: { RequestItems: Record<string, Request[]> } }) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const requests = command.input.RequestItems.table!;
      calls.push(requests);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight -= 1;
      const left = unprocessed(calls.length, requests);
      return { UnprocessedItems: left.length > 0 ? { table: left } : {} };
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, calls, maxInFlight: () => maxInFlight };
}

const items = (count: number): Item[] =>
  Array.from({ length: count }, (_, n) => ({ pk: `P#${n % 7}`, sk: `S#${n}`, n }));

describe('Function: batchPutItems', () => {
  it('retries the unprocessed items, and only those, with backoff until all are written', async () => {
    // Prepare: the first two answers leave the last 5 and then 2 items unprocessed
    const fake = fakeClient((call, requests) =>
      call === 1 ? requests.slice(-5) : call === 2 ? requests.slice(-2) : [],
    );
    const delays: number[] = [];
    // Act
    await batchPutItems(fake.client, 'table', items(20), {
      sleep: async (ms) => {
        delays.push(ms);
      },
      random: () => 1,
      baseDelayMs: 50,
    });
    // Assess
    expect(fake.calls.map((call) => call.length)).toEqual([20, 5, 2]);
    expect(fake.calls[1]).toEqual(fake.calls[0]!.slice(-5));
    expect(delays).toEqual([50, 100]);
  });

  it('gives up with UnprocessedItemsError after maxAttempts, saying how many items are left', async () => {
    // Prepare: DynamoDB keeps throttling 3 items
    const fake = fakeClient((_call, requests) => requests.slice(0, 3));
    // Act
    const attempt = batchPutItems(fake.client, 'table', items(10), {
      maxAttempts: 4,
      sleep: async () => {},
    });
    // Assess
    await expect(attempt).rejects.toThrow(UnprocessedItemsError);
    await expect(attempt).rejects.toMatchObject({ remaining: 3 });
    expect(fake.calls).toHaveLength(4);
  });

  it('splits into batches of 25, merges items with the same key and keeps at most `concurrency` calls in flight', async () => {
    // Prepare
    const fake = fakeClient(() => []);
    const duplicated = [...items(230), { pk: 'P#0', sk: 'S#0', n: 'last wins' }];
    // Act
    await batchPutItems(fake.client, 'table', duplicated, { concurrency: 3 });
    // Assess
    expect(fake.calls.map((call) => call.length)).toEqual([25, 25, 25, 25, 25, 25, 25, 25, 25, 5]);
    expect(fake.maxInFlight()).toBe(3);
    const written = fake.calls.flat().map((request) => request.PutRequest.Item);
    expect(written).toHaveLength(230);
    expect(written.find((item) => item.sk === 'S#0')).toMatchObject({ n: 'last wins' });
  });

  it('draws each delay with full jitter under an exponentially growing, capped ceiling', () => {
    const options = { baseDelayMs: 50, maxDelayMs: 1000, random: () => 0.5 };
    expect([2, 3, 4, 5, 6, 7, 8].map((attempt) => backoffDelay(attempt, options))).toEqual([
      25, 50, 100, 200, 400, 500, 500,
    ]);
    expect(backoffDelay(3, { ...options, random: () => 0 })).toBe(0);
  });
});
