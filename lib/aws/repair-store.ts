import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { AdminPenaltyRecord, ListEntryRecord } from '../datasets';
import type {
  CommandClaim,
  CommitOutcome,
  CreateOutcome,
  PublicationStop,
  RepairableRecord,
  RepairChange,
  RepairRecordReader,
  RepairStore,
  RepairWatch,
  RepairWatchReader,
} from '../repair/ports';
import type { RecordRef, RepairCase, RepairHistoryEntry, RepairStatus } from '../repair/types';
import { keys } from './items/keys';
import { queryAll } from './query-all';
import { recordsChangedPut } from './record-tally-items';
import { caseFromItem, DynamoRepairCases } from './repair-cases';

type Item = Record<string, unknown>;
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Claims keep the first answer (the new application's secret included) for a day. */
const CLAIM_TTL_SECONDS = 24 * 3600;

/** States after which the record may have a new application. */
const CLOSED: ReadonlySet<RepairStatus> = new Set(['DENIED', 'PUBLICATION_STOPPED', 'WITHDRAWN']);

function caseItem(repair: RepairCase): Item {
  return {
    pk: keys.repairCase(repair.applicationNo),
    sk: 'CASE',
    type: 'repair-case',
    ...repair,
    gsi1pk: keys.repairsDecidedBy(repair.decidingAgency),
    gsi1sk: `${repair.createdAt}#${repair.applicationNo}`,
    gsi2pk: keys.repairs,
    gsi2sk: `${repair.createdAt}#${repair.applicationNo}`,
  };
}

function historyItem(applicationNo: string, entry: RepairHistoryEntry): Item {
  return {
    pk: keys.repairCase(applicationNo),
    sk: keys.repairHistory(entry.seq),
    type: 'repair-history',
    ...entry,
  };
}

function claimItem(claim: CommandClaim): Item {
  const expiresAt = Math.floor(Date.parse(claim.at) / 1000) + CLAIM_TTL_SECONDS;
  return {
    pk: keys.repairClaim(claim.scope, claim.key),
    sk: 'CLAIM',
    type: 'repair-claim',
    ...claim,
    expiresAt,
  };
}

function markerKey(repair: RepairCase) {
  return {
    pk: keys.repairOpenRecord(repair.subjectKey, repair.recordRef.dataset, repair.recordRef.recordId),
    sk: 'OPEN',
  };
}

/** The stored key of the record a case is about: a 双公示 record or a list entry. */
function recordKey(subjectKey: string, ref: RecordRef) {
  const sk =
    ref.dataset === 'list-entry'
      ? keys.listEntry(ref.listTypeCode ?? '', ref.recordId)
      : keys.record(ref.dataset, ref.recordId);
  return { pk: keys.subject(subjectKey), sk };
}

/**
 * Credit repair in the credit table: one partition per application (the case and its history),
 * a marker per record with an open application, the Idempotency-Key claims, and the stop written on
 * the record item itself (publicationStatus / sharingStatus STOPPED, with the application and who
 * decided) — every change one transaction. Key shapes only through lib/aws/items/keys.ts.
 */
export class DynamoRepairStore implements RepairStore, RepairRecordReader, RepairWatchReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  private put(item: Item, condition?: string, values?: Item): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: item,
        ...(condition ? { ConditionExpression: condition } : {}),
        ...(values ? { ExpressionAttributeValues: values } : {}),
      },
    };
  }

  private stopRecord(stop: PublicationStop): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: recordKey(stop.subjectKey, stop.ref),
        UpdateExpression: 'SET publicationStatus = :stopped, sharingStatus = :stopped, repair = :repair',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: {
          ':stopped': 'STOPPED',
          ':repair': {
            applicationNo: stop.applicationNo,
            stoppedAt: stop.stoppedAt,
            decidedBy: stop.decidedBy,
          },
        },
      },
    };
  }

  /** Runs a transaction; the name of the first item whose condition failed, or undefined. */
  private async transact(
    items: readonly { name: string; item: TransactItem }[],
  ): Promise<string | undefined> {
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items.map(({ item }) => item) }));
      return undefined;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const failed = (error.CancellationReasons ?? []).findIndex(
        (reason) => reason.Code === 'ConditionalCheckFailed',
      );
      if (failed < 0) throw error;
      return items[failed]?.name ?? 'unknown';
    }
  }

  async createCase(
    created: RepairCase,
    history: RepairHistoryEntry,
    claim?: CommandClaim,
  ): Promise<CreateOutcome> {
    const failed = await this.transact([
      ...(claim ? [{ name: 'claim', item: this.put(claimItem(claim), 'attribute_not_exists(pk)') }] : []),
      {
        name: 'marker',
        item: this.put(
          { ...markerKey(created), type: 'repair-open-record', applicationNo: created.applicationNo },
          'attribute_not_exists(pk)',
        ),
      },
      { name: 'case', item: this.put(caseItem(created), 'attribute_not_exists(pk)') },
      { name: 'history', item: this.put(historyItem(created.applicationNo, history)) },
    ]);
    if (failed === 'claim') return 'claimed';
    if (failed === 'marker') return 'already-open';
    if (failed) throw new Error(`application number ${created.applicationNo} exists already`);
    return 'created';
  }

  async commit(change: RepairChange): Promise<CommitOutcome> {
    const { after } = change;
    const failed = await this.transact([
      ...(change.claim
        ? [{ name: 'claim', item: this.put(claimItem(change.claim), 'attribute_not_exists(pk)') }]
        : []),
      {
        name: 'case',
        item: this.put(caseItem(after), 'version = :expected', { ':expected': change.expectedVersion }),
      },
      ...change.history.map((entry) => ({
        name: 'history',
        item: this.put(historyItem(after.applicationNo, entry), 'attribute_not_exists(pk)'),
      })),
      ...(change.stop
        ? [
            { name: 'record', item: this.stopRecord(change.stop) },
            { name: 'records-changed', item: recordsChangedPut(this.tableName, change.stop.subjectKey) },
          ]
        : []),
      ...(CLOSED.has(after.status)
        ? [{ name: 'marker', item: { Delete: { TableName: this.tableName, Key: markerKey(after) } } }]
        : []),
    ]);
    if (failed === 'claim') return 'claimed';
    if (failed === 'case' || failed === 'history') return 'conflict';
    if (failed === 'record') return 'record-missing';
    return 'committed';
  }

  async getCase(applicationNo: string): Promise<RepairCase | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: keys.repairCase(applicationNo), sk: 'CASE' } }),
    );
    return result.Item ? caseFromItem(result.Item) : undefined;
  }

  async history(applicationNo: string): Promise<RepairHistoryEntry[]> {
    const items = await queryAll(this.client, this.tableName, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :history)',
      ExpressionAttributeValues: { ':pk': keys.repairCase(applicationNo), ':history': 'HISTORY#' },
    });
    return items.map(({ pk: _pk, sk: _sk, type: _type, ...entry }) => entry as unknown as RepairHistoryEntry);
  }

  async findClaim(scope: string, key: string): Promise<CommandClaim | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: keys.repairClaim(scope, key), sk: 'CLAIM' } }),
    );
    if (!result.Item) return undefined;
    const { pk: _pk, sk: _sk, type: _type, expiresAt: _ttl, ...claim } = result.Item;
    return claim as unknown as CommandClaim;
  }

  openCases(): Promise<RepairCase[]> {
    return new DynamoRepairCases(this.client, this.tableName).openCases();
  }

  async listCases(filter: { decidingAgency?: string; limit: number }): Promise<RepairCase[]> {
    const byAgency = filter.decidingAgency !== undefined;
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: byAgency ? 'gsi1' : 'gsi2',
        KeyConditionExpression: byAgency ? 'gsi1pk = :pk' : 'gsi2pk = :pk',
        ExpressionAttributeValues: {
          ':pk': byAgency ? keys.repairsDecidedBy(filter.decidingAgency ?? '') : keys.repairs,
        },
        ScanIndexForward: false,
        Limit: filter.limit,
      }),
    );
    return (page.Items ?? []).map(caseFromItem);
  }

  async findRecord(
    subjectKey: string,
    ref: Pick<RecordRef, 'dataset' | 'recordId'>,
  ): Promise<RepairableRecord | undefined> {
    const pk = keys.subject(subjectKey);
    const item =
      ref.dataset === 'admin-penalty'
        ? (
            await this.client.send(
              new GetCommand({
                TableName: this.tableName,
                Key: { pk, sk: keys.record(ref.dataset, ref.recordId) },
              }),
            )
          ).Item
        : (
            await queryAll(this.client, this.tableName, {
              KeyConditionExpression: 'pk = :pk AND begins_with(sk, :list)',
              ExpressionAttributeValues: { ':pk': pk, ':list': 'LIST#' },
            })
          ).find(
            (candidate) =>
              candidate.entryId === ref.recordId && (candidate.record as Item)?.dataset === 'list-entry',
          );
    if (!item || item.type === 'record-version') return undefined;
    const record = item.record as AdminPenaltyRecord | ListEntryRecord;
    return {
      ref: {
        dataset: ref.dataset,
        recordId: ref.recordId,
        ...(record.dataset === 'list-entry' ? { listTypeCode: record.listTypeCode } : {}),
      },
      agencyCode: String(item.agencyCode ?? ''),
      record,
      ...(typeof item.publicationStatus === 'string' ? { publicationStatus: item.publicationStatus } : {}),
      ...(typeof item.status === 'string' ? { status: item.status } : {}),
    };
  }

  async openWatches(subjectKey: string): Promise<RepairWatch[]> {
    const items = await queryAll(this.client, this.tableName, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :watch)',
      ExpressionAttributeValues: { ':pk': keys.subject(subjectKey), ':watch': 'WATCH#' },
    });
    return items
      .filter((item) => item.type === 'watch' && item.status === 'open')
      .map((item) => ({
        watchId: String(item.watchId),
        agencyCode: String(item.agencyCode),
        ...(item.caseRef ? { caseRef: String(item.caseRef) } : {}),
        ...(item.until ? { until: String(item.until) } : {}),
      }));
  }
}
