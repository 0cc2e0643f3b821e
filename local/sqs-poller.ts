import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import type { FunctionName } from '#lib/platform/resources';
import { invokeHandler, type LambdaHandler } from './lambda/invoke';
import { describeError, type LocalLogger } from './log';

/**
 * The Lambda event-source mapping for an SQS queue, polling a local emulator: long polls for up to
 * `batchSize` messages, waits up to `maxBatchingWindowSeconds` to fill a batch, invokes the handler
 * with an SQS event of the real shape, deletes what succeeded and leaves the rest for redelivery
 * (ReportBatchItemFailures semantics: a thrown error or an invalid response fails the whole batch).
 * The queue's RedrivePolicy, enforced by the emulator, moves a message to the DLQ after
 * maxReceiveCount receives.
 *
 * Local-only acceleration: a failed message normally reappears after the queue's visibility timeout
 * (6× the function timeout, minutes). `failedMessageRetryDelaySeconds` (default 2) makes it visible
 * again sooner with ChangeMessageVisibility; set it to null to keep the cloud's timing.
 */
export interface SqsPollerOptions {
  /** Logical queue name, for logs. */
  queue: string;
  functionName: FunctionName;
  handler: LambdaHandler<SQSEvent, SQSBatchResponse | undefined | null>;
  sqs: SQSClient;
  queueUrl: string;
  /** eventSourceARN of the records. */
  queueArn: string;
  region: string;
  batchSize: number;
  maxBatchingWindowSeconds: number;
  failedMessageRetryDelaySeconds?: number | null;
  /** Long-poll wait of each ReceiveMessage, as Lambda's pollers use (20). */
  waitTimeSeconds?: number;
  /** Parallel poll-and-invoke loops (Lambda scales these; locally 1 by default). */
  concurrency?: number;
  logger: LocalLogger;
}

export interface SqsPollerStats {
  /** Handler invocations. */
  batches: number;
  /** Messages handed to the handler (a redelivered message counts again). */
  received: number;
  /** Messages processed successfully and deleted. */
  succeeded: number;
  /** Messages reported failed or in a failed batch, left for redelivery. */
  failed: number;
  /** Invocations that threw, timed out or returned an invalid batch response. */
  invocationErrors: number;
  lastError?: string;
}

export interface BatchOutcome {
  records: SQSRecord[];
  failedMessageIds: string[];
  error?: unknown;
}

export const DEFAULT_FAILED_MESSAGE_RETRY_DELAY_SECONDS = 2;

export class InvalidBatchResponseError extends Error {
  override name = 'InvalidBatchResponseError';
}

function toLambdaMessageAttributes(
  attributes: Record<string, MessageAttributeValue> | undefined,
): SQSMessageAttributes {
  const result: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    result[name] = {
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined
        ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }
        : {}),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((item) => Buffer.from(item).toString('base64')),
      dataType: (value.DataType ?? 'String') as SQSMessageAttributes[string]['dataType'],
    };
  }
  return result;
}

/** One received message as Lambda hands it to the function. */
export function toSqsRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  const now = String(Date.now());
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ...attributes,
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? now,
      SenderId: attributes.SenderId ?? '000000000000',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? now,
    },
    messageAttributes: toLambdaMessageAttributes(message.MessageAttributes),
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/** The message ids a handler's response marks failed, or an error when Lambda would reject it. */
export function failedMessageIds(response: unknown, batchIds: readonly string[]): string[] {
  if (response === undefined || response === null) return [];
  if (typeof response !== 'object') return [];
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return [];
  if (!Array.isArray(failures)) throw new InvalidBatchResponseError('batchItemFailures is not an array');
  const ids = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '' || !batchIds.includes(id)) {
      throw new InvalidBatchResponseError(
        `batchItemFailures names an unknown itemIdentifier: ${JSON.stringify(id)}`,
      );
    }
    ids.add(id);
  }
  return [...ids];
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size));
  return result;
}

export class SqsPoller {
  readonly #options: SqsPollerOptions;
  readonly #stats: SqsPollerStats = { batches: 0, received: 0, succeeded: 0, failed: 0, invocationErrors: 0 };
  readonly #listeners = new Set<(outcome: BatchOutcome) => void>();
  #abort = new AbortController();
  #loops: Promise<void>[] = [];
  #running = false;

  constructor(options: SqsPollerOptions) {
    this.#options = options;
  }

  get queue(): string {
    return this.#options.queue;
  }

  get running(): boolean {
    return this.#running;
  }

