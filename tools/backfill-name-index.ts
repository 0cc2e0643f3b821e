/**
 * `npx tsx tools/backfill-name-index.ts [--stack <stack.json>] [--segments 4]`
 *
 * Writes the name-index item (ALIAS#NAME#<normalised name>, lib/aws/items/name-index.ts) of every
 * stored list entry. Ingestion writes it for each entry it stores; entries stored before every entry
 * was indexed (until then only entries without a code were) are found by a name-only check once this
 * has run, or once they are ingested again. Idempotent: it rewrites the same items, so it can be run
 * again, or stopped and restarted. Target as for the other tools (tools/stack-target.ts): a local
 * stack, or AWS with TABLE_NAME set. A parallel Scan of the table: run it once, off-peak.
 */
import { parseArgs } from 'node:util';
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { batchPutItems } from '#lib/aws/batch-write';
import { nameIndexItem } from '#lib/aws/items/name-index';
import { resolveTarget } from './stack-target';

interface ScannedEntry {
  readonly record?: { readonly subject?: { readonly key?: string; readonly name?: string } };
}

/** One segment of the parallel Scan: list entries only, their subject's key and name. */
async function backfillSegment(
  client: DynamoDBDocumentClient,
  tableName: string,
  segment: number,
  segments: number,
): Promise<number> {
  let written = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        Segment: segment,
        TotalSegments: segments,
        FilterExpression: '#type = :listEntry',
        ProjectionExpression: '#record.#subject',
        ExpressionAttributeNames: { '#type': 'type', '#record': 'record', '#subject': 'subject' },
        ExpressionAttributeValues: { ':listEntry': 'list-entry' },
        ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
      }),
    );
    const items = ((page.Items ?? []) as ScannedEntry[]).flatMap(({ record }) => {
      const { key, name } = record?.subject ?? {};
      return key && name ? [nameIndexItem({ key, name })] : [];
    });
    await batchPutItems(client, tableName, items);
    written += items.length;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return written;
}

/** Indexes every stored list entry by name; returns how many index items were written. */
export async function backfillNameIndex(
  client: DynamoDBDocumentClient,
  tableName: string,
  segments = 4,
): Promise<number> {
  const counts = await Promise.all(
    Array.from({ length: segments }, (_, segment) => backfillSegment(client, tableName, segment, segments)),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}

async function main() {
  const { values } = parseArgs({
    options: { stack: { type: 'string' }, segments: { type: 'string', default: '4' } },
  });
  const segments = Number(values.segments);
  if (!Number.isInteger(segments) || segments < 1) throw new Error('--segments must be a whole number ≥ 1');
  const target = await resolveTarget({ ...(values.stack ? { stack: values.stack } : {}), needBucket: false });
  try {
    const written = await backfillNameIndex(target.documentClient, target.tableName, segments);
    process.stdout.write(`${written} list entries indexed by name in ${target.description}\n`);
  } finally {
    target.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
