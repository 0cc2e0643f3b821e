import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndexDescription,
  type KeySchemaElement,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  type GlobalIndexDefinition,
  type KeyAttribute,
  type QueueDefinition,
  type QueueName,
  queues,
  type TableDefinition,
} from '#lib/platform/resources';

/**
 * Creates the local resources from the one set of definitions in lib/platform/resources.ts, the
 * way the CDK stack does in the cloud. Every step is idempotent: a persisted table is checked and
 * completed (missing indexes, TTL), never recreated.
 */

export class ProvisioningError extends Error {
  override name = 'ProvisioningError';
}

function keySchema(partitionKey: KeyAttribute, sortKey: KeyAttribute): KeySchemaElement[] {
  return [
    { AttributeName: partitionKey.name, KeyType: 'HASH' },
    { AttributeName: sortKey.name, KeyType: 'RANGE' },
  ];
}

function attributeDefinitions(keys: readonly KeyAttribute[]): AttributeDefinition[] {
  const byName = new Map<string, AttributeDefinition>();
  for (const key of keys) byName.set(key.name, { AttributeName: key.name, AttributeType: key.type });
  return [...byName.values()];
}

function indexSpec(index: GlobalIndexDefinition) {
  return {
    IndexName: index.indexName,
    KeySchema: keySchema(index.partitionKey, index.sortKey),
    Projection: { ProjectionType: 'ALL' as const },
  };
}

function sameKeys(actual: KeySchemaElement[] | undefined, expected: KeySchemaElement[]): boolean {
  return JSON.stringify(actual ?? []) === JSON.stringify(expected);
}

export async function provisionTable(
  dynamodb: DynamoDBClient,
  tableName: string,
  definition: TableDefinition,
): Promise<void> {
  const allKeys = [
    definition.partitionKey,
    definition.sortKey,
    ...definition.globalIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  try {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: keySchema(definition.partitionKey, definition.sortKey),
        AttributeDefinitions: attributeDefinitions(allKeys),
        GlobalSecondaryIndexes: definition.globalIndexes.map(indexSpec),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists(
    { client: dynamodb, maxWaitTime: 30, minDelay: 0.1, maxDelay: 0.5 },
    { TableName: tableName },
  );
  const { Table: table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
  if (!sameKeys(table?.KeySchema, keySchema(definition.partitionKey, definition.sortKey))) {
    throw new ProvisioningError(
      `Table ${tableName} exists with the key schema ${JSON.stringify(table?.KeySchema)}, which differs from ` +
        `lib/platform/resources.ts. Start with --fresh to recreate the local data.`,
    );
  }
  const existing = new Map<string, GlobalSecondaryIndexDescription>(
    (table?.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName ?? '', index]),
  );
  for (const index of definition.globalIndexes) {
    const found = existing.get(index.indexName);
    if (found) {
      if (!sameKeys(found.KeySchema, keySchema(index.partitionKey, index.sortKey))) {
        throw new ProvisioningError(
          `Index ${index.indexName} of ${tableName} has other keys than lib/platform/resources.ts declares. ` +
            'Start with --fresh to recreate the local data.',
        );
      }
      continue;
    }
    await dynamodb.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: attributeDefinitions([index.partitionKey, index.sortKey]),
        GlobalSecondaryIndexUpdates: [{ Create: indexSpec(index) }],
      }),
    );
  }
  const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const ttlDescription = ttl.TimeToLiveDescription;
  if (
    ttlDescription?.TimeToLiveStatus !== 'ENABLED' ||
    ttlDescription.AttributeName !== definition.timeToLiveAttribute
  ) {
    await dynamodb.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: definition.timeToLiveAttribute, Enabled: true },
      }),
    );
  }
}

export async function provisionBucket(s3: S3Client, bucketName: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucketName }));
    return;
  } catch {
    // Not there yet.
  }
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucketName }));
  } catch (error) {
    const name = (error as Error).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  }
}

export interface ProvisionedQueue {
  name: string;
  url: string;
  arn: string;
  dlqName: string;
  dlqUrl: string;
  dlqArn: string;
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (!arn) throw new ProvisioningError(`The SQS emulator reported no ARN for ${url}`);
  return arn;
}

/** The queue attributes a definition stands for, as CreateQueue takes them. */
export function queueAttributes(
  definition: QueueDefinition,
  deadLetterTargetArn: string,
): Record<string, string> {
  return {
    VisibilityTimeout: String(definition.visibilityTimeoutSeconds),
    MessageRetentionPeriod: String(definition.retentionSeconds),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn, maxReceiveCount: definition.maxReceiveCount }),
  };
}

export async function provisionQueue(
  sqs: SQSClient,
  definition: QueueDefinition,
  names: { name: string; dlqName: string },
): Promise<ProvisionedQueue> {
  const dlq = await sqs.send(
    new CreateQueueCommand({
      QueueName: names.dlqName,
      Attributes: { MessageRetentionPeriod: String(definition.deadLetterRetentionSeconds) },
    }),
  );
  const dlqUrl = dlq.QueueUrl;
  if (!dlqUrl) throw new ProvisioningError(`CreateQueue returned no URL for ${names.dlqName}`);
  const dlqArn = await queueArn(sqs, dlqUrl);
  const queue = await sqs.send(
    new CreateQueueCommand({ QueueName: names.name, Attributes: queueAttributes(definition, dlqArn) }),
  );
  const url = queue.QueueUrl;
  if (!url) throw new ProvisioningError(`CreateQueue returned no URL for ${names.name}`);
  return { name: names.name, url, arn: await queueArn(sqs, url), dlqName: names.dlqName, dlqUrl, dlqArn };
}

export async function provisionQueues(
  sqs: SQSClient,
  nameOf: (queue: QueueName) => { name: string; dlqName: string },
): Promise<Record<QueueName, ProvisionedQueue>> {
  const entries = await Promise.all(
    (Object.keys(queues) as QueueName[]).map(
      async (queue) => [queue, await provisionQueue(sqs, queues[queue], nameOf(queue))] as const,
    ),
  );
  return Object.fromEntries(entries) as Record<QueueName, ProvisionedQueue>;
}
