import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  CommandAlreadyStoredError,
  ConcurrentChangeError,
  type ObjectionChange,
  type ObjectionStore,
  type OpenObjectionReader,
  type RecordChange,
  type StoredCommand,
} from '../objections/ports';
import type { ObjectedRecord, Objection, ObjectionEvent, RecordRef } from '../objections/types';
import { keys } from './items/keys';
import { queryAll } from './query-all';
import { recordsChangedPut } from './record-tally-items';

type Item = Record<string, unknown>;
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const OPEN = new Set(['SUBMITTED', 'PLATFORM_CHECK', 'FORWARDED_TO_SOURCE']);

/** The day the objection's current step is due (the deadlines run's index), or none once closed. */
function dueOf(objection: Objection): string | undefined {
  if (!OPEN.has(objection.status)) return undefined;
  if (objection.status === 'SUBMITTED') return objection.acceptDueDate;
  if (objection.status === 'PLATFORM_CHECK') return objection.platformCheckDueDate;
  return objection.sourceReplyDueDate;
}

function objectionItem(objection: Objection): Item {
  const due = dueOf(objection);
  return {
    pk: keys.objection(objection.objectionId),
    sk: keys.objectionState,
    type: 'objection',
    ...objection,
    gsi1pk: keys.objectionListing,
    gsi1sk: `${objection.sourceAgency}#${objection.receivedAt}#${objection.objectionId}`,
    ...(due ? { gsi2pk: keys.openObjectionsDue, gsi2sk: `${due}#${objection.objectionId}` } : {}),
  };
}

/** The sort key of the objected record's current item: a 双公示 RECORD# or a list entry's LIST#. */
function recordSk(ref: RecordRef): string {
  return ref.dataset === 'list-entry'
    ? keys.listEntry(ref.listTypeCode ?? '', ref.recordId)
    : keys.record(ref.dataset, ref.recordId);
}

function objectionOf(item: Item): Objection {
  const { pk: _pk, sk: _sk, type: _type, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, ...rest } = item;
  return rest as unknown as Objection;
}

/**
 * The objection workflow's table access: the objection item and its write-once history in the
 * objection's partition, its command answers, and its effects on the record item of the subject
 * partition (the mark `objectionOpen` with the list of open objections; a correction as the new
 * current content plus a HISTORY# version). Every change is one transaction.
 */
