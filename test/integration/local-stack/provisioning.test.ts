import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { creditTable, type QueueName, queues } from '#lib/platform/resources';
import { localDeadLetterQueueName, localQueueName } from '#local/naming';
import { provisionBucket, provisionQueues, provisionTable } from '#local/provision';
import { useLocalStack } from '../support/local-stack';

describe('Local stack: provisioning', () => {
  const stack = useLocalStack();

  describe('Resource: credit table', () => {
    it('has the keys, indexes and TTL of the definition', async () => {
      // Act
      const { Table } = await stack().clients.dynamodb.send(
        new DescribeTableCommand({ TableName: stack().config.tableName }),
      );
      const ttl = await stack().clients.dynamodb.send(
        new DescribeTimeToLiveCommand({ TableName: stack().config.tableName }),
      );

      // Assess
      expect(Table?.KeySchema).toEqual([
        { AttributeName: creditTable.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: creditTable.sortKey.name, KeyType: 'RANGE' },
      ]);
      expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
      const indexes = (Table?.GlobalSecondaryIndexes ?? []).map((index) => ({
        name: index.IndexName,
        keys: index.KeySchema,
        projection: index.Projection?.ProjectionType,
      }));
      expect(indexes.sort((a, b) => String(a.name).localeCompare(String(b.name)))).toEqual(
        creditTable.globalIndexes.map((index) => ({
          name: index.indexName,
          keys: [
            { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
          ],
          projection: 'ALL',
        })),
      );
      expect(ttl.TimeToLiveDescription).toMatchObject({
        TimeToLiveStatus: 'ENABLED',
        AttributeName: creditTable.timeToLiveAttribute,
      });
    });
  });

  describe('Resource: queues', () => {
    it.each(Object.keys(queues) as QueueName[])(
      '%s queue has the settings and redrive policy of the definition',
      async (queue) => {
        // Prepare
        const definition = queues[queue];
        const { url, dlqUrl } = stack().config.queues[queue];

        // Act
        const main = await stack().clients.sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
        );
        const dlq = await stack().clients.sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['All'] }),
        );

        // Assess
        expect(main.Attributes?.VisibilityTimeout).toBe(String(definition.visibilityTimeoutSeconds));
        expect(main.Attributes?.MessageRetentionPeriod).toBe(String(definition.retentionSeconds));
        expect(JSON.parse(main.Attributes?.RedrivePolicy ?? '{}')).toEqual({
          deadLetterTargetArn: dlq.Attributes?.QueueArn,
          maxReceiveCount: definition.maxReceiveCount,
        });
        expect(dlq.Attributes?.MessageRetentionPeriod).toBe(String(definition.deadLetterRetentionSeconds));
        expect(dlq.Attributes?.QueueArn).toMatch(new RegExp(`:${localDeadLetterQueueName(queue)}$`));
      },
    );
  });

  describe('Resource: bucket', () => {
    it('exists', async () => {
      await expect(
        stack().clients.s3.send(new HeadBucketCommand({ Bucket: stack().config.bucketName })),
      ).resolves.toBeDefined();
    });
  });

  describe('Method: provision*', () => {
    it('is idempotent: provisioning again changes nothing and does not fail', async () => {
      // Act
      await provisionTable(stack().clients.dynamodb, stack().config.tableName, creditTable);
      await provisionBucket(stack().clients.s3, stack().config.bucketName);
      const again = await provisionQueues(stack().clients.sqs, (queue) => ({
        name: localQueueName(queue),
        dlqName: localDeadLetterQueueName(queue),
      }));

      // Assess
      expect(again.ingest.url).toBe(stack().config.queues.ingest.url);
      expect(again.match.dlqUrl).toBe(stack().config.queues.match.dlqUrl);
    });
  });
});
