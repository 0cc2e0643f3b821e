import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { cursorCodec, type Page } from '../paging/cursor';

/** Every item a query matches, following LastEvaluatedKey page by page (`Limit` is the page size). */
export function queryAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> {
  return queryUpTo(client, tableName, input, Number.POSITIVE_INFINITY);
}

/** The first `max` items a query matches, in key order, following pages until it has them. */
export async function queryUpTo(
  client: DynamoDBDocumentClient,
  tableName: string,
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
  max: number,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const pageSize = Math.min(input.Limit ?? Number.POSITIVE_INFINITY, max - items.length);
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        ...input,
        ...(Number.isFinite(pageSize) ? { Limit: pageSize } : {}),
        ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey && items.length < max);
  return items;
}

/** Cursors of gsi1 pages: the table key and the gsi1 key, nothing else (lib/platform/resources.ts). */
const listingCursor = cursorCodec(['pk', 'sk', 'gsi1pk', 'gsi1sk'], 'gsi1pk');

/**
 * One page of a gsi1 listing (an agency's jobs, alerts, watches, …), from an optional cursor.
 * Throws InvalidCursorError for a cursor this listing did not issue.
 */
export async function listingPage(
  client: DynamoDBDocumentClient,
  tableName: string,
  partition: string,
  options: { limit: number; newestFirst: boolean; cursor?: string },
): Promise<Page<Record<string, unknown>>> {
  const start = options.cursor === undefined ? undefined : listingCursor.decode(options.cursor, partition);
  const page = await client.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': partition },
      ScanIndexForward: !options.newestFirst,
      Limit: options.limit,
      ...(start ? { ExclusiveStartKey: start } : {}),
    }),
  );
  return {
    items: page.Items ?? [],
    ...(page.LastEvaluatedKey ? { nextCursor: listingCursor.encode(page.LastEvaluatedKey) } : {}),
  };
}
