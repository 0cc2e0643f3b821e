import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { RecordTallies } from '../check/ports';
import type { RecordTally, StoredRecordTally } from '../check/record-tally-types';
import type { Item } from './items/items';
import { keys } from './items/keys';
import { queryAll } from './query-all';

function recordTallyItem(subjectKey: string, tally: RecordTally, basedOn: string | null): Item {
  return { pk: keys.subject(subjectKey), sk: keys.recordTally, type: 'record-tally', ...tally, basedOn };
}

function storedTallyOf(item: Record<string, unknown>): StoredRecordTally {
  return {
    computedOn: item.computedOn as string,
    buckets: item.buckets as StoredRecordTally['buckets'],
    newest: item.newest as StoredRecordTally['newest'],
    ...(item.identity ? { identity: item.identity as NonNullable<StoredRecordTally['identity']> } : {}),
    basedOn: typeof item.basedOn === 'string' ? item.basedOn : null,
  };
}

/**
 * The subjects' record tallies (RECORDS#TALLY) and the records-changed tokens they are checked
 * against. Apart from CreditStore so that only the function that saves a tally (api) bundles its
 * ConditionCheck and is granted dynamodb:ConditionCheckItem.
 */
export class RecordTallyStore implements RecordTallies {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /** The tally and the records-changed token: one strongly consistent query of the two items. */
  async recordTally(
    subjectKey: string,
  ): Promise<{ tally: StoredRecordTally | undefined; changed: string | null }> {
    const items = await queryAll(this.client, this.tableName, {
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :changed AND :tally',
      ExpressionAttributeValues: {
        ':pk': keys.subject(subjectKey),
        ':changed': keys.recordsChanged,
        ':tally': keys.recordTally,
      },
      ConsistentRead: true,
    });
    const changed = items.find((item) => item.sk === keys.recordsChanged);
    const tally = items.find((item) => item.sk === keys.recordTally);
    return {
      tally: tally ? storedTallyOf(tally) : undefined,
      changed: typeof changed?.token === 'string' ? changed.token : null,
    };
  }

  /** Puts the tally in one transaction with a check that the records-changed token is still `basedOn`. */
  async saveRecordTally(subjectKey: string, tally: RecordTally, basedOn: string | null): Promise<boolean> {
    const pk = keys.subject(subjectKey);
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: this.tableName,
                Key: { pk, sk: keys.recordsChanged },
                ...(basedOn === null
                  ? { ConditionExpression: 'attribute_not_exists(pk)' }
                  : {
                      ConditionExpression: '#token = :token',
                      ExpressionAttributeNames: { '#token': 'token' },
                      ExpressionAttributeValues: { ':token': basedOn },
                    }),
              },
            },
            { Put: { TableName: this.tableName, Item: recordTallyItem(subjectKey, tally, basedOn) } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }
}
