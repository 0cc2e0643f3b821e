import type { FieldSpec } from '../fields';
import { splitMultiValue } from '../fields';
import { cell, type DatasetSchema, type ParsedCells, type RowContext, type RowOutcome } from '../schema';
import { type MeasureNature, measureNatures, normaliseReferenceCode } from './common';

export const memorandumFields: readonly FieldSpec[] = [
  {
    key: 'name',
    nameZh: '备忘录名称',
    alias: 'name',
    kind: 'text',
    required: true,
    maxLength: 300,
    description: 'Title of the memorandum',
  },
  {
    key: 'number',
    nameZh: '文号',
    alias: 'document_number',
    kind: 'text',
    required: true,
    maxLength: 100,
    description: 'Document number (e.g. 发改财金〔2016〕2798号)',
  },
  {
    key: 'issuedOn',
    nameZh: '发文日期',
    alias: 'issued_on',
    kind: 'date',
    required: true,
    description: 'Date of issue',
  },
  {
    key: 'nature',
    nameZh: '性质',
    alias: 'nature',
    kind: 'enum',
    required: true,
    values: measureNatures,
    description: '激励 (incentive) or 惩戒 (sanction)',
  },
  {
    key: 'signingDepartments',
    nameZh: '签署部门',
    alias: 'signing_departments',
    kind: 'text',
    required: false,
    description: 'Signing departments, separated by ;',
  },
  {
    key: 'listTypeCodes',
    nameZh: '适用名单类型代码',
    alias: 'list_type_codes',
    kind: 'text',
    required: true,
    description: 'List types the memorandum applies to, separated by ;',
  },
];

export interface MemorandumRecord {
  readonly dataset: 'memorandum';
  readonly number: string;
  readonly name: string;
  readonly issuedOn: string;
  readonly nature: MeasureNature;
  readonly signingDepartments: readonly string[];
  readonly listTypeCodes: readonly string[];
  readonly agencyCode: string;
}

function build(cells: ParsedCells, context: RowContext): RowOutcome<MemorandumRecord> {
  return {
    ok: true,
    flags: [],
    value: {
      dataset: 'memorandum',
      number: cell.required(cells, 'number'),
      name: cell.required(cells, 'name'),
      issuedOn: cell.required(cells, 'issuedOn'),
      nature: cell.required(cells, 'nature') as MeasureNature,
      signingDepartments: splitMultiValue(cell.text(cells, 'signingDepartments') ?? ''),
      listTypeCodes: [
        ...new Set(splitMultiValue(cell.required(cells, 'listTypeCodes')).map(normaliseReferenceCode)),
      ],
      agencyCode: context.agency.code,
    },
  };
}

export const memorandumSchema: DatasetSchema<MemorandumRecord> = {
  id: 'memorandum',
  title: 'Memoranda of joint rewards and sanctions (reference data)',
  titleZh: '联合奖惩合作备忘录',
  fields: memorandumFields,
  buildRow: build,
  businessKey: (record) => record.number,
};
