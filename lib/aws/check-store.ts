import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { PersonalDataAccess } from '../audit/types';
import { toShanghaiDate } from '../calendar/working-days';
import type { IdempotencyClaim, IdempotencyScope, IdempotencyStore } from '../check/idempotency-ports';
import type { AuditLog, CheckReader, CheckWriter, FeedbackStore } from '../check/ports';
import type { StoredCheck, StoredFeedback } from '../check/types';
import type { ListEntryRecord } from '../datasets';
import type { ReferenceRecord } from '../datasets/reference';
import type { ListAuthorityReader, StoredEntryOfListType } from '../reference/ports';
import { referencePartitionKinds } from '../reference/types';
import { batchPutItems } from './batch-write';
import { shortHash } from './items/items';
import { keys } from './items/keys';
import { queryAll } from './query-all';

/** One API key's Idempotency-Key: keys of one agency never share a claim (nor see its result). */
function idempotencyKey(scope: IdempotencyScope, key: string): string {
  return keys.checkIdempotency(scope.agencyCode, `${scope.keyId}#${key}`);
}

/** An access-log entry as stored: one partition per Asia/Shanghai day, sorted by time. */
export function auditItem(entry: PersonalDataAccess): Record<string, unknown> & { pk: string; sk: string } {
  const id = shortHash(
    `${entry.at}|${entry.keyId}|${entry.subjectRef}|${entry.action}|${entry.checkId ?? ''}`,
  );
  return {
    pk: keys.auditDay(toShanghaiDate(new Date(entry.at))),
    sk: `${entry.at}#${id}`,
    type: 'audit',
    ...entry,
  };
}

/**
 * gsi1sk conditions covering every agency prefix except the entitled ones ("<code>#" up to, not
 * including, "<code>$": '#' and '$' sort before every letter and digit of a registry code).
 */
function rangesOutside(entitled: readonly string[]): { condition: string; values: Record<string, string> }[] {
  const sorted = [...new Set(entitled)].sort();
  if (sorted.length === 0) return [{ condition: '', values: {} }];
  const ranges: { condition: string; values: Record<string, string> }[] = [
    { condition: ' AND gsi1sk < :to', values: { ':to': `${sorted[0]}#` } },
  ];
  for (let i = 1; i < sorted.length; i += 1) {
    ranges.push({
      condition: ' AND gsi1sk BETWEEN :from AND :to',
      values: { ':from': `${sorted[i - 1]}$`, ':to': `${sorted[i]}#` },
    });
  }
  ranges.push({ condition: ' AND gsi1sk >= :from', values: { ':from': `${sorted[sorted.length - 1]}$` } });
  return ranges;
}

/** An item without its table keys and item type: the record the domain wrote. */
function withoutKeys(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, type: _type, gsi1pk: _g1, gsi1sk: _g1s, ...record } = item;
  return record;
}

/** The stored check item: in its own partition, and on the agency's CHECK listing by time. */
export function checkItem(check: StoredCheck): Record<string, unknown> & { pk: string; sk: string } {
  return {
    pk: keys.check(check.checkId),
    sk: 'CHECK',
    type: 'check',
    gsi1pk: keys.agencyListing(check.caller.agencyCode, 'CHECK'),
    gsi1sk: `${check.checkedAt}#${check.checkId}`,
    caller: check.caller,
    purpose: check.purpose,
    watchedSubjectKeys: check.watchedSubjectKeys,
    ...(check.personalSubject ? { personalSubject: check.personalSubject } : {}),
    ...(check.subjectRef ? { subjectRef: check.subjectRef } : {}),
    result: check.result,
  };
}

/**
 * Table access of the check area (issue 4): reference data, idempotency keys, stored checks and
 * their feedback, watches closed by feedback, and the personal-data access log.
 */
