import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { MatchMessage } from '../matching/messages';

export class MatchQueueSendError extends Error {
  override name = 'MatchQueueSendError';
}

/** Tells the match function which subjects changed; duplicates are harmless (re-screening is idempotent). */
export class MatchQueue {
  constructor(
    private readonly client: SQSClient,
    readonly queueUrl: string,
  ) {}

  async send(messages: readonly MatchMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const batch = messages.slice(i, i + 10);
      const result = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((message, index) => ({
            Id: String(index),
            MessageBody: JSON.stringify(message),
          })),
        }),
      );
      if (result.Failed && result.Failed.length > 0) {
        throw new MatchQueueSendError(
          `${result.Failed.length} match messages were not accepted: ${result.Failed.map((f) => f.Message).join('; ')}`,
        );
      }
    }
  }
}
