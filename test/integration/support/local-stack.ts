import { setTimeout as sleep } from 'node:timers/promises';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll } from 'vitest';
import { type LocalStackHandle, type LocalStackOptions, startLocalStack } from '#local/stack';

export type { LocalStackHandle, LocalStackOptions } from '#local/stack';

/**
 * The local stack for integration tests: free ports, in memory, no demo data, quiet, schedule
 * timers off (use fireSchedule), failed SQS messages retried at once. Everything can be overridden.
 */
export function startTestStack(options: LocalStackOptions = {}): Promise<LocalStackHandle> {
  return startLocalStack({
    quiet: true,
    scheduleIntervalSeconds: 0,
    failedMessageRetryDelaySeconds: 0,
    ...options,
    ports: { api: 0, dynamodb: 0, s3: 0, sqs: 0, ...options.ports },
  });
}

/**
 * One stack per test file: started in beforeAll, stopped in afterAll. Call the returned function
 * inside tests and hooks to get the handle.
 */
export function useLocalStack(options: LocalStackOptions = {}): () => LocalStackHandle {
  let stack: LocalStackHandle | undefined;
  beforeAll(async () => {
    stack = await startTestStack(options);
  });
  afterAll(async () => {
    await stack?.stop();
  });
  return () => {
    if (!stack) throw new Error('The local stack is not running (use the handle inside tests or hooks)');
    return stack;
  };
}

/** Polls `probe` until it returns a truthy value, which it resolves to. */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${options.what ?? 'a condition'}`);
    await sleep(options.intervalMs ?? 25);
  }
}

export interface CapturingSqsHandler {
  handler: (event: SQSEvent) => Promise<SQSBatchResponse>;
  /** Every event the handler received, in order. */
  readonly events: SQSEvent[];
  /** Every record the handler received (redeliveries included). */
  readonly records: SQSRecord[];
  /** Records by message id, in delivery order. */
  deliveriesOf(messageId: string): SQSRecord[];
  clear(): void;
}

/**
 * An SQS handler for tests that records what it receives. `fail` marks records as batch item
 * failures; `throwFor` makes the whole invocation throw.
 */
export function capturingSqsHandler(
  options: { fail?: (record: SQSRecord) => boolean; throwFor?: (event: SQSEvent) => boolean } = {},
): CapturingSqsHandler {
  const events: SQSEvent[] = [];
  const records: SQSRecord[] = [];
  return {
    handler: async (event) => {
      events.push(event);
      records.push(...event.Records);
      if (options.throwFor?.(event)) throw new Error('Test handler failure');
      const failed = event.Records.filter((record) => options.fail?.(record) ?? false);
      return { batchItemFailures: failed.map((record) => ({ itemIdentifier: record.messageId })) };
    },
    events,
    records,
    deliveriesOf: (messageId) => records.filter((record) => record.messageId === messageId),
    clear: () => {
      events.length = 0;
      records.length = 0;
    },
  };
}
