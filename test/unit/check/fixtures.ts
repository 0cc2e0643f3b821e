import { hmacSubjectReferencer } from '#lib/audit/subject-reference';
import type { PersonalDataAccess } from '#lib/audit/types';
import type {
  AuditLog,
  CheckWriter,
  RecordPages,
  RecordRef,
  RecordTallies,
  SubjectAlias,
  SubjectAliasKind,
  SubjectReader,
  WatchWriter,
} from '#lib/check/ports';
import type { RecordTally, StoredRecordTally } from '#lib/check/record-tally';
import type { StoredCheck } from '#lib/check/types';
import type { ListEntryRecord, SubjectIdentity } from '#lib/datasets/index';
import type { ReferenceRecord } from '#lib/datasets/reference/index';
import { InvalidCursorError, type Page } from '#lib/paging/cursor';
import type { WatchRecord } from '#lib/push/types';
import { buildCatalogue, type Catalogue } from '#lib/reference/catalogue';
import { codes } from '#test/support/csv-fixtures';

export const company: SubjectIdentity = {
  key: `USCC#${codes.companyUscc}`,
  kind: 'organisation',
  name: '江门市鸿运建材有限公司',
  uscc: codes.companyUscc,
  organisationCode: 'MA4W12346',
  flags: [],
};

export const person: SubjectIdentity = {
  key: `ID#${codes.personId}`,
  kind: 'person',
  name: '王小明',
  idNumber: codes.personId,
  flags: [],
};

export function entry(overrides: Partial<ListEntryRecord> = {}): ListEntryRecord {
  return {
    dataset: 'list-entry',
    subject: company,
    listTypeCode: 'HMD-SW-ZDSSWF',
    basis: '《重大税收违法失信主体信息公布管理办法》第六条',
    decidingDepartment: '国家税务总局江门市税务局',
    listedOn: '2026-03-18',
    validUntil: '2029-03-17',
    reason: '虚开增值税专用发票',
    agencyCode: 'SWJ',
    ...overrides,
  };
}

const isRecordItem = (item: Record<string, unknown>) =>
  item.type === 'admin-penalty' || item.type === 'admin-license';
/** The order of the table's record keys: RECORD#admin-license#… before RECORD#admin-penalty#…. */
const recordKey = (item: Record<string, unknown>) => `${item.type as string}#${item.recordId as string}`;

/** The check's ports in memory: subjects and aliases to read, and what the check stored. */
/** The real HMAC referencer with a fixed test key. */
export const referencer = hmacSubjectReferencer({ read: async () => 'unit-test-reference-key' });

