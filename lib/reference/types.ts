import type { ReferenceDatasetId, ReferenceRecord } from '../datasets/reference';

/** The partition each kind of reference data lives in (sk = the code or document number). */
export const referencePartitionKinds: Record<ReferenceDatasetId, ReferenceKind> = {
  'list-type': 'LIST_TYPE',
  memorandum: 'MEMORANDUM',
  measure: 'MEASURE',
  matter: 'MATTER',
};
export type ReferenceKind = 'LIST_TYPE' | 'MEMORANDUM' | 'MEASURE' | 'MATTER';

/** The code a reference row is known by: a memorandum's document number, every other kind's code. */
export function referenceCodeOf(record: ReferenceRecord): string {
  return record.dataset === 'memorandum' ? record.number : record.code;
}
