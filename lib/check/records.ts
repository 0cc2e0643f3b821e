import { isRecordInDisplay, type SubjectView } from '../matching/screen';

/** A 双公示 record in display, as the check and the subject view summarise it. */
export type RecordSummary =
  | {
      readonly dataset: 'admin-penalty';
      readonly recordId: string;
      readonly documentNumber: string;
      readonly decisionDate: string;
      readonly categories: readonly string[];
      readonly content: string;
      readonly fineAmount?: number;
      readonly issuer: string;
      readonly validUntil: string | null;
    }
  | {
      readonly dataset: 'admin-license';
      readonly recordId: string;
      readonly documentNumber: string;
      readonly decisionDate: string;
      readonly licenceCategory: string;
      readonly content: string;
      readonly issuer: string;
      readonly validUntil: string | null;
    };

/**
 * Penalties whose display period has not ended and licences still valid; withdrawn records were
 * already left out by viewOfSubject. Newest decision first.
 */
export function recordSummaries(view: SubjectView, today: string): RecordSummary[] {
  const records: RecordSummary[] = [];
  for (const penalty of view.penalties) {
    if (!isRecordInDisplay(penalty.record, today)) continue;
    records.push({
      dataset: 'admin-penalty',
      recordId: penalty.recordId,
      documentNumber: penalty.record.documentNumber,
      decisionDate: penalty.record.decisionDate,
      categories: penalty.record.categories,
      content: penalty.record.content,
      ...(penalty.record.fineAmount !== undefined ? { fineAmount: penalty.record.fineAmount } : {}),
      issuer: penalty.record.issuer.name,
      validUntil: penalty.record.validUntil,
    });
  }
  for (const licence of view.licences) {
    if (licence.record.validUntil !== null && licence.record.validUntil < today) continue;
    records.push({
      dataset: 'admin-license',
      recordId: licence.recordId,
      documentNumber: licence.record.documentNumber,
      decisionDate: licence.record.decisionDate,
      licenceCategory: licence.record.licenceCategory,
      content: licence.record.content,
      issuer: licence.record.issuer.name,
      validUntil: licence.record.validUntil,
    });
  }
  return records.sort((a, b) => b.decisionDate.localeCompare(a.decisionDate));
}
