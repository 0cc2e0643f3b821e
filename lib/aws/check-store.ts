import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { auditItem, entryOfItem, type PersonalDataAccess } from '../audit/personal-data-log';
import type { ReferenceRecord } from '../datasets/reference';
import { referencePartitionKinds } from '../reference/items';
import { keys } from '../store/keys';
import { batchPutItems } from './batch-write';
import { queryAll } from './query-all';

export interface IdempotencyClaim {
  readonly checkId: string;
  readonly bodyHash: string;
  readonly createdAt: string;
}

/**
 * Table access of the check area (issue 4): reference data, idempotency keys, stored checks and
 * their feedback, watches closed by feedback, and the personal-data access log.
 */
export class CheckStore {
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

  /** Claims an Idempotency-Key for a check id; returns the earlier claim when the key is taken. */
  async claimIdempotencyKey(
    agencyCode: string,
    key: string,
    claim: IdempotencyClaim,
  ): Promise<{ claimed: true } | { claimed: false; existing: IdempotencyClaim }> {
    const pk = keys.checkIdempotency(agencyCode, key);
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

  async releaseIdempotencyKey(agencyCode: string, key: string, checkId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: keys.checkIdempotency(agencyCode, key), sk: 'IDEMPOTENCY' },
          ConditionExpression: 'checkId = :checkId',
          ExpressionAttributeValues: { ':checkId': checkId },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async getCheckItem(checkId: string): Promise<Record<string, unknown> | undefined> {
    return this.get(keys.check(checkId), 'CHECK');
  }

  async getFeedback(checkId: string): Promise<Record<string, unknown> | undefined> {
    return this.get(keys.check(checkId), 'FEEDBACK');
  }

  async feedbackHistory(checkId: string): Promise<Record<string, unknown>[]> {
    return this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.check(checkId), ':prefix': 'FEEDBACK#' },
    });
  }

  /** The latest feedback (sk FEEDBACK) and a history item (sk FEEDBACK#<givenAt>) in one batch. */
  async putFeedback(checkId: string, feedback: Record<string, unknown> & { givenAt: string }): Promise<void> {
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
    return pages.flat().map(entryOfItem);
  }
}
