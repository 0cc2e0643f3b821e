import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { redrive } from '#tools/dlq-redrive';
import { useAdminCommand } from '../support/admin-command';
import { capturingSqsHandler, useLocalStack, waitFor } from '../support/local-stack';

const matchHandler = capturingSqsHandler();
const stack = useLocalStack({ handlers: { match: matchHandler.handler } });
const admin = useAdminCommand(stack);

async function deadLetter(body: string): Promise<void> {
  await stack().clients.sqs.send(
    new SendMessageCommand({
      QueueUrl: stack().queues.match.dlqUrl,
      MessageBody: body,
      MessageAttributes: { origin: { DataType: 'String', StringValue: 'test' } },
    }),
  );
}

async function depth(queueUrl: string): Promise<number> {
  const { Attributes } = await stack().clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

describe('npm run admin -- dlq redrive (receive, send, delete: works where SQS redrive does not)', () => {
  it('moves every dead-lettered message back to its queue, where the consumer gets it', async () => {
    // Prepare
    matchHandler.clear();
    const bodies = Array.from({ length: 13 }, (_, index) => JSON.stringify({ subjectKey: `S-${index}` }));
    for (const body of bodies) await deadLetter(body);
    // Act
    const result = await admin(['dlq', 'redrive', 'match']);
    // Assess
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('13 messages moved from match dead-letter queue back to match');
    await waitFor(() => matchHandler.records.length >= bodies.length, { what: 'the redriven messages' });
    expect(matchHandler.records.map((record) => record.body).sort()).toEqual([...bodies].sort());
    expect(matchHandler.records[0]?.messageAttributes.origin?.stringValue).toBe('test');
    expect(await depth(stack().queues.match.dlqUrl)).toBe(0);
  });

  it('stops after --max messages and leaves the rest dead-lettered', async () => {
    // Prepare
    for (let index = 0; index < 3; index += 1) await deadLetter(JSON.stringify({ subjectKey: `M-${index}` }));
    // Act
    const result = await redrive(
      stack().clients.sqs,
      { sourceUrl: stack().queues.match.url, deadLetterUrl: stack().queues.match.dlqUrl },
      { max: 2, visibilityTimeoutSeconds: 0 },
    );
    // Assess
    expect(result).toEqual({ moved: 2, failed: 0 });
    expect(await depth(stack().queues.match.dlqUrl)).toBe(1);
  });

  it('refuses a queue the platform does not have', async () => {
    const result = await admin(['dlq', 'redrive', 'nonexistent']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage: admin dlq redrive ingest|match');
  });
});