export class MemoryStore
  implements SubjectReader, RecordTallies, RecordPages, CheckWriter, WatchWriter, AuditLog
{
  readonly partitions = new Map<string, Record<string, unknown>[]>();
  readonly aliases = new Map<string, SubjectAlias[]>();
  readonly checks: StoredCheck[] = [];
  readonly watches: WatchRecord[] = [];
  readonly accesses: PersonalDataAccess[] = [];
  /** Records-changed tokens and stored tallies, as the table keeps them per subject partition. */
  readonly changed = new Map<string, string>();
  readonly tallies = new Map<string, StoredRecordTally>();
  /** Subject keys whose digests were read, in order. */
  readonly digestReads: string[] = [];
  private tokens = 0;

  /** What every writer of a record does after writing it: a new records-changed token. */
  recordsChanged(subjectKey: string): this {
    this.tokens += 1;
    this.changed.set(subjectKey, `token-${this.tokens}`);
    return this;
  }

  addEntry(id: string, record: ListEntryRecord): this {
    const items = this.partitions.get(record.subject.key) ?? [];
    items.push({ type: 'list-entry', entryId: id, agencyCode: record.agencyCode, record });
    this.partitions.set(record.subject.key, items);
    return this;
  }

  addItem(subjectKey: string, item: Record<string, unknown>): this {
    this.partitions.set(subjectKey, [...(this.partitions.get(subjectKey) ?? []), item]);
    if (isRecordItem(item)) this.recordsChanged(subjectKey);
    return this;
  }

  alias(kind: SubjectAliasKind, value: string, subjectKey: string, relation?: string): this {
    const key = `${kind}#${value}`;
    this.aliases.set(key, [
      ...(this.aliases.get(key) ?? []),
      { subjectKey, ...(relation ? { relation } : {}) },
    ]);
    return this;
  }

  async subjectKeysForAlias(kind: SubjectAliasKind, value: string, limit?: number) {
    // In key order, as the table returns them.
    const all = [...(this.aliases.get(`${kind}#${value}`) ?? [])].sort((a, b) =>
      a.subjectKey.localeCompare(b.subjectKey),
    );
    return limit === undefined ? all : all.slice(0, limit);
  }

  async listEntryItems(subjectKey: string) {
    return (this.partitions.get(subjectKey) ?? []).filter((item) => !isRecordItem(item));
  }

  async recordTally(subjectKey: string) {
    return { tally: this.tallies.get(subjectKey), changed: this.changed.get(subjectKey) ?? null };
  }

  async saveRecordTally(subjectKey: string, tally: RecordTally, basedOn: string | null) {
    if ((this.changed.get(subjectKey) ?? null) !== basedOn) return false;
    this.tallies.set(subjectKey, { ...tally, basedOn });
    return true;
  }

  /** Digests as the table projects them: no record text. */
  async recordDigests(subjectKey: string) {
    this.digestReads.push(subjectKey);
    return (this.partitions.get(subjectKey) ?? []).filter(isRecordItem).map((item) => {
      const record = item.record as Record<string, unknown>;
      const { decisionDate, severity, displayUntil, validUntil, status } = record;
      return {
        type: item.type,
        recordId: item.recordId,
        ...(item.status !== undefined ? { status: item.status } : {}),
        ...(item.displayStatus !== undefined ? { displayStatus: item.displayStatus } : {}),
        record: Object.fromEntries(
          Object.entries({ decisionDate, severity, displayUntil, validUntil, status }).filter(
            ([, value]) => value !== undefined,
          ),
        ),
      };
    });
  }

  readonly recordReads: RecordRef[][] = [];

  async recordItems(refs: readonly RecordRef[]) {
    this.recordReads.push([...refs]);
    return refs.flatMap((ref) =>
      (this.partitions.get(ref.subjectKey) ?? []).filter(
        (item) => item.type === ref.dataset && item.recordId === ref.recordId,
      ),
    );
  }

  /** Pages in the table's order; the cursor names the subject and the last record key. */
  async recordItemsPage(
    subjectKeys: readonly string[],
    options: { limit: number; cursor?: string },
  ): Promise<Page<Record<string, unknown>>> {
    const all = subjectKeys.flatMap((subjectKey) =>
      (this.partitions.get(subjectKey) ?? [])
        .filter(isRecordItem)
        .sort((a, b) => recordKey(a).localeCompare(recordKey(b)))
        .map((item) => ({ subjectKey, item })),
    );
    const at = (entry: { subjectKey: string; item: Record<string, unknown> }) =>
      `${entry.subjectKey}|${recordKey(entry.item)}`;
    let first = 0;
    if (options.cursor !== undefined) {
      const index = all.findIndex((entry) => at(entry) === options.cursor);
      if (index < 0) throw new InvalidCursorError('not issued');
      first = index + 1;
    }
    const page = all.slice(first, first + options.limit);
    const more = first + options.limit < all.length;
    return { items: page.map((entry) => entry.item), ...(more ? { nextCursor: at(page.at(-1)!) } : {}) };
  }

  async saveCheck(check: StoredCheck) {
    this.checks.push(structuredClone(check));
  }

  async putWatch(watch: WatchRecord) {
    this.watches.push(watch);
  }

  async logPersonalDataAccess(entries: readonly PersonalDataAccess[]) {
    this.accesses.push(...entries);
  }

  /** The ports performCheck takes, all served by this store. */
  ports() {
    return { subjects: this, tallies: this, checks: this, watches: this, audit: this, referencer };
  }
}

