import { createHash } from 'node:crypto';
import type { AcceptedRow } from '../ingest/ingest-file';
import { isReferenceRecord } from '../datasets/reference';
import { isNameOnlySubject } from '../matching/name-only';
import { nameKey } from '../matching/names';
import { referenceItems } from '../reference/items';
import { keys } from './keys';

export type Item = Record<string, unknown> & { pk: string; sk: string };

export interface RecordProvenance {
  readonly agencyCode: string;
  readonly jobId: string;
  readonly sourceKey: string;
  /** When the file arrived (the S3 event time), so that a redelivery writes identical items. */
  readonly receivedAt: string;
  readonly receivedDate: string;
}

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}

/** The items one accepted row becomes: the record in its subject's partition plus alias items. */
export function itemsForRow(row: AcceptedRow, provenance: RecordProvenance): Item[] {
  const { record } = row;
  // Reference data (issue 4) has no subject: its items are mapped in lib/reference.
  if (isReferenceRecord(record)) return referenceItems(record, row.row, provenance);
  const subject = record.subject;
  const pk = keys.subject(subject.key);
  const id = shortHash(row.businessKey);
  const common = {
    pk,
    type: record.dataset,
    subjectKey: subject.key,
    record,
    agencyCode: provenance.agencyCode,
    jobId: provenance.jobId,
    sourceKey: provenance.sourceKey,
    sourceRow: row.row,
    receivedAt: provenance.receivedAt,
  };
  const items: Item[] = [];
  if (record.dataset === 'list-entry') {
    items.push({
      ...common,
      sk: keys.listEntry(record.listTypeCode, id),
      entryId: id,
      ...(record.validUntil ? { gsi2pk: keys.expiresOn(record.validUntil), gsi2sk: `${pk}#${id}` } : {}),
    });
  } else {
    items.push({
      ...common,
      sk: keys.record(record.dataset, id),
      recordId: id,
      dueDate: row.dueDate,
      late: row.late,
      ...(row.late
        ? { gsi2pk: keys.lateOn(provenance.receivedDate), gsi2sk: `${provenance.agencyCode}#${id}` }
        : {}),
    });
  }
  const aliasTarget = { sk: pk, type: 'alias', subjectKey: subject.key };
  if (subject.organisationCode)
    items.push({ pk: keys.alias('ORG', subject.organisationCode), ...aliasTarget });
  if (subject.registrationNumber && !subject.key.startsWith('REG#')) {
    items.push({ pk: keys.alias('REG', subject.registrationNumber), ...aliasTarget });
  }
  // Name-only list entries (no code) are found by normalised name, as possible hits (issue 4).
  if (record.dataset === 'list-entry' && isNameOnlySubject(subject)) {
    items.push({ pk: keys.alias('NAME', nameKey(subject.name)), ...aliasTarget });
  }
  const legalRepId = record.legalRepresentative?.idNumber;
  if (legalRepId && subject.kind !== 'person') {
    items.push({ pk: keys.alias('LEGALREP', legalRepId), ...aliasTarget, relation: 'legal-representative' });
  }
  return items;
}
