import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AdminLicenseRecord, AdminPenaltyRecord } from '../datasets';
import type {
  ListLikeRecord,
  PublicationState,
  PublicListType,
  PublicSubjectReader,
  StoredPublicRecord,
  SubjectRecords,
} from '../disclosure/ports';
import { keys } from './items/keys';
import { queryAll } from './query-all';

type Item = Record<string, unknown>;

/**
 * The public disclosure's reads of the credit table: the current record items of a subject partition
 * (RECORD#… and LIST#…, never the HISTORY# versions), the alias items that lead to a subject, and the
 * list-type reference partition. Read-only.
 */
export class DynamoPublicSubjectReader implements PublicSubjectReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  private query(pk: string, skPrefix?: string): Promise<Item[]> {
    return queryAll(this.client, this.tableName, {
      KeyConditionExpression: skPrefix ? 'pk = :pk AND begins_with(sk, :sk)' : 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk, ...(skPrefix ? { ':sk': skPrefix } : {}) },
    });
  }

  async subjectRecords(subjectKey: string): Promise<SubjectRecords> {
    const pk = keys.subject(subjectKey);
    // Two narrow queries instead of the whole partition: record versions accumulate with every update.
    const [records, entries] = await Promise.all([this.query(pk, 'RECORD#'), this.query(pk, 'LIST#')]);
    return {
      penalties: records
        .filter((item) => item.type === 'admin-penalty')
        .map((item) => stored<AdminPenaltyRecord>(item, item.recordId)),
      licences: records
        .filter((item) => item.type === 'admin-license')
        .map((item) => stored<AdminLicenseRecord>(item, item.recordId)),
      listEntries: entries
        .filter((item) => item.type === 'list-entry')
        .map((item) => stored<ListLikeRecord>(item, item.entryId)),
    };
  }

  async subjectKeysByName(normalisedName: string): Promise<readonly string[]> {
    return subjectKeysOf(await this.query(keys.alias('ORGNAME', normalisedName)));
  }

  async subjectKeysByRegistrationNumber(registrationNumber: string): Promise<readonly string[]> {
    return subjectKeysOf(await this.query(keys.alias('REG', registrationNumber)));
  }

  async listTypes(): Promise<ReadonlyMap<string, PublicListType>> {
    const items = await this.query(keys.reference('LIST_TYPE'));
    const listTypes = new Map<string, PublicListType>();
    for (const item of items) {
      const record = item.record as { code?: unknown; name?: unknown; nature?: unknown } | undefined;
      if (typeof record?.code !== 'string' || typeof record.name !== 'string') continue;
      if (record.nature !== '红名单' && record.nature !== '黑名单') continue;
      listTypes.set(record.code, { name: record.name, nature: record.nature });
    }
    return listTypes;
  }
}

function subjectKeysOf(items: readonly Item[]): string[] {
  return items.map((item) => item.subjectKey).filter((key): key is string => typeof key === 'string');
}

/**
 * The publication state other workflows leave on the record item: `status` (ingest: withdrawn),
 * `displayStatus` (deadlines run: hidden), `publishable` and `severity` (severity rules, on the item
 * or on the record), `publicationStatus` (credit repair: STOPPED), `objectionOpen` (objections).
 */
function stateOf(item: Item): PublicationState {
  const record = (item.record ?? {}) as Item;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const flag = (value: unknown) => (typeof value === 'boolean' ? value : undefined);
  const state: Record<string, string | boolean | undefined> = {
    status: text(item.status) ?? text(record.status),
    displayStatus: text(item.displayStatus),
    publishable: flag(item.publishable) ?? flag(record.publishable),
    severity: text(item.severity) ?? text(record.severity),
    publicationStatus: text(item.publicationStatus),
    objectionOpen: flag(item.objectionOpen),
  };
  return Object.fromEntries(Object.entries(state).filter(([, value]) => value !== undefined));
}

function stored<R>(item: Item, id: unknown): StoredPublicRecord<R> {
  return {
    id: String(id),
    agencyCode: String(item.agencyCode ?? ''),
    record: item.record as R,
    state: stateOf(item),
  };
}
