import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RepairStore } from '../repair/ports';
import type { RepairCase } from '../repair/types';
import { keys } from './items/keys';
import { queryAll } from './query-all';

/** States the deadlines run looks at. */
const OPEN = ['SUBMITTED', 'ACCEPTED', 'FORWARDED_TO_AUTHORITY', 'EXTENDED'];

export function caseFromItem(item: Record<string, unknown>): RepairCase {
  const {
    pk: _pk,
    sk: _sk,
    type: _type,
    gsi1pk: _g1,
    gsi1sk: _g1s,
    gsi2pk: _g2,
    gsi2sk: _g2s,
    ...repair
  } = item;
  return repair as unknown as RepairCase;
}

/**
 * The open repair cases (gsi2 REPAIRS, filtered by state): read-only, so the deadlines function,
 * which only queries them, bundles no write of the repair store.
 */
export class DynamoRepairCases implements Pick<RepairStore, 'openCases'> {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async openCases(): Promise<RepairCase[]> {
    const items = await queryAll(this.client, this.tableName, {
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      FilterExpression: '#status IN (:s0, :s1, :s2, :s3)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':pk': keys.repairs,
        ...Object.fromEntries(OPEN.map((s, i) => [`:s${i}`, s])),
      },
    });
    return items.map(caseFromItem);
  }
}
