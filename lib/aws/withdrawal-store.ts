import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { WithdrawalStore } from '../withdrawals/ports';
import type { DecisionRef, PublishedDecision, Withdrawal, WithdrawalLine } from '../withdrawals/types';
import { keys } from './items/keys';
import { queryAll } from './query-all';
import { recordsChangedPut } from './record-tally-items';

/**
 * Withdrawals through the API: the record item gets `status: withdrawn` (what the public view and
 * the check already skip) and its `withdrawal`, and a line under WITHDRAWALS#<day> for the
 * deadlines run — one transaction, conditional on the record not being withdrawn yet.
 */
export class DynamoWithdrawalStore implements WithdrawalStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async decision(subjectKey: string, ref: DecisionRef): Promise<PublishedDecision | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: keys.subject(subjectKey), sk: keys.record(ref.dataset, ref.recordId) },
      }),
    );
    if (!item || item.type !== ref.dataset) return undefined;
    const record = (item.record ?? {}) as { documentNumber?: string };
    return {
      subjectKey,
      ref,
      agencyCode: String(item.agencyCode ?? ''),
      ...(typeof item.status === 'string' ? { status: item.status } : {}),
      ...(record.documentNumber ? { documentNumber: record.documentNumber } : {}),
      ...(item.withdrawal ? { withdrawal: item.withdrawal as Withdrawal } : {}),
    };
  }

  async withdraw(decision: PublishedDecision, withdrawal: Withdrawal): Promise<boolean> {
    const line: WithdrawalLine = {
      agencyCode: decision.agencyCode,
      ref: decision.ref,
      ...(decision.documentNumber ? { documentNumber: decision.documentNumber } : {}),
      withdrawal,
    };
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: {
                  pk: keys.subject(decision.subjectKey),
                  sk: keys.record(decision.ref.dataset, decision.ref.recordId),
                },
                UpdateExpression: 'SET #status = :withdrawn, #withdrawal = :withdrawal',
                ConditionExpression:
                  'attribute_exists(pk) AND (attribute_not_exists(#status) OR #status <> :withdrawn)',
                ExpressionAttributeNames: { '#status': 'status', '#withdrawal': 'withdrawal' },
                ExpressionAttributeValues: { ':withdrawn': 'withdrawn', ':withdrawal': withdrawal },
              },
            },
            recordsChangedPut(this.tableName, decision.subjectKey),
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  pk: keys.withdrawalsOn(withdrawal.withdrawnOn),
                  sk: `${decision.agencyCode}#${decision.ref.dataset}#${decision.ref.recordId}`,
                  type: 'withdrawal',
                  line,
                },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  async withdrawnOn(date: string): Promise<WithdrawalLine[]> {
    const items = await queryAll(this.client, this.tableName, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.withdrawalsOn(date) },
    });
    return items.map((item) => item.line as WithdrawalLine);
  }
}