export class DynamoObjectionStore implements ObjectionStore, OpenObjectionReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  private async get(pk: string, sk: string): Promise<Item | undefined> {
    return (await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk, sk } }))).Item;
  }

  async objectedRecord(subjectKey: string, ref: RecordRef): Promise<ObjectedRecord | undefined> {
    const item =
      ref.dataset === 'list-entry'
        ? await this.listEntryItem(subjectKey, ref.recordId)
        : await this.get(keys.subject(subjectKey), keys.record(ref.dataset, ref.recordId));
    if (!item || (ref.dataset !== 'list-entry' && item.type !== ref.dataset)) return undefined;
    const open = Array.isArray(item.openObjections) ? (item.openObjections as string[]) : [];
    const record = (item.record ?? {}) as Record<string, unknown>;
    return {
      subjectKey,
      ref: {
        dataset: ref.dataset,
        recordId: ref.recordId,
        ...(ref.dataset === 'list-entry' ? { listTypeCode: String(record.listTypeCode) } : {}),
      },
      agencyCode: String(item.agencyCode ?? ''),
      record,
      openObjections: open,
      ...(item.objectionCorrections
        ? { corrections: item.objectionCorrections as ObjectedRecord['corrections'] }
        : {}),
    };
  }

  /** A red / black list entry of the subject by its id (its key also names the list type). */
  private async listEntryItem(subjectKey: string, entryId: string): Promise<Item | undefined> {
    const items = await queryAll(this.client, this.tableName, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :list)',
      ExpressionAttributeValues: { ':pk': keys.subject(subjectKey), ':list': 'LIST#' },
    });
    return items.find(
      (item) => item.entryId === entryId && (item.record as Item | undefined)?.dataset === 'list-entry',
    );
  }

  async getObjection(objectionId: string): Promise<Objection | undefined> {
    const item = await this.get(keys.objection(objectionId), keys.objectionState);
    return item ? objectionOf(item) : undefined;
  }

  async history(objectionId: string): Promise<ObjectionEvent[]> {
    const items = await queryAll(this.client, this.tableName, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
      ExpressionAttributeValues: { ':pk': keys.objection(objectionId), ':event': 'EVENT#' },
    });
    return items.map((item) => item.event as ObjectionEvent);
  }

  async listObjections(filter: { readonly sourceAgency?: string }): Promise<Objection[]> {
    const items = await queryAll(this.client, this.tableName, {
      IndexName: 'gsi1',
      KeyConditionExpression: filter.sourceAgency
        ? 'gsi1pk = :pk AND begins_with(gsi1sk, :agency)'
        : 'gsi1pk = :pk',
      ExpressionAttributeValues: {
        ':pk': keys.objectionListing,
        ...(filter.sourceAgency ? { ':agency': `${filter.sourceAgency}#` } : {}),
      },
    });
    return items.map(objectionOf).sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  }

  async openObjectionsDueBy(date: string): Promise<Objection[]> {
    const items = await queryAll(this.client, this.tableName, {
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :until',
      ExpressionAttributeValues: { ':pk': keys.openObjectionsDue, ':until': `${date}#~` },
    });
    return items.map(objectionOf);
  }

  async getCommand(scope: string, keyHash: string): Promise<StoredCommand | undefined> {
    const item = await this.get(keys.objectionCommand(scope, keyHash), 'COMMAND');
    return item ? (item.command as StoredCommand) : undefined;
  }

  async commit(change: ObjectionChange): Promise<void> {
    const items = this.transactItems(change);
    const commandIndex = change.command ? items.length - 1 : -1;
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (commandIndex >= 0 && reasons[commandIndex]?.Code === 'ConditionalCheckFailed') {
        throw new CommandAlreadyStoredError('the command was stored by a concurrent request');
      }
      if (reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) {
        throw new ConcurrentChangeError('the objection or its record changed meanwhile');
      }
      throw error;
    }
  }

  /** The objection, its history entry, the record's side, and the command last (its index tells a replay). */
  private transactItems(change: ObjectionChange): TransactItem[] {
    const { objection, event } = change;
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: objectionItem(objection),
          ...(change.expectedVersion === null
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': change.expectedVersion },
              }),
        },
      },
      this.putOnce({
        pk: keys.objection(objection.objectionId),
        sk: keys.objectionEvent(objection.version),
        type: 'objection-event',
        event,
      }),
    ];
    if (change.record) items.push(...this.recordItems(change.record, objection));
    if (change.command) {
      items.push(
        this.putOnce({
          pk: keys.objectionCommand(change.command.scope, change.command.keyHash),
          sk: 'COMMAND',
          type: 'objection-command',
          command: change.command,
        }),
      );
    }
    return items;
  }

  private putOnce(item: Item): TransactItem {
    return {
      Put: { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
    };
  }

  /**
   * The record's mark (and correction), conditional on the open objections read before; a
   * correction also on the record and its corrections being those it was computed from, so that it
   * never overwrites a re-submission stored meanwhile.
   */
  private recordItems(change: RecordChange, objection: Objection): TransactItem[] {
    const pk = keys.subject(change.subjectKey);
    const corrected = change.corrected;
    const update: TransactItem = {
      Update: {
        TableName: this.tableName,
        Key: { pk, sk: recordSk(change.ref) },
        ...markUpdate(change, corrected ? correctionUpdate(corrected, objection.objectionId) : undefined),
      },
    };
    if (!corrected) return [update];
    const at = objection.correction?.correctedAt ?? objection.receivedAt;
    const version = this.putOnce({
      pk,
      sk: keys.recordVersion(change.ref.dataset, change.ref.recordId, at, corrected.versionTag, 0),
      type: 'record-version',
      dataset: change.ref.dataset,
      recordId: change.ref.recordId,
      subjectKey: change.subjectKey,
      agencyCode: objection.sourceAgency,
      record: corrected.record,
      receivedAt: at,
      correctedByObjection: objection.objectionId,
      correction: objection.correction,
    });
    // A correction may change what the check counts (dates, severity): the tally is out of date.
    return [update, version, recordsChangedPut(this.tableName, change.subjectKey)];
  }
}

interface UpdateParts {
  readonly set: readonly string[];
  readonly conditions: readonly string[];
  readonly names: Record<string, string>;
  readonly values: Record<string, unknown>;
}

/** The mark's part of the record update, joined with the correction's when there is one. */
function markUpdate(change: RecordChange, extra: UpdateParts | undefined) {
  const before =
    change.openBefore.length === 0
      ? '(attribute_not_exists(#open) OR size(#open) = :zero)'
      : '#open = :before';
  return {
    UpdateExpression: `SET ${['#open = :after', '#mark = :marked', ...(extra?.set ?? [])].join(', ')}`,
    ConditionExpression: ['attribute_exists(pk)', before, ...(extra?.conditions ?? [])].join(' AND '),
    ExpressionAttributeNames: { '#open': 'openObjections', '#mark': 'objectionOpen', ...extra?.names },
    ExpressionAttributeValues: {
      ':after': [...change.openAfter],
      ':marked': change.openAfter.length > 0,
      ...(change.openBefore.length === 0 ? { ':zero': 0 } : { ':before': [...change.openBefore] }),
      ...extra?.values,
    },
  };
}

/** The correction's part: the new record and the corrections in force, if both are as read. */
function correctionUpdate(
  corrected: NonNullable<RecordChange['corrected']>,
  objectionId: string,
): UpdateParts {
  return {
    set: ['#record = :record', '#correctedBy = :by', '#corrections = :corrections'],
    conditions: [
      '#record = :recordBefore',
      corrected.correctionsBefore
        ? '#corrections = :correctionsBefore'
        : 'attribute_not_exists(#corrections)',
    ],
    names: {
      '#record': 'record',
      '#correctedBy': 'correctedByObjection',
      '#corrections': 'objectionCorrections',
    },
    values: {
      ':record': corrected.record,
      ':by': objectionId,
      ':corrections': corrected.corrections,
      ':recordBefore': corrected.recordBefore,
      ...(corrected.correctionsBefore ? { ':correctionsBefore': corrected.correctionsBefore } : {}),
    },
  };
}
