import type { FieldSpec, RowIssue } from '../fields';
import { AGENCY_CODE_PATTERN } from '../list-authority';
import { cell, type DatasetSchema, type ParsedCells, type RowContext, type RowOutcome } from '../schema';
import { type ListNature, listNatures, normaliseReferenceCode, positiveInteger } from './common';

export const listTypeFields: readonly FieldSpec[] = [
  {
    key: 'code',
    nameZh: '名单类型代码',
    alias: 'list_type_code',
    kind: 'code',
    required: true,
    maxLength: 64,
    description: 'Code list entries refer to',
  },
  {
    key: 'name',
    nameZh: '名单名称',
    alias: 'name',
    kind: 'text',
    required: true,
    maxLength: 200,
    description: 'Name of the list',
  },
  {
    key: 'nature',
    nameZh: '名单性质',
    alias: 'nature',
    kind: 'enum',
    required: true,
    values: listNatures,
    description: '红名单 (trustworthy) or 黑名单 (seriously untrustworthy)',
  },
  {
    key: 'decidingDepartment',
    nameZh: '认定部门',
    alias: 'deciding_department',
    kind: 'text',
    required: true,
    maxLength: 200,
    description: 'Department that decides listings',
  },
  {
    key: 'decidingAgencyCodes',
    nameZh: '认定机构代码',
    alias: 'deciding_agency_codes',
    kind: 'text',
    required: false,
    maxLength: 500,
    description:
      'Registry codes (config/agencies.json) of the agencies entitled to decide entries, separated by ";". Entries on the list type from any other agency are rejected (NOT_LIST_AUTHORITY); empty: no agency may',
  },
  {
    key: 'memorandumNumber',
    nameZh: '备忘录文号',
    alias: 'memorandum_number',
    kind: 'text',
    required: false,
    maxLength: 100,
    description: 'Document number of the memorandum that defines the list',
  },
  {
    key: 'defaultPeriodMonths',
    nameZh: '默认有效期（月）',
    alias: 'default_period_months',
    kind: 'text',
    required: false,
    maxLength: 4,
    description: 'Default period of effect, in months',
  },
  {
    key: 'entryRules',
    nameZh: '列入条件',
    alias: 'entry_rules',
    kind: 'text',
    required: false,
    description: 'Entry rules (optional)',
  },
  {
    key: 'exitRules',
    nameZh: '移出条件',
    alias: 'exit_rules',
    kind: 'text',
    required: false,
    description: 'Exit rules (optional)',
  },
];

export interface ListTypeRecord {
  readonly dataset: 'list-type';
  readonly code: string;
  readonly name: string;
  readonly nature: ListNature;
  readonly decidingDepartment: string;
  /** Registry codes of the agencies entitled to decide entries on the list (认定机构代码). */
  readonly decidingAgencyCodes?: readonly string[];
  readonly memorandumNumber?: string;
  readonly defaultPeriodMonths?: number;
  readonly entryRules?: string;
  readonly exitRules?: string;
  readonly agencyCode: string;
}

/** 认定机构代码: registry codes separated by ";" (or "；", ",", "、"), upper-cased, each well-formed. */
function agencyCodes(
  raw: string | undefined,
): { ok: true; value: string[] } | { ok: false; issue: RowIssue } {
  const codes = [
    ...new Set((raw ?? '').split(/[;；,，、\s]+/).map((code) => code.trim().toUpperCase())),
  ].filter((code) => code !== '');
  const malformed = codes.filter((code) => !AGENCY_CODE_PATTERN.test(code));
  if (malformed.length === 0) return { ok: true, value: codes };
  return {
    ok: false,
    issue: {
      field: '认定机构代码',
      value: raw ?? '',
      code: 'AGENCY_CODE_FORMAT',
      reason: `${malformed.map((code) => `"${code}"`).join(', ')} is no agency registry code (2–32 upper-case letters and digits, starting with a letter)`,
    },
  };
}

function build(cells: ParsedCells, context: RowContext): RowOutcome<ListTypeRecord> {
  const months = positiveInteger('默认有效期（月）', cell.text(cells, 'defaultPeriodMonths'));
  const deciding = agencyCodes(cell.text(cells, 'decidingAgencyCodes'));
  const issues = [...(months.ok ? [] : [months.issue]), ...(deciding.ok ? [] : [deciding.issue])];
  if (!months.ok || !deciding.ok) return { ok: false, issues };
  const optional = (key: 'memorandumNumber' | 'entryRules' | 'exitRules') => {
    const value = cell.text(cells, key);
    return value ? { [key]: value } : {};
  };
  return {
    ok: true,
    flags: [],
    value: {
      dataset: 'list-type',
      code: normaliseReferenceCode(cell.required(cells, 'code')),
      name: cell.required(cells, 'name'),
      nature: cell.required(cells, 'nature') as ListNature,
      decidingDepartment: cell.required(cells, 'decidingDepartment'),
      decidingAgencyCodes: deciding.value,
      ...optional('memorandumNumber'),
      ...optional('entryRules'),
      ...optional('exitRules'),
      ...(months.value !== undefined ? { defaultPeriodMonths: months.value } : {}),
      agencyCode: context.agency.code,
    },
  };
}

export const listTypeSchema: DatasetSchema<ListTypeRecord> = {
  id: 'list-type',
  title: 'List types (reference data)',
  titleZh: '名单类型',
  fields: listTypeFields,
  rules: [
    '认定机构代码 names, by their registry codes (config/agencies.json), the agencies entitled to decide entries on the list type; a list entry from any other agency is rejected (NOT_LIST_AUTHORITY), and a list type that names none takes no entries.',
  ],
  buildRow: build,
  businessKey: (record) => record.code,
};
