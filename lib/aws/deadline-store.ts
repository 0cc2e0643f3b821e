import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { StoredCalendarDay } from '../calendar/calendar';
import type { DeadlineStore as DeadlineStorePort } from '../deadlines/ports';
import type {
  CheckSummary,
  DailyStats,
  EndingItem,
  JobSummary,
  LateRecordLine,
  PendingRemoval,
  PendingTimelinessRecord,
  ReportSubmission,
  RuleOverrides,
  SettledRemoval,
  SettledTimeliness,
  StoredItemRef,
} from '../deadlines/types';
import { storedCalendarDays, storedRuleOverrides } from './due-date-source';
import { calendarDayItem, calendarYearPrefix } from './items/calendar-items';
import { keys } from './items/keys';
import { pendingRemovalOf, settleRemovalUpdate } from './items/pending-removal';
import { queryAll } from './query-all';
import { tokenItem } from './record-tally-items';

export type { DailyStats, ReportSubmission } from '../deadlines/types';

function pendingRecord(item: Record<string, unknown>): PendingTimelinessRecord {
  const record = item.record as { documentNumber: string; decisionDate: string };
  return {
    ref: { pk: item.pk as string, sk: item.sk as string },
    agencyCode: item.agencyCode as string,
    dataset: item.type as string,
    recordId: item.recordId as string,
    documentNumber: record.documentNumber,
    decisionDate: record.decisionDate,
    receivedAt: (item.firstReceivedAt ?? item.receivedAt) as string,
    receivedDate: item.firstReceivedDate as string,
    pendingCalendarYear: item.pendingCalendarYear as number,
  };
}

/** The update of a settled record: its timeliness, and which gsi2 partition (if any) it belongs to now. */
function settleUpdate(record: PendingTimelinessRecord, settled: SettledTimeliness) {
  const condition = { ':pending': 'pending-calendar', ':year': record.pendingCalendarYear };
  const sk = `${record.agencyCode}#${record.recordId}`;
  if (settled.timeliness === 'pending-calendar') {
    return {
      UpdateExpression: 'SET pendingCalendarYear = :next, gsi2pk = :gsi2pk, gsi2sk = :gsi2sk',
      ExpressionAttributeValues: {
        ...condition,
        ':next': settled.pendingCalendarYear,
        ':gsi2pk': keys.pendingCalendar(settled.pendingCalendarYear),
        ':gsi2sk': `${record.receivedDate}#${sk}`,
      },
    };
  }
  const values = { ...condition, ':t': settled.timeliness, ':due': settled.dueDate, ':late': settled.late };
  if (!settled.late) {
    return {
      UpdateExpression:
        'SET timeliness = :t, dueDate = :due, late = :late REMOVE pendingCalendarYear, gsi2pk, gsi2sk',
      ExpressionAttributeValues: values,
    };
  }
  return {
    UpdateExpression:
      'SET timeliness = :t, dueDate = :due, late = :late, gsi2pk = :gsi2pk, gsi2sk = :gsi2sk REMOVE pendingCalendarYear',
    ExpressionAttributeValues: { ...values, ':gsi2pk': keys.lateOn(record.receivedDate), ':gsi2sk': sk },
  };
}

/**
 * The deadlines area's table access: stored calendar days, rule overrides, report submissions,
 * daily statistics, and the status changes the scheduled run makes. Every write here is a plain
 * SET of values derived from the run date, so a second run for the same date changes nothing.
 */
export class DeadlineStore implements DeadlineStorePort {
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

  // Calendar ------------------------------------------------------------------------------------

