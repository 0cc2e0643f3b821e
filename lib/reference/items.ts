import type { ReferenceDatasetId, ReferenceRecord } from '../datasets/reference';
import type { Item, RecordProvenance } from '../store/items';
import { keys } from '../store/keys';

/** The partition each kind of reference data lives in (sk = the code or document number). */
export const referencePartitionKinds: Record<ReferenceDatasetId, ReferenceKind> = {
  'list-type': 'LIST_TYPE',
  memorandum: 'MEMORANDUM',
  measure: 'MEASURE',
  matter: 'MATTER',
};
export type ReferenceKind = 'LIST_TYPE' | 'MEMORANDUM' | 'MEASURE' | 'MATTER';

export function referenceCodeOf(record: ReferenceRecord): string {
  return record.dataset === 'memorandum' ? record.number : record.code;
}

/**
 * One item per reference row: pk = REF#<KIND>, sk = its code. Re-submitting a row replaces it (the
 * credit office's latest file is the catalogue); rows are never deleted by omission.
 */
export function referenceItems(record: ReferenceRecord, row: number, provenance: RecordProvenance): Item[] {
  return [
    {
      pk: keys.reference(referencePartitionKinds[record.dataset]),
      sk: referenceCodeOf(record),
      type: 'reference',
      dataset: record.dataset,
      record,
      agencyCode: provenance.agencyCode,
      jobId: provenance.jobId,
      sourceKey: provenance.sourceKey,
      sourceRow: row,
      receivedAt: provenance.receivedAt,
    },
  ];
}
