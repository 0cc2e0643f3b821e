import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { visiblePrefixOf } from '../identifiers/masked-person';
import type { PersonWatchFinder } from '../matching/rescreen-ports';
import type { AgencyListing, AlertStore, ListingPage, WatchStore } from '../push/ports';
import type { Alert, PersonWatch, WatchRecord } from '../push/types';
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
  const { personName: _kept, ...shown } = watch;
  return {
    pk: keys.subject(watch.subjectKey),
    sk: keys.watch(watch.agencyCode, watch.watchId),
    ...shown,
    gsi1pk: keys.agencyListing(watch.agencyCode, 'WATCH'),
    gsi1sk: `${watch.watchId}#${watch.subjectKey}`,
  };
}

const RESIDENT_ID = /^\d{17}[\dX]$/;

/** The resident ID of a person's watch (ID#<18 characters>), else undefined. */
export function watchedResidentId(subjectKey: string): string | undefined {
  const id = subjectKey.startsWith('ID#') ? subjectKey.slice(3) : '';
  return RESIDENT_ID.test(id) ? id : undefined;
}

/** The key of a person watch's masked-ID index item. */
export function personWatchKey(residentId: string, agencyCode: string, watchId: string) {
  return { pk: keys.watchedIds(residentId.slice(0, 6)), sk: keys.watchedId(residentId, agencyCode, watchId) };
}

/**
 * The masked-ID index item of an open ID# watch with a name (the only place the name is kept): the
 * match function finds it by the division code and leading digits of a court's masked ID. Closing
 * the watch deletes it, so only open watches are in the index.
 */
export function personWatchItem(watch: WatchRecord): Item | undefined {
  const residentId = watchedResidentId(watch.subjectKey);
  if (!residentId || !watch.personName) return undefined;
  return {
    ...personWatchKey(residentId, watch.agencyCode, watch.watchId),
    type: 'person-watch',
    watchId: watch.watchId,
    agencyCode: watch.agencyCode,
    caseRef: watch.caseRef,
    subjectKey: watch.subjectKey,
    residentId,
    personName: watch.personName,
    ...(watch.until ? { until: watch.until } : {}),
    subject: watch.subject,
  };
}

/** An index item as the port returns it. */
export function personWatchOf(item: Record<string, unknown>): PersonWatch {
  return {
    watchId: item.watchId as string,
    agencyCode: item.agencyCode as string,
    caseRef: item.caseRef as string,
    subjectKey: item.subjectKey as string,
    residentId: item.residentId as string,
    personName: item.personName as string,
    ...(typeof item.until === 'string' ? { until: item.until } : {}),
    subject: item.subject as PersonWatch['subject'],
  };
}

/** The watch was not open: a plain write's condition failed, or a transaction's first item's. */
function isConditionFailure(error: unknown): boolean {
  if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return true;
  return (
    error instanceof TransactionCanceledException &&
    error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
  );
}

/**
 * Data access of push (自动推送): alerts with their outbox entries, and watches. Keys only through
 * lib/aws/items/keys.ts; the access patterns are in docs/access-patterns.md.
 */
export class PushStore implements AlertStore, WatchStore, AgencyListing, PersonWatchFinder {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /**
   * Writes an alert and, in the same transaction, its outbox entry in the subject partition; both
   * or neither. Returns false when the alert exists already (a redelivered change): then nothing is
   * written, so an alert is published once per creation.
   */
  async createAlert(created: Alert, subjectKey: string, outboxSubjectKey = subjectKey): Promise<boolean> {
    const alert = alertItem(created, subjectKey);
    const outbox = outboxItem(created, outboxSubjectKey);
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

  /**
   * Opens (or reopens) a watch item; the item is the whole watch state, so a put is idempotent. A
   * named person's watch writes its masked-ID index item in the same transaction, so the index never
   * holds a watch that is not stored. Reopened without a name (a check on the case by code only), an
   * open watch keeps the name it was given: its index item only takes the new until-date.
   */
  async putWatch(watch: WatchRecord): Promise<void> {
    const residentId = watchedResidentId(watch.subjectKey);
    const item = watchItem(watch);
    const indexItem = personWatchItem(watch);
    if (indexItem) {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: item } },
            { Put: { TableName: this.tableName, Item: indexItem } },
          ],
        }),
      );
      return;
    }
    const index = residentId ? personWatchKey(residentId, watch.agencyCode, watch.watchId) : undefined;
    const kept = index !== undefined && (await this.putKeepingName(item, index, watch.until));
    if (!kept) await this.client.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  /** The watch item put and its existing index item's until-date set, together; false if it has none. */
  private async putKeepingName(item: Item, index: { pk: string; sk: string }, until: string | undefined) {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: item } },
            {
              Update: {
                TableName: this.tableName,
                Key: index,
                ConditionExpression: 'attribute_exists(pk)',
                ...(until !== undefined
                  ? {
                      UpdateExpression: 'SET #until = :until',
                      ExpressionAttributeValues: { ':until': until },
                    }
                  : { UpdateExpression: 'REMOVE #until' }),
                ExpressionAttributeNames: { '#until': 'until' },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      const reasons = error instanceof TransactionCanceledException ? error.CancellationReasons : undefined;
      if (reasons?.[1]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  /**
   * The open person watches whose resident ID begins with the visible leading digits of a court's
   * masked ID (at least the division code): the candidates, whose fit and name the caller decides.
   */
  async personWatchesFor(maskedId: string): Promise<PersonWatch[]> {
    const prefix = visiblePrefixOf(maskedId);
    if (prefix.length < 6) return [];
    const items = await queryAll(this.client, this.tableName, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.watchedIds(prefix.slice(0, 6)), ':prefix': prefix },
    });
    return items.map(personWatchOf);
  }

  /**
   * Closes one watch item if it is open; returns false if it was already closed (or is gone). A
   * person's watch leaves the masked-ID index in the same transaction: a closed watch is alerted
   * about no court entry published with a masked ID.
   */
  async closeWatchItem(
    watch: { agencyCode: string; watchId: string; subjectKey: string },
    closure: { closedAt: string; closedReason: string },
  ): Promise<boolean> {
    const close = {
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
    };
    const residentId = watchedResidentId(watch.subjectKey);
    try {
      if (!residentId) {
        await this.client.send(new UpdateCommand(close));
        return true;
      }
      const index = personWatchKey(residentId, watch.agencyCode, watch.watchId);
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [{ Update: close }, { Delete: { TableName: this.tableName, Key: index } }],
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