  calendarDays(): Promise<StoredCalendarDay[]> {
    return storedCalendarDays(this.client, this.tableName);
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
    const keep = new Set(days.map((day) => calendarDayItem(day, provenance).sk));
    const { pk, skPrefix } = calendarYearPrefix(year);
    const stale = (
      await this.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :year)',
        ExpressionAttributeValues: { ':pk': pk, ':year': skPrefix },
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
        new PutCommand({ TableName: this.tableName, Item: calendarDayItem(day, provenance) }),
      );
    }
  }

  // Rules ----------------------------------------------------------------------------------------

  ruleOverrides(): Promise<RuleOverrides | undefined> {
    return storedRuleOverrides(this.client, this.tableName);
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
  private byDueDay(partition: string): Promise<Record<string, unknown>[]> {
    return this.queryAll({
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': partition },
    });
  }

  /** An agency's listing (jobs, checks) with gsi1sk in [from, to]: ISO timestamps. */
  private agencyListing(partition: string, from: string, to: string): Promise<Record<string, unknown>[]> {
    return this.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': partition, ':from': from, ':to': to },
    });
  }

  async lateRecordsReceivedOn(date: string): Promise<LateRecordLine[]> {
    return (await this.byDueDay(keys.lateOn(date))).map((item) => {
      const record = item.record as { documentNumber: string; decisionDate: string };
      return {
        agencyCode: item.agencyCode as string,
        dataset: item.type as string,
        recordId: item.recordId as string,
        documentNumber: record.documentNumber,
        decisionDate: record.decisionDate,
        dueDate: item.dueDate as string,
        receivedAt: item.receivedAt as string,
      };
    });
  }

  async listEntriesEndingOn(date: string): Promise<EndingItem[]> {
    return (await this.byDueDay(keys.expiresOn(date))).map(endingItem);
  }

  /** 双公示 records whose display period ended on `date` (gsi1 DISPLAY-ENDS#<date>). */
  async displayEndingOn(date: string): Promise<EndingItem[]> {
    const items = await this.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.displayEndsOn(date) },
    });
    return items.map(endingItem);
  }

  /** The newest job of the agency received up to `notAfter` (gsi1sk is `<receivedAt>#<jobId>`). */
  async latestJobReceivedAt(agencyCode: string, notAfter: string): Promise<string | undefined> {
    const jobs = await this.agencyListing(keys.agencyListing(agencyCode, 'JOB'), '0', notAfter);
    return jobs
      .map((job) => job.receivedAt as string)
      .sort()
      .at(-1);
  }

  async jobsReceived(agencyCode: string, from: string, to: string): Promise<JobSummary[]> {
    return (await this.agencyListing(keys.agencyListing(agencyCode, 'JOB'), from, to)).map((job) => {
      const counts = (job.counts ?? {}) as Record<string, number>;
      return {
        receivedAt: String(job.receivedAt ?? ''),
        dataset: String(job.dataset),
        status: String(job.status ?? ''),
        accepted: counts.accepted ?? 0,
        rejected: counts.rejected ?? 0,
        pendingCalendar: counts.pendingCalendar ?? 0,
        publication: {
          publishedOnTime: counts.publishedOnTime ?? 0,
          publishedLate: counts.publishedLate ?? 0,
          publishedPendingCalendar: counts.publishedPendingCalendar ?? 0,
          notPublishable: counts.notPublishable ?? 0,
        },
      };
    });
  }

  async checksMade(agencyCode: string, from: string, to: string): Promise<CheckSummary[]> {
    return (await this.agencyListing(keys.agencyListing(agencyCode, 'CHECK'), from, to)).map(checkSummary);
  }

  async latestFeedback(checkId: string): Promise<{ givenAt?: string } | undefined> {
    const feedback = await this.get(keys.check(checkId), 'FEEDBACK');
    if (!feedback) return undefined;
    const givenAt = feedback.givenAt ?? feedback.at ?? feedback.createdAt;
    return givenAt === undefined ? {} : { givenAt: String(givenAt) };
  }

  // Timeliness waiting for a calendar year ------------------------------------------------------

  async pendingTimeliness(year: number, limit: number): Promise<PendingTimelinessRecord[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.pendingCalendar(year) },
          Limit: limit - items.length,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey && items.length < limit);
    return items.map(pendingRecord);
  }

  /**
   * Settles a pending record once: the condition (still pending on the same year) makes a re-run a
   * no-op. A decided record leaves the pending index; a late one joins the late index of its arrival day.
   */
  async settleTimeliness(
    record: PendingTimelinessRecord,
    settled: SettledTimeliness,
    countedOn: string,
  ): Promise<boolean> {
    const decided = settled.timeliness !== 'pending-calendar';
    const settle = {
      TableName: this.tableName,
      Key: { pk: record.ref.pk, sk: record.ref.sk },
      ConditionExpression: 'timeliness = :pending AND pendingCalendarYear = :year',
      ...settleUpdate(record, settled),
    };
    try {
      if (!decided) {
        await this.client.send(new UpdateCommand(settle));
        return true;
      }
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: settle },
            { Update: this.decidedCount(record.agencyCode, countedOn, settled.late) },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      )
        return false;
      throw error;
    }
  }

  /** Adds one decided record (and one late) to the agency's statistics of the day. */
  private decidedCount(agencyCode: string, date: string, late: boolean) {
    return {
      TableName: this.tableName,
      Key: { pk: keys.statsMonth(date.slice(0, 7)), sk: keys.statsDay(date, agencyCode) },
      UpdateExpression:
        'SET #type = if_not_exists(#type, :type), #date = if_not_exists(#date, :date), agencyCode = if_not_exists(agencyCode, :agency) ADD pendingReevaluated :one, pendingReevaluatedLate :late',
      ExpressionAttributeNames: { '#type': 'type', '#date': 'date' },
      ExpressionAttributeValues: {
        ':type': 'daily-stats',
        ':date': date,
        ':agency': agencyCode,
        ':one': 1,
        ':late': late ? 1 : 0,
      },
    };
  }

  // Court removal deadlines waiting for a calendar year -----------------------------------------

  async pendingRemovals(limit: number): Promise<PendingRemoval[]> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.pendingRemoval },
        Limit: limit,
      }),
    );
    return (page.Items ?? []).map(pendingRemovalOf);
  }

  async settleRemoval(entry: PendingRemoval, settled: SettledRemoval): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({ TableName: this.tableName, ...settleRemovalUpdate(entry, settled) }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  // Status changes -------------------------------------------------------------------------------

  /**
   * Marks a list entry expired on the day after its period of effect ended. Returns false when it
   * already was (a second run), so the run can count changes without changing anything.
   */
  async markExpired({ pk, sk }: StoredItemRef, expiredOn: string): Promise<boolean> {
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

  /**
   * Takes a record out of public display the day after its 公示截止期, keeping it (and its
   * history) for audit. False when it already was.
   */
  async markHidden({ pk, sk }: StoredItemRef, hiddenOn: string): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: { pk, sk },
                UpdateExpression: 'SET displayStatus = :hidden, hiddenOn = :on',
                ConditionExpression:
                  'attribute_exists(pk) AND (attribute_not_exists(displayStatus) OR displayStatus <> :hidden)',
                ExpressionAttributeValues: { ':hidden': 'hidden', ':on': hiddenOn },
              },
            },
            // The subject's record tally is out of date (the check reads the digests again).
            { Put: { TableName: this.tableName, Item: tokenItem(pk) } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      )
        return false;
      throw error;
    }
  }

  // Statistics -----------------------------------------------------------------------------------

  /**
   * SETs every counter the run computes (a re-run writes the same values) and leaves alone the
   * ones settleTimeliness ADDs to the same item (pendingReevaluated, pendingReevaluatedLate).
   */
  async putDailyStats(stats: DailyStats, computedAt: string): Promise<void> {
    const { pendingReevaluated: _decided, pendingReevaluatedLate: _decidedLate, ...computed } = stats;
    const fields = Object.entries({ type: 'daily-stats', ...computed, computedAt });
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: keys.statsMonth(stats.date.slice(0, 7)), sk: keys.statsDay(stats.date, stats.agencyCode) },
        UpdateExpression: `SET ${fields.map((_, index) => `#f${index} = :v${index}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(fields.map(([name], index) => [`#f${index}`, name])),
        ExpressionAttributeValues: Object.fromEntries(
          fields.map(([, value], index) => [`:v${index}`, value]),
        ),
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