export class CheckStore
  implements CheckWriter, CheckReader, FeedbackStore, AuditLog, IdempotencyStore, ListAuthorityReader
{
  constructor(
    private readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  private queryAll(
    input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
  ): Promise<Record<string, unknown>[]> {
    return queryAll(this.client, this.tableName, input);
  }

  private async get(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
    return (await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk, sk } }))).Item;
  }

  /** Every reference row: four partitions (REF#LIST_TYPE, REF#MEMORANDUM, REF#MEASURE, REF#MATTER). */
  async referenceRecords(): Promise<ReferenceRecord[]> {
    const partitions = Object.values(referencePartitionKinds).map((kind) => keys.reference(kind));
    const pages = await Promise.all(
      partitions.map((pk) =>
        this.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }),
      ),
    );
    return pages.flat().map((item) => item.record as ReferenceRecord);
  }

  /**
   * List entries of a list type from agencies not in `entitled`: gsi1 LIST-TYPE#<code> is sorted
   * by reporting agency, so the key ranges between the entitled agencies' prefixes hold exactly the
   * others, and nothing else is read.
   */
  async entriesOutsideAuthority(
    listTypeCode: string,
    entitled: readonly string[],
    limit: number,
  ): Promise<StoredEntryOfListType[]> {
    const found: StoredEntryOfListType[] = [];
    for (const range of rangesOutside(entitled)) {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: `gsi1pk = :pk${range.condition}`,
            ExpressionAttributeValues: { ':pk': keys.listTypeEntries(listTypeCode), ...range.values },
            Limit: limit - found.length,
            ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
          }),
        );
        for (const item of page.Items ?? []) {
          found.push({
            entryId: item.entryId as string,
            agencyCode: item.agencyCode as string,
            record: item.record as ListEntryRecord,
          });
        }
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey && found.length < limit);
      if (found.length >= limit) break;
    }
    return found;
  }

  /** Claims an Idempotency-Key of one API key for a check id; returns the earlier claim when taken. */
  async claimIdempotencyKey(
    scope: IdempotencyScope,
    key: string,
    claim: IdempotencyClaim,
  ): Promise<{ claimed: true } | { claimed: false; existing: IdempotencyClaim }> {
    const pk = idempotencyKey(scope, key);
    const agencyCode = scope.agencyCode;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk, sk: 'IDEMPOTENCY', type: 'idempotency-key', agencyCode, ...claim },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { claimed: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const existing = await this.get(pk, 'IDEMPOTENCY');
    return { claimed: false, existing: existing as unknown as IdempotencyClaim };
  }

  async releaseIdempotencyKey(scope: IdempotencyScope, key: string, checkId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: idempotencyKey(scope, key), sk: 'IDEMPOTENCY' },
          ConditionExpression: 'checkId = :checkId',
          ExpressionAttributeValues: { ':checkId': checkId },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async saveCheck(check: StoredCheck): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: checkItem(check) }));
  }

  async getCheck(checkId: string): Promise<StoredCheck | undefined> {
    const item = await this.get(keys.check(checkId), 'CHECK');
    if (!item) return undefined;
    const result = item.result as StoredCheck['result'];
    return {
      ...(withoutKeys(item) as Omit<StoredCheck, 'checkId' | 'checkedAt'>),
      checkId: result.checkId,
      checkedAt: result.checkedAt,
    };
  }

  async getFeedback(checkId: string): Promise<StoredFeedback | undefined> {
    const item = await this.get(keys.check(checkId), 'FEEDBACK');
    return item ? (withoutKeys(item) as unknown as StoredFeedback) : undefined;
  }

  async feedbackHistory(checkId: string): Promise<StoredFeedback[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.check(checkId), ':prefix': 'FEEDBACK#' },
    });
    return items.map((item) => withoutKeys(item) as unknown as StoredFeedback);
  }

  /** The latest feedback (sk FEEDBACK) and a history item (sk FEEDBACK#<givenAt>) in one batch. */
  async putFeedback(checkId: string, feedback: StoredFeedback): Promise<void> {
    const pk = keys.check(checkId);
    await batchPutItems(this.client, this.tableName, [
      { pk, sk: 'FEEDBACK', type: 'feedback', ...feedback },
      { pk, sk: keys.feedbackHistory(feedback.givenAt), type: 'feedback-history', ...feedback },
    ]);
  }

  async logPersonalDataAccess(entries: readonly PersonalDataAccess[]): Promise<void> {
    if (entries.length === 0) return;
    await batchPutItems(this.client, this.tableName, entries.map(auditItem));
  }

  async personalDataAccesses(days: readonly string[]): Promise<PersonalDataAccess[]> {
    const pages = await Promise.all(
      days.map((day) =>
        this.queryAll({
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.auditDay(day) },
        }),
      ),
    );
    return pages.flat().map((item) => withoutKeys(item) as unknown as PersonalDataAccess);
  }
}
