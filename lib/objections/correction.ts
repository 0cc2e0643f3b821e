import { adminLicenseFields } from '../datasets/admin-license';
import { adminPenaltyFields } from '../datasets/admin-penalty';
import type { FieldSpec } from '../datasets/fields';
import { listEntryFields } from '../datasets/list-entry';
import { FieldNotCorrectableError, InvalidCorrectionError, UnknownClaimFieldError } from './errors';
import type { ObjectableDataset } from './types';

/**
 * Which field an objection names, and how a CORRECTED answer changes the record. A claim may name
 * any field of the dataset (by national code, Chinese name or internal key); a correction is
 * applied in place only to descriptive fields. Fields that identify the subject or the record, or
 * set its display period, change by withdrawing and re-submitting the record through ingestion.
 */

const fieldsOf: Record<ObjectableDataset, readonly FieldSpec[]> = {
  'admin-penalty': adminPenaltyFields,
  'admin-license': adminLicenseFields,
  'list-entry': listEntryFields,
};

/** Top-level record properties a correction may set, by dataset (text fields and amounts). */
const correctable: Record<ObjectableDataset, readonly string[]> = {
  'admin-penalty': [
    'violationType',
    'facts',
    'basis',
    'content',
    'fineAmount',
    'confiscatedAmount',
    'suspendedLicence',
    'remarks',
  ],
  'admin-license': ['documentName', 'certificateName', 'licenceNumber', 'content', 'remarks'],
  // 认定依据 and 列入原因; the list type, the dates and the subject change only by re-submission.
  'list-entry': ['basis', 'reason'],
};

/** The field a claim names, as the dataset's spec, or UnknownClaimFieldError. */
export function claimField(dataset: ObjectableDataset, field: string): FieldSpec {
  const wanted = field.trim();
  const spec = fieldsOf[dataset].find(
    (candidate) => candidate.code === wanted || candidate.key === wanted || candidate.nameZh === wanted,
  );
  if (!spec) throw new UnknownClaimFieldError(field, dataset);
  return spec;
}

/** The record with the claimed field set to the corrected value (a new object; the old one untouched). */
export function correctedRecord(
  dataset: ObjectableDataset,
  record: Readonly<Record<string, unknown>>,
  field: string,
  value: string,
): { record: Record<string, unknown>; stored: string | number } {
  if (!correctable[dataset].includes(field)) throw new FieldNotCorrectableError(field, correctable[dataset]);
  const spec = claimField(dataset, field);
  const stored = spec.kind === 'amount' ? amountOf(value) : value.trim();
  if (stored === '') throw new InvalidCorrectionError(`${field} cannot be corrected to an empty value`);
  return { record: { ...record, [field]: stored }, stored };
}

function amountOf(value: string): number {
  const amount = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(amount) || amount < 0) {
    throw new InvalidCorrectionError(`"${value}" is not an amount (万元, a non-negative number)`);
  }
  return amount;
}
