import { beforeAll, describe, expect, it } from 'vitest';
import { creditTable } from '#lib/platform/resources';
import { resourceOf, type Synthesized, synthesize } from './support';

describe('Construct: CreditTable', () => {
  let synth: Synthesized;

  beforeAll(() => {
    synth = synthesize('dev');
  });

  const tableProperties = () =>
    resourceOf(synth.template, 'AWS::DynamoDB::Table', synth.stack.table.table).Properties;

  it('is the only table', () => {
    synth.template.resourceCountIs('AWS::DynamoDB::Table', 1);
  });

  it('has the partition and sort key of the shared definition', () => {
    expect(tableProperties().KeySchema).toEqual([
      { AttributeName: creditTable.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: creditTable.sortKey.name, KeyType: 'RANGE' },
    ]);
  });

  it('declares every key attribute with its type, and nothing else', () => {
    // Prepare
    const keys = [
      creditTable.partitionKey,
      creditTable.sortKey,
      ...creditTable.globalIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
    ];
    // Act
    const declared = tableProperties().AttributeDefinitions as {
      AttributeName: string;
      AttributeType: string;
    }[];
    // Assess
    expect(declared).toHaveLength(keys.length);
    expect(declared).toEqual(
      expect.arrayContaining(keys.map((key) => ({ AttributeName: key.name, AttributeType: key.type }))),
    );
  });

  it.each(creditTable.globalIndexes.map((index) => [index.indexName, index] as const))(
    'has the global index %s with its keys, projecting all attributes',
    (indexName, index) => {
      const indexes = tableProperties().GlobalSecondaryIndexes as { IndexName: string }[];
      expect(indexes.find((candidate) => candidate.IndexName === indexName)).toEqual({
        IndexName: indexName,
        KeySchema: [
          { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      });
    },
  );

  it('has exactly the global indexes of the shared definition', () => {
    expect(tableProperties().GlobalSecondaryIndexes).toHaveLength(creditTable.globalIndexes.length);
  });

  it('bills per request', () => {
    expect(tableProperties().BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('has point-in-time recovery enabled', () => {
    expect(tableProperties().PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });

  it('expires items by the TTL attribute of the shared definition', () => {
    expect(tableProperties().TimeToLiveSpecification).toEqual({
      AttributeName: creditTable.timeToLiveAttribute,
      Enabled: true,
    });
  });

  it('is encrypted with the AWS-managed key', () => {
    expect(tableProperties().SSESpecification).toEqual({ SSEEnabled: true });
  });

  it('is named after the stage and the shared table id', () => {
    expect(tableProperties().TableName).toBe(`joint-credit-dev-${creditTable.id}`);
  });
});
