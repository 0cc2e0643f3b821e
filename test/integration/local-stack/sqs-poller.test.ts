import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { queues } from '#lib/platform/resources';
import { capturingSqsHandler, useLocalStack, waitFor } from '../support/local-stack';

/** The match handler: fails `poison-*` bodies, throws once for `throw-once-*`, answers nonsense for `bogus-*`. */
const match = capturingSqsHandler({
  fail: (record) => record.body.startsWith('poison-'),
  throwFor: (event) =>
    event.Records.some(
      (record) => record.body.startsWith('throw-once-') && record.attributes.ApproximateReceiveCount === '1',
    ),
});
const matchHandler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const response = await match.handler(event);
  const bogus = event.Records.find(
    (record) => record.body.startsWith('bogus-') && record.attributes.ApproximateReceiveCount === '1',
  );
  return bogus ? { batchItemFailures: [{ itemIdentifier: 'not-a-message-in-this-batch' }] } : response;
};

function bodies(event: SQSEvent): string[] {
  return event.Records.map((record) => record.body);
}

describe('Local stack: SQS event-source mapping', () => {
  const stack = useLocalStack({ handlers: { match: matchHandler } });

  const send = (...messageBodies: string[]) =>
    stack().clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: stack().config.queues.match.url,
        Entries: messageBodies.map((body, index) => ({ Id: String(index), MessageBody: body })),
      }),
    );

  const queueDepth = async (url: string) => {
    const { Attributes } = await stack().clients.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Number(Attributes?.ApproximateNumberOfMessages) +
      Number(Attributes?.ApproximateNumberOfMessagesNotVisible)
    );
  };

  describe('Method: poll', () => {
    it('hands over SQS records of the real shape, message attributes included', async () => {
      // Act
      const sent = await stack().clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: stack().config.queues.match.url,
          MessageBody: 'shape-1',
          MessageAttributes: {
            kind: { DataType: 'String', StringValue: 'rescreen' },
            blob: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
          },
        }),
      );
      const record = await waitFor(() => match.records.find((candidate) => candidate.body === 'shape-1'));

      // Assess
      expect(record).toMatchObject({
        messageId: sent.MessageId,
        receiptHandle: expect.any(String),
        md5OfBody: sent.MD5OfMessageBody,
        md5OfMessageAttributes: sent.MD5OfMessageAttributes,
        eventSource: 'aws:sqs',
        eventSourceARN: stack().queues.match.arn,
        awsRegion: stack().config.region,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: expect.stringMatching(/^\d+$/),
          SenderId: expect.any(String),
          ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d+$/),
        },
        messageAttributes: {
          kind: { stringValue: 'rescreen', stringListValues: [], binaryListValues: [], dataType: 'String' },
          blob: { binaryValue: 'AQID', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
        },
      });
      expect(stack().queues.match.arn).toMatch(
        /^arn:aws:sqs:cn-north-1:000000000000:joint-credit-local-MatchQueue$/,
      );
    });

    it('collects messages sent within the batching window into one batch', async () => {
      // Act
      for (const index of [1, 2, 3, 4, 5]) {
        await stack().clients.sqs.send(
          new SendMessageCommand({
            QueueUrl: stack().config.queues.match.url,
            MessageBody: `window-${index}`,
          }),
        );
      }
      await waitFor(() => match.records.filter((record) => record.body.startsWith('window-')).length === 5);

      // Assess
      const batches = match.events.filter((event) =>
        bodies(event).some((body) => body.startsWith('window-')),
      );
      expect(batches).toHaveLength(1);
      expect(queues.match.batchSize).toBeGreaterThanOrEqual(5);
    });
  });

  describe('Method: partial batch failure', () => {
    it('deletes the successes and redrives a message that always fails to the DLQ after maxReceiveCount', async () => {
      // Prepare
      const outcomes: { body: string; failed: boolean }[] = [];
      const ours = new Set(['ok-a', 'poison-1', 'ok-b']);
      const unsubscribe = stack().pollers.match.onBatch((outcome) => {
        // An earlier test's batch may still be finishing when this one subscribes.
        for (const record of outcome.records.filter((candidate) => ours.has(candidate.body))) {
          outcomes.push({ body: record.body, failed: outcome.failedMessageIds.includes(record.messageId) });
        }
      });

      // Act
      await send('ok-a', 'poison-1', 'ok-b');
      const dlqMessage = await waitFor(
        async () => {
          const { Messages } = await stack().clients.sqs.send(
            new ReceiveMessageCommand({
              QueueUrl: stack().config.queues.match.dlqUrl,
              MaxNumberOfMessages: 10,
            }),
          );
          return Messages?.find((message) => message.Body === 'poison-1');
        },
        { what: 'the poison message in the DLQ' },
      );

      // Assess
      const poisonDeliveries = match.records.filter((record) => record.body === 'poison-1');
      expect(poisonDeliveries.map((record) => record.attributes.ApproximateReceiveCount)).toEqual(
        Array.from({ length: queues.match.maxReceiveCount }, (_, index) => String(index + 1)),
      );
      expect(match.records.filter((record) => record.body === 'ok-a')).toHaveLength(1);
      expect(match.records.filter((record) => record.body === 'ok-b')).toHaveLength(1);
      expect(dlqMessage.MessageId).toBe(poisonDeliveries[0]?.messageId);
      expect(await queueDepth(stack().config.queues.match.url)).toBe(0);
      unsubscribe();
      expect(
        outcomes
          .filter((outcome) => !outcome.failed)
          .map((outcome) => outcome.body)
          .sort(),
      ).toEqual(['ok-a', 'ok-b']);
      expect(outcomes.filter((outcome) => outcome.failed)).toHaveLength(queues.match.maxReceiveCount);
    });
  });

  describe('Method: whole batch failure', () => {
    it('retries every message of a batch whose invocation threw', async () => {
      // Prepare
      const before = stack().pollers.match.stats;

      // Act
      await send('throw-once-1', 'sibling-1');
      await waitFor(() => match.records.filter((record) => record.body === 'sibling-1').length === 2);
      await waitFor(async () => (await queueDepth(stack().config.queues.match.url)) === 0);

      // Assess
      expect(match.records.filter((record) => record.body === 'throw-once-1')).toHaveLength(2);
      expect(stack().pollers.match.stats.invocationErrors - before.invocationErrors).toBe(1);
    });

    it('treats a batch response naming an unknown message as a failure of the whole batch', async () => {
      // Act
      await send('bogus-1', 'sibling-2');
      await waitFor(() => match.records.filter((record) => record.body === 'sibling-2').length === 2);

      // Assess
      expect(stack().pollers.match.stats.lastError).toMatch(/InvalidBatchResponseError/);
    });
  });
});
