import type { FieldSpec } from '../fields';
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
  readonly memorandumNumber?: string;
  readonly defaultPeriodMonths?: number;
  readonly entryRules?: string;
  readonly exitRules?: string;
  readonly agencyCode: string;
}

function build(cells: ParsedCells, context: RowContext): RowOutcome<ListTypeRecord> {
  const months = positiveInteger('默认有效期（月）', cell.text(cells, 'defaultPeriodMonths'));
  if (!months.ok) return { ok: false, issues: [months.issue] };
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
  buildRow: build,
  businessKey: (record) => record.code,
};
