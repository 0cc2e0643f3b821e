import { classifySeverity, type Severity } from '../lifecycle';
import {
  checkNotFuture,
  checkOrder,
  issuesOf,
  legalRepresentativeIdOf,
  legalRepresentativeOf,
} from './common';
import { type FieldSpec, OPEN_END_DATE, type RowIssue } from './fields';
import { type ListTypeRule, listAuthorityIssue } from './list-authority';
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
    required: false,
    description:
      'Department that decided the listing. The platform stores the uploading agency as registered (it must be entitled to the list type); a different name here is flagged DECIDING_DEPARTMENT_REPLACED',
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
  {
    key: 'severity',
    nameZh: '严重程度',
    alias: 'severity',
    kind: 'text',
    required: false,
    description:
      '轻微/一般/严重 (or the codes of config/severity.json); when empty a default rule applies (black-list listings → 严重). Red-list entries carry none',
  },
];

export interface ListEntryRecord {
  readonly dataset: 'list-entry';
  readonly subject: SubjectIdentity;
  readonly legalRepresentative?: { readonly name: string; readonly idNumber?: string };
  readonly listTypeCode: string;
  readonly basis: string;
  /** The deciding agency's registered name (absent only on entries stored before list authority). */
  readonly decidingDepartment: string;
  /** The deciding agency as registered: the uploading agency, entitled to the list type. */
  readonly decidingAgency?: { readonly code: string; readonly name: string };
  /** The source's own 认定部门 text when it differed from the registered name. */
  readonly sourceDecidingDepartment?: string;
  /** Severity (lib/lifecycle): declared by the source or defaulted by rule; null on red lists. */
  readonly severity?: Severity | null;
  readonly severityBasis?: 'declared' | 'default-rule' | 'none';
  readonly severityRule?: string;
  readonly listedOn: string;
  /** null means no end. */
  readonly validUntil: string | null;
  readonly removedOn?: string;
  readonly reason: string;
  readonly agencyCode: string;
}

const label = (key: string) => labelFor(listEntryFields, key);

/**
 * The stored 认定部门 is the uploading agency as registered (list authority has established it is
 * entitled), never the free text of the row; a different text is kept beside it and flagged.
 */
function decidingAgencyOf(cells: ParsedCells, context: RowContext) {
  const { code, name } = context.agency;
  const text = cell.text(cells, 'decidingDepartment');
  const differs = text !== undefined && text.replace(/\s+/g, '') !== name.replace(/\s+/g, '');
  return {
    fields: {
      decidingDepartment: name,
      decidingAgency: { code, name },
      ...(differs ? { sourceDecidingDepartment: text } : {}),
    },
    flags: differs ? ['DECIDING_DEPARTMENT_REPLACED'] : [],
  };
}

/**
 * Severity as the source declares it (严重程度), else by the default rules of config/severity.json
 * (a black-list listing is on a 严重失信主体名单 → 严重). Red lists are no bad-credit records: none.
 */
function entrySeverity(
  cells: ParsedCells,
  listType: ListTypeRule | undefined,
):
  | { ok: true; fields: Pick<ListEntryRecord, 'severity' | 'severityBasis' | 'severityRule'> }
  | { ok: false; issue: RowIssue } {
  const declared = cell.text(cells, 'severity');
  if (listType?.nature === '红名单') {
    if (declared === undefined) return { ok: true, fields: {} };
    return {
      ok: false,
      issue: {
        field: label('severity'),
        value: declared,
        code: 'SEVERITY_ON_RED_LIST',
        reason: `list type ${listType.code} is a 红名单: its entries carry no severity; leave 严重程度 empty`,
      },
    };
  }
  const decision = classifySeverity({
    dataset: 'list-entry',
    declared,
    severeList: listType?.nature === '黑名单',
  });
  if (!decision.ok) {
    return {
      ok: false,
      issue: {
        field: label('severity'),
        value: declared ?? '',
        code: decision.code,
        reason: decision.message,
      },
    };
  }
  return {
    ok: true,
    fields: {
      severity: decision.severity,
      severityBasis: decision.basis,
      ...(decision.rule ? { severityRule: decision.rule.id } : {}),
    },
  };
}

/** 列入日期 not after today; 有效期至 and 移出日期 not before it. */
function listingDateIssues(cells: ParsedCells, context: RowContext): RowIssue[] {
  const listedOn = cell.required(cells, 'listedOn');
  return issuesOf(
    checkNotFuture(label('listedOn'), '列入日期', listedOn, context),
    checkOrder(label('validUntil'), '有效期至', cell.text(cells, 'validUntil'), '列入日期', listedOn),
    checkOrder(label('removedOn'), '移出日期', cell.text(cells, 'removedOn'), '列入日期', listedOn),
  );
}

