import type {
  AdminLicenseRecord,
  AdminPenaltyRecord,
  ListEntryRecord,
  SubjectIdentity,
} from '#lib/datasets/index';
import type {
  PublicationState,
  PublicListType,
  PublicSubjectReader,
  SubjectRecords,
} from '#lib/disclosure/ports';
import { codes, registrationNumber } from '#test/support/csv-fixtures';

export const company: SubjectIdentity = {
  key: `USCC#${codes.companyUscc}`,
  kind: 'organisation',
  name: '江门市鸿运建材有限公司',
  uscc: codes.companyUscc,
  organisationCode: 'MA4W12346',
  flags: [],
};

export const shop: SubjectIdentity = {
  key: `REG#${registrationNumber}`,
  kind: 'individual-business',
  name: '江门市蓬江区阿强五金店',
  registrationNumber,
  flags: [],
};

export const person: SubjectIdentity = {
  key: `ID#${codes.personId}`,
  kind: 'person',
  name: '王丽华',
  idType: '身份证',
  idNumber: codes.personId,
  flags: [],
};

const issuer = { name: '江门市市场监督管理局', code: codes.agencyUscc };

export function penalty(overrides: Partial<AdminPenaltyRecord> = {}): AdminPenaltyRecord {
  return {
    dataset: 'admin-penalty',
    subject: company,
    legalRepresentative: { name: '李建国', idType: '身份证', idNumber: codes.legalRepId },
    documentNumber: '江市监罚〔2026〕118号',
    violationType: '销售不合格产品',
    facts: `销售抽检不合格的建筑用钢筋，法定代表人李建国（身份证号码${codes.legalRepId}，电话13902281234）`,
    basis: '《中华人民共和国产品质量法》第四十九条',
    categories: ['罚款'],
    content: '罚款人民币8万元',
    fineAmount: 8,
    decisionDate: '2026-11-12',
    validUntil: null,
    displayUntil: '2027-11-12',
    issuer,
    source: issuer,
    ...overrides,
  };
}

export function licence(overrides: Partial<AdminLicenseRecord> = {}): AdminLicenseRecord {
  return {
    dataset: 'admin-license',
    subject: company,
    legalRepresentative: { name: '李建国', idType: '身份证', idNumber: codes.legalRepId },
    documentName: '食品经营许可决定书',
    documentNumber: '江市监许〔2026〕301号',
    licenceCategory: '普通',
    certificateName: '食品经营许可证',
    licenceNumber: 'JY14407030012345',
    content: '预包装食品销售',
    decisionDate: '2026-11-12',
    validFrom: '2026-11-12',
    validUntil: '2031-11-11',
    issuer,
    status: 'valid',
    source: issuer,
    ...overrides,
  };
}

export function listEntry(overrides: Partial<ListEntryRecord> = {}): ListEntryRecord {
  return {
    dataset: 'list-entry',
    subject: company,
    legalRepresentative: { name: '李建国', idNumber: codes.legalRepId },
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

export const listTypes: ReadonlyMap<string, PublicListType> = new Map([
  ['HMD-SW-ZDSSWF', { name: '重大税收违法失信主体', nature: '黑名单' }],
  ['HONG-SW-A', { name: '纳税信用A级纳税人', nature: '红名单' }],
]);

/** The PublicSubjectReader port over memory: records by subject key, aliases by name and number. */
export class MemoryPublicReader implements PublicSubjectReader {
  private readonly records = new Map<string, SubjectRecords>();
  private readonly names = new Map<string, string[]>();
  private readonly registrationNumbers = new Map<string, string[]>();
  listTypeReads = 0;

  private partition(key: string): SubjectRecords {
    return this.records.get(key) ?? { penalties: [], licences: [], listEntries: [] };
  }

  add(
    id: string,
    record: AdminPenaltyRecord | AdminLicenseRecord | ListEntryRecord,
    state: PublicationState = {},
  ): this {
    const partition = this.partition(record.subject.key);
    const stored = { id, agencyCode: 'SCJG', state };
    const next: SubjectRecords =
      record.dataset === 'admin-penalty'
        ? { ...partition, penalties: [...partition.penalties, { ...stored, record }] }
        : record.dataset === 'admin-license'
          ? { ...partition, licences: [...partition.licences, { ...stored, record }] }
          : { ...partition, listEntries: [...partition.listEntries, { ...stored, record }] };
    this.records.set(record.subject.key, next);
    return this;
  }

  name(normalised: string, subjectKey: string): this {
    this.names.set(normalised, [...(this.names.get(normalised) ?? []), subjectKey]);
    return this;
  }

  registrationNumber(number: string, subjectKey: string): this {
    this.registrationNumbers.set(number, [...(this.registrationNumbers.get(number) ?? []), subjectKey]);
    return this;
  }

  async subjectRecords(subjectKey: string): Promise<SubjectRecords> {
    return this.partition(subjectKey);
  }

  async subjectKeysByName(normalisedName: string): Promise<readonly string[]> {
    return this.names.get(normalisedName) ?? [];
  }

  async subjectKeysByRegistrationNumber(number: string): Promise<readonly string[]> {
    return this.registrationNumbers.get(number) ?? [];
  }

  async listTypes(): Promise<ReadonlyMap<string, PublicListType>> {
    this.listTypeReads += 1;
    return listTypes;
  }
}
