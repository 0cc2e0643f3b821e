import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredCalendarDay } from '../calendar/calendar';
import type { DueDateSource } from '../deadlines/ports';
import type { RuleOverrides } from '../deadlines/types';
import { keys } from './items/keys';
import { queryAll } from './query-all';

/** The stored official calendar days (the credit office's whole years). */
export async function storedCalendarDays(
  client: DynamoDBDocumentClient,
  tableName: string,
): Promise<StoredCalendarDay[]> {
  const items = await queryAll(client, tableName, {
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.calendar },
  });
  return items.map((item) => ({
    date: item.date as string,
    kind: item.kind as StoredCalendarDay['kind'],
    ...(item.name ? { name: item.name as string } : {}),
  }));
}

/** The stored per-dataset, per-region and per-agency deadline rule overrides, if any. */
export async function storedRuleOverrides(
  client: DynamoDBDocumentClient,
  tableName: string,
): Promise<RuleOverrides | undefined> {
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: { pk: keys.config, sk: keys.deadlineRules } }),
  );
  return Item?.rules as RuleOverrides | undefined;
}

/**
 * The due-date resolver's read-only view of the calendar and the rules. A function that only counts
 * due dates (ingest's late flag) takes this rather than the whole deadline store, so its bundle — and
 * so its IAM grant — carries no write or delete of the calendar.
 */
export class StoredDueDateSource implements DueDateSource {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  calendarDays(): Promise<StoredCalendarDay[]> {
    return storedCalendarDays(this.client, this.tableName);
  }

  ruleOverrides(): Promise<RuleOverrides | undefined> {
    return storedRuleOverrides(this.client, this.tableName);
  }
}