/** The list type (the uploading agency must be entitled to decide on it) and the entry's severity on it. */
function listTypeOf(cells: ParsedCells, context: RowContext) {
  const listTypeCode = cell.required(cells, 'listTypeCode').toUpperCase();
  const authority = listAuthorityIssue(
    context.listTypes,
    listTypeCode,
    context.agency.code,
    label('listTypeCode'),
  );
  const severity = entrySeverity(cells, context.listTypes?.get(listTypeCode));
  return { listTypeCode, severity, issues: issuesOf(authority, severity.ok ? undefined : severity.issue) };
}

/** The record of a row whose checks all passed, with the checked parts. */
function listEntryRecord(
  cells: ParsedCells,
  context: RowContext,
  checked: {
    subject: SubjectIdentity;
    legalRepresentativeIdNumber: string | undefined;
    listTypeCode: string;
    severity: Pick<ListEntryRecord, 'severity' | 'severityBasis' | 'severityRule'>;
    deciding: ReturnType<typeof decidingAgencyOf>['fields'];
  },
): ListEntryRecord {
  const validUntil = cell.text(cells, 'validUntil');
  const removedOn = cell.text(cells, 'removedOn');
  return {
    dataset: 'list-entry',
    subject: checked.subject,
    ...legalRepresentativeOf(
      cell.text(cells, 'legalRepresentative'),
      undefined,
      checked.legalRepresentativeIdNumber,
    ),
    listTypeCode: checked.listTypeCode,
    basis: cell.required(cells, 'basis'),
    ...checked.deciding,
    ...checked.severity,
    listedOn: cell.required(cells, 'listedOn'),
    validUntil: validUntil === undefined || validUntil === OPEN_END_DATE ? null : validUntil,
    ...(removedOn !== undefined ? { removedOn } : {}),
    reason: cell.required(cells, 'reason'),
    agencyCode: context.agency.code,
  };
}

function buildListEntry(cells: ParsedCells, context: RowContext): RowOutcome<ListEntryRecord> {
  const identified = identifyRowSubject(listEntryFields, cells, context);
  // The template has no 证件类型 for the legal representative: the number is always a resident ID.
  const legalRepresentativeId = legalRepresentativeIdOf(cells, context, label);
  const listType = listTypeOf(cells, context);
  const issues = [
    ...(identified.ok ? [] : identified.issues),
    ...listingDateIssues(cells, context),
    ...issuesOf(legalRepresentativeId.issue),
    ...listType.issues,
  ];
  if (issues.length > 0 || !identified.ok || !listType.severity.ok) return { ok: false, issues };
  const deciding = decidingAgencyOf(cells, context);
  return {
    ok: true,
    flags: [...identified.subject.flags, ...deciding.flags],
    value: listEntryRecord(cells, context, {
      subject: identified.subject,
      legalRepresentativeIdNumber: legalRepresentativeId.value,
      listTypeCode: listType.listTypeCode,
      severity: listType.severity.fields,
      deciding: deciding.fields,
    }),
  };
}

export const listEntrySchema: DatasetSchema<ListEntryRecord> = {
  id: 'list-entry',
  title: 'Red and black list entries',
  titleZh: '红黑名单',
  fields: listEntryFields,
  rules: [
    '主体类别 自然人 needs 证件号码 (validated as a resident ID when 证件类型 is empty or 身份证); other subjects need 统一社会信用代码, the placeholder 00000000000000000X only for 个体工商户 with 工商注册号.',
    '名单类型代码 must be a list type of the reference data whose 认定机构代码 names the uploading agency (UNKNOWN_LIST_TYPE, NOT_LIST_AUTHORITY). The stored 认定部门 is that agency as registered; a different 认定部门 text is kept as sourceDecidingDepartment and flagged DECIDING_DEPARTMENT_REPLACED.',
    '严重程度 is declared by the source (轻微/一般/严重 or the codes of config/severity.json); when empty, a black-list (黑名单) listing is 严重 by rule (severe-list). Red-list (红名单) entries carry no severity (SEVERITY_ON_RED_LIST if given).',
    '列入日期 may not be after today; 有效期至 and 移出日期 may not be before it; 有效期至 empty or 2099/12/31 means no end.',
    '法定代表人证件号码 is validated as a resident ID and indexed, so a check on the person finds the organisation.',
    'Business key: agency + 名单类型代码 + subject + 列入日期.',
  ],
  buildRow: buildListEntry,
  // A subject listed again on another date under the same list type is a new entry.
  businessKey: (entry) => `${entry.agencyCode}|${entry.listTypeCode}|${entry.subject.key}|${entry.listedOn}`,
};
