import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AgencyListing, AlertStore, ListingPage, WatchStore } from '../push/ports';
import type { Alert, WatchRecord } from '../push/types';
import type { Item } from './items/items';
import { keys } from './items/keys';
import { listingPage, queryAll } from './query-all';

/**
 * The stored alert: listed per agency on gsi1, newest first by creation time. The raw subject key
 * and entry id stay on the item (for operators and the match function), never in API output.
 */
export function alertItem(alert: Alert, subjectKey: string): Item {
  return {
    pk: keys.alert(alert.alertId),
    sk: 'ALERT',
    type: 'alert',
    gsi1pk: keys.agencyListing(alert.agencyCode, 'ALERT'),
    gsi1sk: `${alert.createdAt}#${alert.alertId}`,
    subjectKey,
    entryId: alert.hit.entryId,
    listTypeCode: alert.hit.listTypeCode,
    ...alert,
  };
}

/** The outbox entry, in the subject partition, that stays until the alert's event is on the bus. */
export function outboxItem(alert: Alert, subjectKey: string): Item {
  return { pk: keys.subject(subjectKey), sk: keys.outbox(alert.alertId), type: 'outbox', alert };
}

/**
 * The watch item, in the subject partition (the match function reads it with the subject's other
 * items) and on gsi1 under AGENCY#<agency>#WATCH, sorted by `<watchId>#<subjectKey>` so that one
 * watch's items are found together.
 */
export function watchItem(watch: WatchRecord): Item {
  return {
    pk: keys.subject(watch.subjectKey),
    sk: keys.watch(watch.agencyCode, watch.watchId),
    ...watch,
    gsi1pk: keys.agencyListing(watch.agencyCode, 'WATCH'),
    gsi1sk: `${watch.watchId}#${watch.subjectKey}`,
  };
}

/**
 * Data access of push (自动推送): alerts with their outbox entries, and watches. Keys only through
 * lib/aws/items/keys.ts; the access patterns are in docs/access-patterns.md.
 */
export class PushStore implements AlertStore, WatchStore, AgencyListing {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /**
   * Writes an alert and, in the same transaction, its outbox entry in the subject partition; both
   * or neither. Returns false when the alert exists already (a redelivered change): then nothing is
   * written, so an alert is published once per creation.
   */
  async createAlert(created: Alert, subjectKey: string): Promise<boolean> {
    const alert = alertItem(created, subjectKey);
    const outbox = outboxItem(created, subjectKey);
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: alert,
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: this.tableName, Item: outbox } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      ) {
        return false;
      }
      throw error;
    }
  }

  /** Removes an outbox entry once its event is on the bus; marks the alert published. */
  async markPublished(subjectKey: string, alertId: string, publishedAt: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: keys.alert(alertId), sk: 'ALERT' },
        UpdateExpression: 'SET publishedAt = if_not_exists(publishedAt, :at)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': publishedAt },
      }),
    );
    await this.client.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { pk: keys.subject(subjectKey), sk: keys.outbox(alertId) },
      }),
    );
  }

  /** One page of an agency's gsi1 listing (alerts newest first; watches by watch id). Throws InvalidCursorError. */
  async listForAgency(
    agencyCode: string,
    kind: 'ALERT' | 'WATCH',
    options: { limit: number; cursor?: string; newestFirst: boolean },
  ): Promise<ListingPage> {
    return listingPage(this.client, this.tableName, keys.agencyListing(agencyCode, kind), options);
  }

  /** Every subject item of one watch of an agency (a watch may cover several subject partitions). */
  watchItems(agencyCode: string, watchId: string): Promise<Record<string, unknown>[]> {
    return queryAll(this.client, this.tableName, {
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :watch)',
      ExpressionAttributeValues: { ':pk': keys.agencyListing(agencyCode, 'WATCH'), ':watch': `${watchId}#` },
    });
  }

  /** Opens (or reopens) a watch item; the item is the whole watch state, so a put is idempotent. */
  async putWatch(watch: WatchRecord): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: watchItem(watch) }));
  }

  /** Closes one watch item if it is open; returns false if it was already closed (or is gone). */
  async closeWatchItem(
    watch: { agencyCode: string; watchId: string; subjectKey: string },
    closure: { closedAt: string; closedReason: string },
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: keys.subject(watch.subjectKey), sk: keys.watch(watch.agencyCode, watch.watchId) },
          UpdateExpression: 'SET #status = :closed, closedAt = :at, closedReason = :reason',
          ConditionExpression: 'attribute_exists(pk) AND #status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':closed': 'closed',
            ':open': 'open',
            ':at': closure.closedAt,
            ':reason': closure.closedReason,
          },
        }),
      );
      return true;
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