  /** A snapshot of the counters. */
  get stats(): SqsPollerStats {
    return { ...this.#stats };
  }

  /** Called after every invocation; returns a function that removes the listener. */
  onBatch(listener: (outcome: BatchOutcome) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#abort = new AbortController();
    const loops = Math.max(1, this.#options.concurrency ?? 1);
    this.#loops = Array.from({ length: loops }, () => this.#loop());
  }

  /** Stops polling, waits for the batch in hand to finish (deleted or released), and returns. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#abort.abort();
    await Promise.all(this.#loops);
    this.#loops = [];
  }

  async #loop(): Promise<void> {
    let lastReportedError = 0;
    while (this.#running) {
      try {
        const messages = await this.#collectBatch();
        if (messages.length > 0) await this.#process(messages);
      } catch (error) {
        if (!this.#running) break;
        if (Date.now() - lastReportedError > 10_000) {
          this.#options.logger.error(`Polling ${this.#options.queue} failed`, describeError(error));
          lastReportedError = Date.now();
        }
        await sleep(1000, undefined, { signal: this.#abort.signal }).catch(() => undefined);
      }
    }
  }

  async #receive(max: number, waitTimeSeconds: number): Promise<Message[]> {
    const { Messages } = await this.#options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.#options.queueUrl,
        MaxNumberOfMessages: Math.min(10, max),
        WaitTimeSeconds: waitTimeSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: this.#abort.signal },
    );
    return Messages ?? [];
  }

  /** A long poll, then more receives until the batch is full or the batching window has passed. */
  async #collectBatch(): Promise<Message[]> {
    const { batchSize, maxBatchingWindowSeconds } = this.#options;
    const batch = await this.#receive(batchSize, this.#options.waitTimeSeconds ?? 20);
    if (batch.length === 0) return batch;
    const deadline = Date.now() + maxBatchingWindowSeconds * 1000;
    while (this.#running && batch.length < batchSize) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      const wait = remaining >= 1000 ? Math.floor(remaining / 1000) : 0;
      const more = await this.#receive(batchSize - batch.length, wait);
      if (more.length === 0 && wait === 0) await sleep(Math.min(remaining, 50));
      batch.push(...more);
    }
    return batch;
  }

  async #process(messages: Message[]): Promise<void> {
    const { functionName, handler, queueArn, region, logger } = this.#options;
    const records = messages.map((message) => toSqsRecord(message, queueArn, region));
    const ids = records.map((record) => record.messageId);
    this.#stats.batches += 1;
    this.#stats.received += records.length;
    let failed: string[];
    let error: unknown;
    try {
      const response = await invokeHandler(functionName, handler, { Records: records }, region);
      failed = failedMessageIds(response, ids);
    } catch (caught) {
      error = caught;
      failed = ids;
      this.#stats.invocationErrors += 1;
      this.#stats.lastError = describeError(caught);
      logger.warn(
        `${functionName} failed a batch of ${ids.length} from ${this.#options.queue}: ${describeError(caught)}`,
      );
    }
    const failedSet = new Set(failed);
    const succeeded = records.filter((record) => !failedSet.has(record.messageId));
    const retried = records.filter((record) => failedSet.has(record.messageId));
    await this.#delete(succeeded);
    await this.#releaseForRetry(retried);
    this.#stats.succeeded += succeeded.length;
    this.#stats.failed += retried.length;
    const outcome: BatchOutcome = {
      records,
      failedMessageIds: failed,
      ...(error !== undefined ? { error } : {}),
    };
    for (const listener of this.#listeners) {
      try {
        listener(outcome);
      } catch {
        // A listener's error is not the handler's.
      }
    }
  }

  async #delete(records: SQSRecord[]): Promise<void> {
    for (const group of chunks(records, 10)) {
      const result = await this.#options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.#options.queueUrl,
          Entries: group.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
        }),
      );
      for (const failure of result.Failed ?? []) {
        this.#options.logger.warn(
          `Could not delete a message from ${this.#options.queue}: ${failure.Message}`,
        );
      }
    }
  }

  async #releaseForRetry(records: SQSRecord[]): Promise<void> {
    const delay =
      this.#options.failedMessageRetryDelaySeconds === undefined
        ? DEFAULT_FAILED_MESSAGE_RETRY_DELAY_SECONDS
        : this.#options.failedMessageRetryDelaySeconds;
    if (delay === null || records.length === 0) return;
    for (const group of chunks(records, 10)) {
      await this.#options.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.#options.queueUrl,
          Entries: group.map((record, index) => ({
            Id: String(index),
            ReceiptHandle: record.receiptHandle,
            VisibilityTimeout: delay,
          })),
        }),
      );
    }
  }
}