const base = { agencyCode: 'XYB' };

export const referenceRows: ReferenceRecord[] = [
  {
    ...base,
    dataset: 'list-type',
    code: 'HMD-SW-ZDSSWF',
    name: '重大税收违法失信主体',
    nature: '黑名单',
    decidingDepartment: '税务',
    memorandumNumber: 'M-1580',
  },
  {
    ...base,
    dataset: 'list-type',
    code: 'HMD-FY-SXBZXR',
    name: '失信被执行人',
    nature: '黑名单',
    decidingDepartment: '法院',
  },
  {
    ...base,
    dataset: 'list-type',
    code: 'HONG-SW-A',
    name: 'A级纳税人',
    nature: '红名单',
    decidingDepartment: '税务',
  },
  {
    ...base,
    dataset: 'list-type',
    code: 'HMD-UNUSED',
    name: '无备忘录',
    nature: '黑名单',
    decidingDepartment: '某部门',
  },
  {
    ...base,
    dataset: 'memorandum',
    number: 'M-1580',
    name: '税收惩戒备忘录',
    issuedOn: '2016-07-25',
    nature: '惩戒',
    signingDepartments: [],
    listTypeCodes: [],
  },
  {
    ...base,
    dataset: 'memorandum',
    number: 'M-141',
    name: '失信被执行人备忘录',
    issuedOn: '2016-01-20',
    nature: '惩戒',
    signingDepartments: [],
    listTypeCodes: ['HMD-FY-SXBZXR'],
  },
  {
    ...base,
    dataset: 'memorandum',
    number: 'M-1467',
    name: 'A级纳税人激励备忘录',
    issuedOn: '2016-07-08',
    nature: '激励',
    signingDepartments: [],
    listTypeCodes: ['HONG-SW-A', 'HMD-GHOST'],
  },
  {
    ...base,
    dataset: 'measure',
    code: 'S1',
    memorandumNumber: 'M-1580',
    category: '行政许可',
    nature: '惩戒',
    binding: '必须',
    content: '从严审核',
    targets: ['主体'],
    implementingDepartment: '市场监管',
  },
  {
    ...base,
    dataset: 'measure',
    code: 'S2',
    memorandumNumber: 'M-1580',
    category: '任职限制',
    nature: '惩戒',
    binding: '必须',
    content: '限制任职',
    targets: ['法定代表人'],
    implementingDepartment: '市场监管',
  },
  {
    ...base,
    dataset: 'measure',
    code: 'S3',
    memorandumNumber: 'M-141',
    category: '监管',
    nature: '惩戒',
    binding: '必须',
    content: '重点监管',
    targets: ['自然人', '主体'],
    implementingDepartment: '市场监管',
  },
  {
    ...base,
    dataset: 'measure',
    code: 'R1',
    memorandumNumber: 'M-1467',
    category: '便利',
    nature: '激励',
    binding: '参考',
    content: '绿色通道',
    targets: ['主体'],
    implementingDepartment: '市场监管',
  },
  {
    ...base,
    dataset: 'measure',
    code: 'X1',
    memorandumNumber: 'M-NONE',
    category: '其他',
    nature: '惩戒',
    binding: '参考',
    content: '孤立措施',
    targets: ['主体'],
    implementingDepartment: '某部门',
  },
  {
    ...base,
    dataset: 'matter',
    code: 'MAT-1',
    name: '食品经营许可',
    department: '市场监管',
    measureCodes: ['S1', 'S2', 'S3', 'R1'],
  },
  {
    ...base,
    dataset: 'matter',
    code: 'MAT-EMPTY',
    name: '无措施',
    department: '市场监管',
    measureCodes: ['GONE'],
  },
];

export function catalogue(): Catalogue {
  return buildCatalogue(referenceRows);
}
