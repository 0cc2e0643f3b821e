import { validateResidentId } from '../identifiers';
import { checkNotFuture, checkOrder } from './common';
import { type FieldSpec, OPEN_END_DATE, type RowIssue } from './fields';
import {
  cell,
  type DatasetSchema,
  labelFor,
  type ParsedCells,
  type RowContext,
  type RowOutcome,
} from './schema';
import { identifyRowSubject, type SubjectIdentity, subjectCategories } from './subject';

/** The fixed template for red and black list entries (not covered by the national 双公示 standard). */
export const listEntryFields: readonly FieldSpec[] = [
  {
    key: 'subjectName',
    nameZh: '主体名称',
    alias: 'subject_name',
    kind: 'text',
    required: true,
    maxLength: 200,
    description: 'Name of the listed subject',
  },
  {
    key: 'subjectCategory',
    nameZh: '主体类别',
    alias: 'subject_category',
    kind: 'enum',
    required: true,
    values: subjectCategories,
    description: 'Kind of subject',
  },
  {
    key: 'uscc',
    nameZh: '统一社会信用代码',
    alias: 'uscc',
    kind: 'code',
    required: false,
    description: 'Required for organisations and 个体工商户',
  },
  {
    key: 'registrationNumber',
    nameZh: '工商注册号',
    alias: 'registration_number',
    kind: 'code',
    required: false,
    description: 'Required under the placeholder USCC',
  },
  {
    key: 'idType',
    nameZh: '证件类型',
    alias: 'id_type',
    kind: 'text',
    required: false,
    description: 'ID type of a natural person (default 身份证)',
  },
  {
    key: 'idNumber',
    nameZh: '证件号码',
    alias: 'id_number',
    kind: 'code',
    required: false,
    description: 'Required for a 自然人',
  },
  {
    key: 'legalRepresentative',
    nameZh: '法定代表人',
    alias: 'legal_representative',
    kind: 'text',
    required: false,
    maxLength: 50,
    description: 'Legal representative of an organisation',
  },
  {
    key: 'legalRepresentativeIdNumber',
    nameZh: '法定代表人证件号码',
    alias: 'legal_representative_id_number',
    kind: 'code',
    required: false,
    description: 'Resident ID of the legal representative',
  },
  {
    key: 'listTypeCode',
    nameZh: '名单类型代码',
    alias: 'list_type_code',
    kind: 'code',
    required: true,
    maxLength: 64,
    description: 'Code of the list type (reference data)',
  },
  {
    key: 'basis',
    nameZh: '认定依据',
    alias: 'basis',
    kind: 'text',
    required: true,
    description: 'Legal basis of the listing',
  },
  {
    key: 'decidingDepartment',
    nameZh: '认定部门',
    alias: 'deciding_department',
    kind: 'text',
    required: true,
    description: 'Department that decided the listing',
  },
  {
    key: 'listedOn',
    nameZh: '列入日期',
    alias: 'listed_on',
    kind: 'date',
    required: true,
    description: 'Date the subject was listed',
  },
  {
    key: 'validUntil',
    nameZh: '有效期至',
    alias: 'valid_until',
    kind: 'date',
    required: false,
    description: 'End of the period of effect; 2099/12/31 or empty means no end',
  },
  {
    key: 'removedOn',
    nameZh: '移出日期',
    alias: 'removed_on',
    kind: 'date',
    required: false,
    description: 'Date the subject was removed from the list',
  },
  {
    key: 'reason',
    nameZh: '列入原因',
    alias: 'reason',
    kind: 'text',
    required: true,
    description: 'Why the subject was listed',
  },
];

export interface ListEntryRecord {
  readonly dataset: 'list-entry';
  readonly subject: SubjectIdentity;
  readonly legalRepresentative?: { readonly name: string; readonly idNumber?: string };
  readonly listTypeCode: string;
  readonly basis: string;
  readonly decidingDepartment: string;
  readonly listedOn: string;
  /** null means no end. */
  readonly validUntil: string | null;
  readonly removedOn?: string;
  readonly reason: string;
  readonly agencyCode: string;
}

const label = (key: string) => labelFor(listEntryFields, key);

function buildListEntry(cells: ParsedCells, context: RowContext): RowOutcome<ListEntryRecord> {
  const issues: RowIssue[] = [];
  const identified = identifyRowSubject(listEntryFields, cells, context);
  if (!identified.ok) issues.push(...identified.issues);

  const listedOn = cell.required(cells, 'listedOn');
  const validUntil = cell.text(cells, 'validUntil');
  const removedOn = cell.text(cells, 'removedOn');
  for (const issue of [
    checkNotFuture(label('listedOn'), '列入日期', listedOn, context),
    checkOrder(label('validUntil'), '有效期至', validUntil, '列入日期', listedOn),
    checkOrder(label('removedOn'), '移出日期', removedOn, '列入日期', listedOn),
  ]) {
    if (issue) issues.push(issue);
  }

  const legalRepName = cell.text(cells, 'legalRepresentative');
  let legalRepIdNumber = cell.text(cells, 'legalRepresentativeIdNumber');
  if (legalRepIdNumber !== undefined) {
    const id = validateResidentId(legalRepIdNumber);
    if (id.ok) legalRepIdNumber = id.value;
    else
      issues.push({
        field: label('legalRepresentativeIdNumber'),
        value: legalRepIdNumber,
        code: `ID_${id.code}`,
        reason: id.message,
      });
  }

  if (issues.length > 0 || !identified.ok) return { ok: false, issues };
  return {
    ok: true,
    flags: identified.subject.flags,
    value: {
      dataset: 'list-entry',
      subject: identified.subject,
      ...(legalRepName
        ? {
            legalRepresentative: {
              name: legalRepName,
              ...(legalRepIdNumber ? { idNumber: legalRepIdNumber } : {}),
            },
          }
        : {}),
      listTypeCode: cell.required(cells, 'listTypeCode').toUpperCase(),
      basis: cell.required(cells, 'basis'),
      decidingDepartment: cell.required(cells, 'decidingDepartment'),
      listedOn,
      validUntil: validUntil === undefined || validUntil === OPEN_END_DATE ? null : validUntil,
      ...(removedOn !== undefined ? { removedOn } : {}),
      reason: cell.required(cells, 'reason'),
      agencyCode: context.agency.code,
    },
  };
}

export const listEntrySchema: DatasetSchema<ListEntryRecord> = {
  id: 'list-entry',
  title: 'Red and black list entries',
  titleZh: '红黑名单',
  fields: listEntryFields,
  rules: [
    '主体类别 自然人 needs 证件号码 (validated as a resident ID when 证件类型 is empty or 身份证); other subjects need 统一社会信用代码, the placeholder 00000000000000000X only for 个体工商户 with 工商注册号.',
    '列入日期 may not be after today; 有效期至 and 移出日期 may not be before it; 有效期至 empty or 2099/12/31 means no end.',
    '法定代表人证件号码 is validated as a resident ID and indexed, so a check on the person finds the organisation.',
    'Business key: agency + 名单类型代码 + subject + 列入日期.',
  ],
  buildRow: buildListEntry,
  // A subject listed again on another date under the same list type is a new entry.
  businessKey: (entry) => `${entry.agencyCode}|${entry.listTypeCode}|${entry.subject.key}|${entry.listedOn}`,
};
