import type { ReferenceRecord } from '#lib/datasets/reference/index';
import type { RecordProvenance } from '#lib/ingest/types';
import { referenceCodeOf, referencePartitionKinds } from '#lib/reference/types';
import { keys } from './keys';

/**
 * One item per reference row: pk = REF#<KIND>, sk = its code. Re-submitting a row replaces it (the
 * credit office's latest file is the catalogue); rows are never deleted by omission.
 */
export function referenceItems(
  record: ReferenceRecord,
  row: number,
  provenance: RecordProvenance,
): ({ pk: string; sk: string } & Record<string, unknown>)[] {
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
