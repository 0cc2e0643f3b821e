import { GetQueueUrlCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ChunkMessage } from '../ingest/chunking/messages';
import type { ChunkQueue as ChunkQueuePort } from '../ingest/ports';

export class ChunkQueueSendError extends Error {
  override name = 'ChunkQueueSendError';
}

/**
 * Sends `ingest-chunk` messages to the ingest queue (the function's own queue). The URL comes from
 * INGEST_QUEUE_URL when set, otherwise from the ARN of the queue the S3 event arrived on.
 */
export class IngestQueueUrlMissingError extends Error {
  override name = 'IngestQueueUrlMissingError';
}

export class ChunkQueue implements ChunkQueuePort {
  #url: string | undefined;

  constructor(
    private readonly client: SQSClient,
    queueUrl?: string,
  ) {
    this.#url = queueUrl;
  }

  async urlFor(eventSourceArn?: string): Promise<string> {
    if (this.#url) return this.#url;
    const [, , , , account, name] = eventSourceArn?.split(':') ?? [];
    if (!account || !name)
      throw new IngestQueueUrlMissingError(
        'No ingest queue URL: set INGEST_QUEUE_URL or pass the event source ARN',
      );
    const result = await this.client.send(
      new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }),
    );
    if (!result.QueueUrl) throw new IngestQueueUrlMissingError(`Queue ${name} has no URL`);
    this.#url = result.QueueUrl;
    return this.#url;
  }

  async send(messages: readonly ChunkMessage[], eventSourceArn?: string): Promise<void> {
    const QueueUrl = await this.urlFor(eventSourceArn);
    for (let i = 0; i < messages.length; i += 10) {
      const batch = messages.slice(i, i + 10);
      const result = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: batch.map((message, index) => ({
            Id: String(index),
            MessageBody: JSON.stringify(message),
          })),
        }),
      );
      if (result.Failed && result.Failed.length > 0) {
        throw new ChunkQueueSendError(
          `${result.Failed.length} chunk messages were not accepted: ${result.Failed.map((f) => f.Message).join('; ')}`,
        );
      }
    }
  }
}
