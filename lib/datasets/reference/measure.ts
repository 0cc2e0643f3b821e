import type { FieldSpec } from '../fields';
import { cell, type DatasetSchema, type ParsedCells, type RowContext, type RowOutcome } from '../schema';
import {
  type Binding,
  bindingKinds,
  type MeasureNature,
  type MeasureTarget,
  measureNatures,
  measureTargets,
  normaliseReferenceCode,
} from './common';

export const measureFields: readonly FieldSpec[] = [
  {
    key: 'code',
    nameZh: '措施编号',
    alias: 'measure_code',
    kind: 'code',
    required: true,
    maxLength: 64,
    description: 'Code of the measure',
  },
  {
    key: 'memorandumNumber',
    nameZh: '备忘录文号',
    alias: 'memorandum_number',
    kind: 'text',
    required: true,
    maxLength: 100,
    description: 'Memorandum the measure comes from',
  },
  {
    key: 'category',
    nameZh: '措施类别',
    alias: 'category',
    kind: 'text',
    required: true,
    maxLength: 100,
    description: 'Category of the measure',
  },
  {
    key: 'nature',
    nameZh: '措施性质',
    alias: 'nature',
    kind: 'enum',
    required: true,
    values: measureNatures,
    description: '激励 (incentive) or 惩戒 (sanction)',
  },
  {
    key: 'binding',
    nameZh: '约束性',
    alias: 'binding',
    kind: 'enum',
    required: true,
    values: bindingKinds,
    description: '必须 (binding) or 参考 (discretionary)',
  },
  {
    key: 'content',
    nameZh: '措施内容',
    alias: 'content',
    kind: 'text',
    required: true,
    description: 'What the department does',
  },
  {
    key: 'targets',
    nameZh: '对象',
    alias: 'targets',
    kind: 'enum-list',
    required: true,
    values: measureTargets,
    description: 'Whom the measure is aimed at, separated by ;',
  },
  {
    key: 'implementingDepartment',
    nameZh: '实施部门',
    alias: 'implementing_department',
    kind: 'text',
    required: true,
    maxLength: 200,
    description: 'Department that applies it',
  },
  {
    key: 'section',
    nameZh: '关联科室',
    alias: 'section',
    kind: 'text',
    required: false,
    maxLength: 200,
    description: 'Responsible section',
  },
  {
    key: 'basis',
    nameZh: '相关依据',
    alias: 'basis',
    kind: 'text',
    required: false,
    description: 'Legal basis (the memorandum article)',
  },
];

export interface MeasureRecord {
  readonly dataset: 'measure';
  readonly code: string;
  readonly memorandumNumber: string;
  readonly category: string;
  readonly nature: MeasureNature;
  readonly binding: Binding;
  readonly content: string;
  readonly targets: readonly MeasureTarget[];
  readonly implementingDepartment: string;
  readonly section?: string;
  readonly basis?: string;
  readonly agencyCode: string;
}

function build(cells: ParsedCells, context: RowContext): RowOutcome<MeasureRecord> {
  const section = cell.text(cells, 'section');
  const basis = cell.text(cells, 'basis');
  return {
    ok: true,
    flags: [],
    value: {
      dataset: 'measure',
      code: normaliseReferenceCode(cell.required(cells, 'code')),
      memorandumNumber: cell.required(cells, 'memorandumNumber'),
      category: cell.required(cells, 'category'),
      nature: cell.required(cells, 'nature') as MeasureNature,
      binding: cell.required(cells, 'binding') as Binding,
      content: cell.required(cells, 'content'),
      targets: cell.list(cells, 'targets') as MeasureTarget[],
      implementingDepartment: cell.required(cells, 'implementingDepartment'),
      ...(section ? { section } : {}),
      ...(basis ? { basis } : {}),
      agencyCode: context.agency.code,
    },
  };
}

export const measureSchema: DatasetSchema<MeasureRecord> = {
  id: 'measure',
  title: 'Joint reward and sanction measures (reference data)',
  titleZh: '联合奖惩措施',
  fields: measureFields,
  buildRow: build,
  businessKey: (record) => record.code,
};
