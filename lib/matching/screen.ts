import type { AdminPenaltyRecord, ListEntryRecord, SubjectIdentity } from '../datasets';

/** How the checked code led to a subject: directly, through a legacy code, or as its legal representative. */
export interface MatchPath {
  readonly identifier: 'uscc' | 'organisation-code' | 'resident-id' | 'registration-number';
  readonly value: string;
  readonly relation?: 'legal-representative';
}

export interface StoredListEntry {
  readonly entryId: string;
  readonly agencyCode: string;
  readonly record: ListEntryRecord;
}

export interface StoredPenalty {
  readonly recordId: string;
  readonly agencyCode: string;
  readonly record: AdminPenaltyRecord;
  readonly late?: boolean;
}

export interface ListHit {
  readonly status: 'confirmed';
  readonly entryId: string;
  readonly listTypeCode: string;
  readonly subjectKey: string;
  readonly matchedBy: MatchPath;
  readonly listedOn: string;
  readonly validUntil: string | null;
  readonly decidingDepartment: string;
  readonly basis: string;
  readonly reason: string;
  readonly reportedBy: string;
  /** Why this entry matched, in one sentence a case officer can read. */
  readonly explanation: string;
}

/** An entry is in effect from its listing date until its end date or removal, whichever comes first. */
export function isEntryInEffect(entry: ListEntryRecord, today: string): boolean {
  if (entry.listedOn > today) return false;
  if (entry.validUntil !== null && entry.validUntil < today) return false;
  if (entry.removedOn !== undefined && entry.removedOn <= today) return false;
  return true;
}

/** A record is shown until its display period ends; after that it is kept for audit only. */
export function isRecordInDisplay(record: AdminPenaltyRecord, today: string): boolean {
  return record.displayUntil === undefined || record.displayUntil >= today;
}

const IDENTIFIER_NAMES: Record<MatchPath['identifier'], string> = {
  uscc: '统一社会信用代码',
  'organisation-code': '组织机构代码',
  'resident-id': '身份证号码',
  'registration-number': '工商注册号',
};

function explain(entry: StoredListEntry, path: MatchPath): string {
  const record = entry.record;
  const period = record.validUntil
    ? `${record.listedOn} to ${record.validUntil}`
    : `${record.listedOn}, no end date`;
  const via =
    path.relation === 'legal-representative'
      ? `the checked person is the legal representative of ${record.subject.name}, which`
      : `${IDENTIFIER_NAMES[path.identifier]} ${path.value} identifies ${record.subject.name}, which`;
  return `${via} is on list ${record.listTypeCode} (decided by ${record.decidingDepartment}, in effect ${period}; basis: ${record.basis})`;
}

export function listHits(entries: readonly StoredListEntry[], path: MatchPath, today: string): ListHit[] {
  return entries
    .filter((entry) => isEntryInEffect(entry.record, today))
    .map((entry) => ({
      status: 'confirmed',
      entryId: entry.entryId,
      listTypeCode: entry.record.listTypeCode,
      subjectKey: entry.record.subject.key,
      matchedBy: path,
      listedOn: entry.record.listedOn,
      validUntil: entry.record.validUntil,
      decidingDepartment: entry.record.decidingDepartment,
      basis: entry.record.basis,
      reason: entry.record.reason,
      reportedBy: entry.agencyCode,
      explanation: explain(entry, path),
    }));
}

export interface SubjectView {
  readonly subject: SubjectIdentity | undefined;
  readonly listEntries: StoredListEntry[];
  readonly penalties: StoredPenalty[];
}

/** Sorts the raw items of a subject partition into what screening needs. */
export function viewOfSubject(items: readonly Record<string, unknown>[]): SubjectView {
  const listEntries: StoredListEntry[] = [];
  const penalties: StoredPenalty[] = [];
  let subject: SubjectIdentity | undefined;
  for (const item of items) {
    if (item.type === 'list-entry') {
      const entry = item as unknown as StoredListEntry;
      listEntries.push(entry);
      subject ??= entry.record.subject;
    } else if (item.type === 'admin-penalty') {
      const penalty = item as unknown as StoredPenalty;
      penalties.push(penalty);
      subject ??= penalty.record.subject;
    }
  }
  return { subject, listEntries, penalties };
}