function endingItem(item: Record<string, unknown>): EndingItem {
  const record = (item.record ?? {}) as { documentNumber?: string; caseNumber?: string; basis?: string };
  const reference = record.documentNumber ?? record.caseNumber ?? record.basis;
  return {
    ref: { pk: item.pk as string, sk: item.sk as string },
    ...(item.subjectKey ? { subjectKey: item.subjectKey as string } : {}),
    ...(item.agencyCode ? { agencyCode: item.agencyCode as string } : {}),
    ...(item.dataset || item.type ? { dataset: (item.dataset ?? item.type) as string } : {}),
    ...(reference ? { reference } : {}),
  };
}

/** Reads a stored check item without depending on fields older items may not have. */
function checkSummary(item: Record<string, unknown>): CheckSummary {
  const result = (item.result ?? {}) as Record<string, unknown>;
  const request = (result.request ?? {}) as Record<string, unknown>;
  const measures = (result.measures ?? item.measures ?? []) as unknown[];
  const hits = (result.hits ?? []) as { listTypeCode?: string }[];
  return {
    checkId: (result.checkId ?? item.checkId ?? String(item.pk).replace(/^CHECK#/, '')) as string,
    checkedAt: (result.checkedAt ?? item.checkedAt ?? String(item.gsi1sk).split('#')[0]) as string,
    hitListTypes: hits.map((hit) => hit.listTypeCode),
    ...(request.matterCode ? { matterCode: request.matterCode as string } : {}),
    measureCount: Array.isArray(measures) ? measures.length : 0,
  };
}
