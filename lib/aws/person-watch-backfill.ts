import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { PersonWatchIndex, PersonWatchPage, StoredPersonWatch } from '../push/ports';
import type { WatchRecord } from '../push/types';
import { CreditStore } from './credit-store';
import { keys } from './items/keys';
import { decodeBackfillToken, encodeBackfillToken } from './name-alias-backfill';
import { personWatchItem, personWatchKey, watchedResidentId } from './push-store';

export const personWatchBackfillPageSize = { default: 500, max: 1000 } as const;

/** The key of a scanned watch item's masked-ID index item; none unless it watches a valid resident ID. */
function indexKeyOf(item: Record<string, unknown>): { pk: string; sk: string } | undefined {
  const id = watchedResidentId(String(item.subjectKey));
  return id ? personWatchKey(id, String(item.agencyCode), String(item.watchId)) : undefined;
}

const keyString = (key: Record<string, unknown>) => `${String(key.pk)}\u0000${String(key.sk)}`;

/** A scanned watch item as the port returns it (the resident ID is known to be valid). */
function storedWatchOf(item: Record<string, unknown>, indexed: boolean): StoredPersonWatch {
  return {
    type: 'watch',
    status: String(item.status),
    watchId: item.watchId as string,
    agencyCode: item.agencyCode as string,
    subjectKey: item.subjectKey as string,
    caseRef: item.caseRef as string,
    openedAt: item.openedAt as string,
    openedBy: item.openedBy === 'request' ? 'request' : 'check',
    ...(typeof item.checkId === 'string' ? { checkId: item.checkId } : {}),
    ...(typeof item.until === 'string' ? { until: item.until } : {}),
    subject: item.subject as WatchRecord['subject'],
    indexed,
  };
}

/**
 * The masked-ID index backfill's storage: watch items in ID# subject partitions, found by a
 * segmented table scan, whether their index item exists (one batch read a page), and the index item
 * put only where absent — built by `personWatchItem`, as `PushStore.putWatch` builds it.
 */
export class PersonWatchBackfillStore implements PersonWatchIndex {
  private readonly store: CreditStore;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {
    this.store = new CreditStore(client, tableName);
  }

  async personWatchPage(options: {
    readonly segment: number;
    readonly segments: number;
    readonly pageSize: number;
    readonly from?: string;
  }): Promise<PersonWatchPage> {
    const page = await this.client.send(
      new ScanCommand({
        TableName: this.tableName,
        Segment: options.segment,
        TotalSegments: options.segments,
        Limit: Math.min(Math.max(1, options.pageSize), personWatchBackfillPageSize.max),
        FilterExpression: '#type = :watch AND begins_with(pk, :person)',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':watch': 'watch', ':person': keys.subject('ID#') },
        ...(options.from ? { ExclusiveStartKey: decodeBackfillToken(options.from) } : {}),
      }),
    );
    const watches = (page.Items ?? []).flatMap((item) => {
      const index = indexKeyOf(item);
      return index ? [{ item, index }] : [];
    });
    const found = await this.store.batchGetItems(watches.map(({ index }) => index));
    const indexed = new Set(found.map(keyString));
    return {
      scanned: page.ScannedCount ?? 0,
      watches: watches.map(({ item, index }) => storedWatchOf(item, indexed.has(keyString(index)))),
      next: encodeBackfillToken(page.LastEvaluatedKey),
    };
  }

  async indexPersonWatch(watch: WatchRecord): Promise<boolean> {
    const item = personWatchItem(watch);
    if (!item) throw new TypeError('only an open watch on a valid resident ID, with a name, is indexed');
    return this.store.putItem(item, { onlyIfNew: true });
  }
}
