import type { FieldSpec } from '../fields';
import { splitMultiValue } from '../fields';
import { cell, type DatasetSchema, type ParsedCells, type RowContext, type RowOutcome } from '../schema';
import { normaliseReferenceCode } from './common';

export const matterFields: readonly FieldSpec[] = [
  {
    key: 'code',
    nameZh: '事项编码',
    alias: 'matter_code',
    kind: 'code',
    required: true,
    maxLength: 64,
    description: 'Code business systems send as matterCode',
  },
  {
    key: 'name',
    nameZh: '事项名称',
    alias: 'name',
    kind: 'text',
    required: true,
    maxLength: 300,
    description: 'Name of the matter',
  },
  {
    key: 'department',
    nameZh: '实施部门',
    alias: 'department',
    kind: 'text',
    required: true,
    maxLength: 200,
    description: 'Department that handles the matter',
  },
  {
    key: 'powerItemCode',
    nameZh: '权责事项编码',
    alias: 'power_item_code',
    kind: 'text',
    required: false,
    maxLength: 100,
    description: 'Code of the power item (权责事项)',
  },
  {
    key: 'measureCodes',
    nameZh: '适用措施编号',
    alias: 'measure_codes',
    kind: 'text',
    required: false,
    description: 'Measures that apply to the matter, separated by ;',
  },
];

export interface MatterRecord {
  readonly dataset: 'matter';
  readonly code: string;
  readonly name: string;
  readonly department: string;
  readonly powerItemCode?: string;
  readonly measureCodes: readonly string[];
  readonly agencyCode: string;
}

function build(cells: ParsedCells, context: RowContext): RowOutcome<MatterRecord> {
  const powerItemCode = cell.text(cells, 'powerItemCode');
  return {
    ok: true,
    flags: [],
    value: {
      dataset: 'matter',
      code: normaliseReferenceCode(cell.required(cells, 'code')),
      name: cell.required(cells, 'name'),
      department: cell.required(cells, 'department'),
      ...(powerItemCode ? { powerItemCode } : {}),
      measureCodes: [
        ...new Set(splitMultiValue(cell.text(cells, 'measureCodes') ?? '').map(normaliseReferenceCode)),
      ],
      agencyCode: context.agency.code,
    },
  };
}

export const matterSchema: DatasetSchema<MatterRecord> = {
  id: 'matter',
  title: 'Administrative matters (reference data)',
  titleZh: '业务办理事项',
  fields: matterFields,
  buildRow: build,
  businessKey: (record) => record.code,
};
