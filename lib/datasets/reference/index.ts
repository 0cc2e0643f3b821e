import type { ListTypeRecord } from './list-type';
import type { MatterRecord } from './matter';
import type { MeasureRecord } from './measure';
import type { MemorandumRecord } from './memorandum';

export * from './common';
export { type ListTypeRecord, listTypeSchema } from './list-type';
export { type MatterRecord, matterSchema } from './matter';
export { type MeasureRecord, measureSchema } from './measure';
export { type MemorandumRecord, memorandumSchema } from './memorandum';

/** A row of reference data kept by the credit office. */
export type ReferenceRecord = ListTypeRecord | MemorandumRecord | MeasureRecord | MatterRecord;
export const referenceDatasetIds = ['list-type', 'memorandum', 'measure', 'matter'] as const;
export type ReferenceDatasetId = (typeof referenceDatasetIds)[number];

export function isReferenceDatasetId(value: string): value is ReferenceDatasetId {
  return (referenceDatasetIds as readonly string[]).includes(value);
}

export function isReferenceRecord(record: { readonly dataset: string }): record is ReferenceRecord {
  return isReferenceDatasetId(record.dataset);
}
