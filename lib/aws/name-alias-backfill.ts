import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Item } from './items/items';
import { orgNameAliasOf } from './items/name-alias';

/** What one page of the backfill did. */
export interface AliasBackfillPage {
  /** Items the page scanned, record items among them, and alias items written or already there. */
  readonly scanned: number;
  readonly records: number;
  readonly created: number;
  readonly existing: number;
  /** Where the next page starts (an opaque token); null when the table is done. */
  readonly next: string | null;
}

export const aliasBackfillPageSize = { default: 500, max: 1000 } as const;
const writesInFlight = 16;

/** The resume token: the scan's LastEvaluatedKey (pk, sk), base64url JSON. */
export function encodeBackfillToken(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify({ pk: key.pk, sk: key.sk })).toString('base64url') : null;
}

export function decodeBackfillToken(token: string): { pk: string; sk: string } {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const { pk, sk } = (key ?? {}) as { pk?: unknown; sk?: unknown };
  if (typeof pk !== 'string' || typeof sk !== 'string') throw new RangeError('not a backfill resume token');
  return { pk, sk };
}

/**
 * Writes the `ALIAS#ORGNAME` items that subjects stored before the public name search existed lack:
 * one page of a table scan (record and list-entry items only), each alias put only where it is not
 * there yet, so a second run — or a page redone after an interruption — writes nothing new.
 */
export async function backfillOrgNameAliasPage(
  client: DynamoDBDocumentClient,
  tableName: string,
  options: { readonly pageSize: number; readonly from?: string },
): Promise<AliasBackfillPage> {
  const page = await client.send(
    new ScanCommand({
      TableName: tableName,
      Limit: Math.min(Math.max(1, options.pageSize), aliasBackfillPageSize.max),
      FilterExpression: 'begins_with(sk, :record) OR begins_with(sk, :list)',
      ProjectionExpression: 'pk, sk, #type, #record.#subject',
      ExpressionAttributeNames: { '#type': 'type', '#record': 'record', '#subject': 'subject' },
      ExpressionAttributeValues: { ':record': 'RECORD#', ':list': 'LIST#' },
      ...(options.from ? { ExclusiveStartKey: decodeBackfillToken(options.from) } : {}),
    }),
  );
  const records = page.Items ?? [];
  const aliases = new Map<string, Item>();
  for (const item of records) {
    const alias = orgNameAliasOf(item);
    if (alias) aliases.set(`${alias.pk}\u0000${alias.sk}`, alias);
  }
  let created = 0;
  const all = [...aliases.values()];
  // A bounded number of writes in flight: the page size bounds the page, this bounds the bursts.
  for (let i = 0; i < all.length; i += writesInFlight) {
    const written = await Promise.all(
      all.slice(i, i + writesInFlight).map((alias) => putIfAbsent(client, tableName, alias)),
    );
    created += written.filter(Boolean).length;
  }
  return {
    scanned: page.ScannedCount ?? 0,
    records: records.length,
    created,
    existing: aliases.size - created,
    next: encodeBackfillToken(page.LastEvaluatedKey),
  };
}

async function putIfAbsent(client: DynamoDBDocumentClient, tableName: string, item: Item): Promise<boolean> {
  try {
    await client.send(
      new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
