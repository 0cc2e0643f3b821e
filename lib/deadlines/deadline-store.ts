import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { listingPage, queryAll } from '../aws/query-all';
import type { StoredCalendarDay } from '../calendar/calendar';
import { keys } from '../store/keys';
import type { RuleOverrides } from './rules';

/**
 * The deadlines area's table access: stored calendar days, rule overrides, report submissions,
 * daily statistics, and the status changes the scheduled run makes. Every write here is a plain
 * SET of values derived from the run date, so a second run for the same date changes nothing.
 * (Kept next to its only users rather than in lib/aws: it is the same kind of adapter as CreditStore.)
 */

export interface ReportSubmission {
  readonly agencyCode: string;
  readonly kind: 'quarterly-report' | 'monthly-cases';
  /** 2026-Q4 (quarterly) or 2026-11 (monthly). */
  readonly period: string;
  readonly caseCount?: number;
  readonly submittedAt: string;
  readonly submittedBy: string;
}

export interface DailyStats {
  readonly date: string;
  readonly agencyCode: string;
  /** 双公示 records received that day, and how many after their due date. */
  readonly records: number;
  readonly late: number;
  readonly rowsAccepted: number;
  readonly rowsRejected: number;
  readonly jobs: number;
  readonly jobsFailed: number;
  readonly checks: number;
  readonly checksWithHits: number;
  /** Checks with a hit, by list type code and by matter code. */
  readonly hitsByListType: Readonly<Record<string, number>>;
  readonly checksByMatter: Readonly<Record<string, { checks: number; withHits: number }>>;
  readonly checksWithMeasures: number;
  readonly feedbackGiven: number;
  readonly feedbackOverdue: number;
}

export class DeadlineStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  private queryAll(
    input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
  ): Promise<Record<string, unknown>[]> {
    return queryAll(this.client, this.tableName, input);
  }

  async get(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
    return (await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk, sk } }))).Item;
  }

  // Calendar ------------------------------------------------------------------------------------

  async calendarDays(): Promise<StoredCalendarDay[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.calendar },
    });
    return items.map((item) => ({
      date: item.date as string,
      kind: item.kind as StoredCalendarDay['kind'],
      ...(item.name ? { name: item.name as string } : {}),
    }));
  }

  /**
   * Stores one year's notice, replacing what was stored for that year: days listed before but not
   * now are deleted (a corrected notice), so the stored year is exactly the notice.
   */
  async replaceCalendarYear(
    year: number,
    days: readonly StoredCalendarDay[],
    provenance: { agencyCode: string; jobId?: string; sourceKey?: string; storedAt: string },
  ): Promise<void> {
    const keep = new Set(days.map((day) => keys.calendarDay(day.date)));
    const stale = (
      await this.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :year)',
        ExpressionAttributeValues: { ':pk': keys.calendar, ':year': keys.calendarDay(`${year}-`) },
      })
    ).filter((item) => !keep.has(item.sk as string));
    for (const item of stale) {
      await this.client.send(
        new DeleteCommand({ TableName: this.tableName, Key: { pk: item.pk, sk: item.sk } }),
      );
    }
    await this.putCalendarDays(days, provenance);
  }

  async putCalendarDays(
    days: readonly StoredCalendarDay[],
    provenance: { agencyCode: string; jobId?: string; sourceKey?: string; storedAt: string },
  ): Promise<void> {
    for (const day of days) {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: keys.calendar,
            sk: keys.calendarDay(day.date),
            type: 'calendar-day',
            ...day,
            ...provenance,
          },
        }),
      );
    }
  }

  // Rules ----------------------------------------------------------------------------------------

  async ruleOverrides(): Promise<RuleOverrides | undefined> {
    const item = await this.get(keys.config, keys.deadlineRules);
    return item?.rules as RuleOverrides | undefined;
  }

  async putRuleOverrides(rules: RuleOverrides, updatedBy: string, updatedAt: string): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: keys.config,
          sk: keys.deadlineRules,
          type: 'deadline-rules',
          rules,
          updatedBy,
          updatedAt,
        },
      }),
    );
  }

  // Report submissions ---------------------------------------------------------------------------

  async putReportSubmission(submission: ReportSubmission): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: keys.reportSubmissions(submission.agencyCode),
          sk: keys.reportSubmission(submission.kind, submission.period),
          type: 'report-submission',
          ...submission,
        },
      }),
    );
  }

  async reportSubmission(
    agencyCode: string,
    kind: ReportSubmission['kind'],
    period: string,
  ): Promise<ReportSubmission | undefined> {
    return (await this.get(keys.reportSubmissions(agencyCode), keys.reportSubmission(kind, period))) as
      | ReportSubmission
      | undefined;
  }

  // Listings -------------------------------------------------------------------------------------

  /** gsi2 partition (LATE#<date>, EXPIRES#<date>). */
  byDueDay(partition: string): Promise<Record<string, unknown>[]> {
    return this.queryAll({
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': partition },
    });
  }

  /** An agency's listing (jobs, checks) with gsi1sk in [from, to): ISO timestamps. */
  agencyListing(partition: string, from: string, to: string): Promise<Record<string, unknown>[]> {
    return this.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': partition, ':from': from, ':to': to },
    });
  }

  /** The newest item of an agency listing. */
  async latestInListing(partition: string): Promise<Record<string, unknown> | undefined> {
    const page = await listingPage(this.client, this.tableName, partition, { limit: 1, newestFirst: true });
    return page.items[0];
  }

  // Status changes -------------------------------------------------------------------------------

  /**
   * Marks a list entry expired on the day after its period of effect ended. Returns false when it
   * already was (a second run), so the run can count changes without changing anything.
   */
  async markExpired(pk: string, sk: string, expiredOn: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk, sk },
          UpdateExpression: 'SET #status = :expired, expiredOn = :on',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(#status) OR #status <> :expired)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':expired': 'expired', ':on': expiredOn },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** 双公示 records whose display period ended on `date` (gsi1 DISPLAY-ENDS#<date>). */
  displayEndingOn(date: string): Promise<Record<string, unknown>[]> {
    return this.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.displayEndsOn(date) },
    });
  }

  /**
   * Takes a record out of public display the day after its 公示截止期, keeping it (and its
   * history) for audit. False when it already was.
   */
  async markHidden(pk: string, sk: string, hiddenOn: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk, sk },
          UpdateExpression: 'SET displayStatus = :hidden, hiddenOn = :on',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(displayStatus) OR displayStatus <> :hidden)',
          ExpressionAttributeValues: { ':hidden': 'hidden', ':on': hiddenOn },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  // Statistics -----------------------------------------------------------------------------------

  async putDailyStats(stats: DailyStats, computedAt: string): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: keys.statsMonth(stats.date.slice(0, 7)),
          sk: keys.statsDay(stats.date, stats.agencyCode),
          type: 'daily-stats',
          ...stats,
          computedAt,
        },
      }),
    );
  }

  /** Daily statistics for every agency, days from..to inclusive: one query per month. */
  async dailyStats(from: string, to: string): Promise<DailyStats[]> {
    const months: string[] = [];
    for (let month = from.slice(0, 7); month <= to.slice(0, 7); ) {
      months.push(month);
      const [y, m] = month.split('-').map(Number) as [number, number];
      month = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
    }
    const pages = await Promise.all(
      months.map((month) =>
        this.queryAll({
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': keys.statsMonth(month), ':from': `${from}#`, ':to': `${to}#~` },
        }),
      ),
    );
    return pages.flat() as unknown as DailyStats[];
  }
}
