/**
 * Moves messages from a dead-letter queue back to its source queue with plain SQS calls: receive,
 * send, delete. SQS's own redrive (StartMessageMoveTask, the console's "Start DLQ redrive") is not
 * offered in the China regions, so the runbooks use this everywhere.
 *
 * A message is deleted from the dead-letter queue only once the source queue has accepted it: a
 * failure in between leaves a copy in both, and the consumers are idempotent (a redelivery creates no
 * duplicate), so nothing is ever lost.
 */
import {
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { type QueueName, queues, resourceName } from '#lib/platform/resources';

export interface RedriveOptions {
  /** Stop after this many messages (default: until the dead-letter queue is empty). */
  readonly max?: number;
  /** Seconds a received message stays hidden while it is being moved (default 60). */
  readonly visibilityTimeoutSeconds?: number;
}

export interface RedriveResult {
  readonly moved: number;
  /** Messages the source queue refused; they stay on the dead-letter queue. */
  readonly failed: number;
}

export interface QueuePair {
  readonly sourceUrl: string;
  readonly deadLetterUrl: string;
}

/** The deployed queues of `name` in `stage` (CDK names the dead-letter queue <queue>-dlq). */
export async function deployedQueuePair(sqs: SQSClient, stage: string, name: QueueName): Promise<QueuePair> {
  const queueName = resourceName(stage, queues[name].id);
  const urlOf = async (QueueName: string) => {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName }));
    if (!QueueUrl) throw new Error(`GetQueueUrl returned no URL for ${QueueName}`);
    return QueueUrl;
  };
  return { sourceUrl: await urlOf(queueName), deadLetterUrl: await urlOf(`${queueName}-dlq`) };
}

async function receiveBatch(sqs: SQSClient, queueUrl: string, count: number, hideSeconds: number) {
  const { Messages } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: count,
      WaitTimeSeconds: 1,
      VisibilityTimeout: hideSeconds,
      MessageAttributeNames: ['All'],
    }),
  );
  return Messages ?? [];
}

/** Sends the batch to the source queue; returns the messages it accepted. */
async function sendBatch(sqs: SQSClient, queueUrl: string, messages: readonly Message[]): Promise<Message[]> {
  const { Successful } = await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: messages.map((message, index) => ({
        Id: String(index),
        MessageBody: message.Body ?? '',
        ...(message.MessageAttributes ? { MessageAttributes: message.MessageAttributes } : {}),
      })),
    }),
  );
  const accepted = new Set((Successful ?? []).map((entry) => entry.Id));
  return messages.filter((_, index) => accepted.has(String(index)));
}

async function deleteBatch(sqs: SQSClient, queueUrl: string, messages: readonly Message[]): Promise<void> {
  if (messages.length === 0) return;
  await sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: messages.map((message, index) => ({
        Id: String(index),
        ReceiptHandle: message.ReceiptHandle,
      })),
    }),
  );
}

/** Moves messages from `pair.deadLetterUrl` to `pair.sourceUrl` until the former is empty (or `max`). */
export async function redrive(
  sqs: SQSClient,
  pair: QueuePair,
  options: RedriveOptions = {},
): Promise<RedriveResult> {
  const max = options.max ?? Number.POSITIVE_INFINITY;
  const hideSeconds = options.visibilityTimeoutSeconds ?? 60;
  let moved = 0;
  let failed = 0;
  while (moved + failed < max) {
    const messages = await receiveBatch(
      sqs,
      pair.deadLetterUrl,
      Math.min(10, max - moved - failed),
      hideSeconds,
    );
    if (messages.length === 0) break;
    const sent = await sendBatch(sqs, pair.sourceUrl, messages);
    await deleteBatch(sqs, pair.deadLetterUrl, sent);
    moved += sent.length;
    failed += messages.length - sent.length;
    // A refused message is hidden for hideSeconds, so the loop does not spin on it.
  }
  return { moved, failed };
}
