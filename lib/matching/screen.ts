import type { AdminLicenseRecord, AdminPenaltyRecord, ListEntryRecord, SubjectIdentity } from '../datasets';
import { OBJECTION_NOTICE } from '../disclosure/views';
import { maskResidentId } from '../identifiers/mask';
import { isNameOnlySubject } from '../identifiers/name-only';
import { compareNames, describeNameDifference } from '../identifiers/subject-names';
import { maskPersonalData, type PersonalValues } from '../privacy/mask-personal';

/** How the checked code led to a subject: directly, through a legacy code, or as its legal representative. */
export interface MatchPath {
  readonly identifier: 'uscc' | 'organisation-code' | 'resident-id' | 'registration-number' | 'name';
  readonly value: string;
  readonly relation?: 'legal-representative';
}

export interface StoredListEntry {
  readonly entryId: string;
  readonly agencyCode: string;
  readonly record: ListEntryRecord;
  /** An objection (异议) on the entry is open (set and cleared by lib/objections). */
  readonly objectionOpen?: boolean;
}

export interface StoredPenalty {
  readonly recordId: string;
  readonly agencyCode: string;
  readonly record: AdminPenaltyRecord;
  readonly late?: boolean;
  /** An objection (异议) on the record is open (set and cleared by lib/objections). */
  readonly objectionOpen?: boolean;
}

/** What reference data says about a list type, to name it and tell red from black in a hit. */
export interface ListTypeInfo {
  readonly name: string;
  readonly nature: '红名单' | '黑名单';
}

export interface StoredLicence {
  readonly recordId: string;
  readonly agencyCode: string;
  readonly record: AdminLicenseRecord;
  /** An objection (异议) on the record is open (set and cleared by lib/objections). */
  readonly objectionOpen?: boolean;
}

export interface ListHit {
  /**
   * confirmed: an identifier matched exactly. possible: only the normalised name matched; never
   * confirmed and never enough on its own for a binding sanction.
   */
  readonly status: 'confirmed' | 'possible';
  /** From the reference data; absent when the list type is not (yet) in the catalogue. */
  readonly listTypeName?: string;
  readonly listNature?: 'red' | 'black';
  /** For possible hits: why the name matched and what to verify. */
  readonly possibleReason?: string;
  /** Kind of the listed subject (organisation, person, individual business). */
  readonly subjectKind?: SubjectIdentity['kind'];
  readonly entryId: string;
  readonly listTypeCode: string;
  readonly subjectKey: string;
  readonly matchedBy: MatchPath;
  readonly listedOn: string;
  readonly validUntil: string | null;
  readonly decidingDepartment: string;
  /** The deciding agency as registered (absent on entries stored before list authority). */
  readonly decidingAgency?: { readonly code: string; readonly name: string };
  /** 轻微 / 一般 / 严重 as stored on the entry; null on red lists; absent on older entries. */
  readonly severity?: ListEntryRecord['severity'];
  readonly basis: string;
  readonly reason: string;
  readonly reportedBy: string;
  /** Why this entry matched, in one sentence a case officer can read. */
  readonly explanation: string;
  /** An objection (异议) on the entry is open: the hit stands, marked 异议处理中. */
  readonly underObjection?: true;
  readonly objectionNotice?: typeof OBJECTION_NOTICE;
  /**
   * What the case officer should look at although the entry matched: NAME_MISMATCH when the check
   * gave a name that is not, once normalised, the name the entry (found by its code) is listed under.
   * The hit stays confirmed by the code. Absent when there is nothing to say.
   */
  readonly warnings?: readonly HitWarning[];
}

export interface HitWarning {
  readonly code: 'NAME_MISMATCH';
  readonly message: string;
}

/** An entry is in effect from its listing date until its end date or removal, whichever comes first. */
export function isEntryInEffect(
  entry: Pick<ListEntryRecord, 'listedOn' | 'validUntil' | 'removedOn'>,
  today: string,
): boolean {
  if (entry.listedOn > today) return false;
  if (entry.validUntil !== null && entry.validUntil < today) return false;
  if (entry.removedOn !== undefined && entry.removedOn <= today) return false;
  return true;
}

/** A record is shown until its display period ends; after that it is kept for audit only. */
/**
 * In display on `today` (Shanghai): within its display period (lib/lifecycle sets displayUntil at
 * ingestion) and not 轻微 — 轻微 records (简易程序, warning only) are in principle not published.
 */
export function isRecordInDisplay(record: AdminPenaltyRecord, today: string): boolean {
  if (record.severity === '轻微') return false;
  return record.displayUntil === undefined || record.displayUntil >= today;
}

const IDENTIFIER_NAMES: Record<MatchPath['identifier'], string> = {
  uscc: '统一社会信用代码',
  'organisation-code': '组织机构代码',
  'resident-id': '身份证号码',
  'registration-number': '工商注册号',
  name: '名称',
};

export interface ListHitOptions {
  /** Show natural persons' names and ID numbers in full (else masked). Default true. */
  readonly reveal?: boolean;
  readonly listTypes?: ReadonlyMap<string, ListTypeInfo>;
  /** Makes every hit `possible`, with this reason (name-only matches). */
  readonly possibleReason?: string;
  /**
   * The name the caller gave: a possible hit's reason quotes it, and a hit found by code is compared
   * with it (NAME_MISMATCH). Masked with a listed person's name.
   */
  readonly checkedName?: string;
}

/**
 * The natural persons a hit shows: the listed subject if it is a person, and the checked code or name
 * when it is a person's (a resident ID; a name that found a listed person).
 */
function personalValuesOf(subject: SubjectIdentity, path: MatchPath, checkedName?: string): PersonalValues {
  const listedPerson = subject.kind === 'person';
  return {
    names: listedPerson
      ? [subject.name, ...(path.identifier === 'name' ? [path.value] : []), checkedName]
      : [],
    ids: [
      ...(listedPerson
        ? [subject.idNumber, subject.key.startsWith('ID#') ? subject.key.slice(3) : undefined]
        : []),
      ...(path.identifier === 'resident-id' ? [path.value] : []),
    ],
  };
}

/** A person's subject key carries the ID number (ID#…) or name (MASKED#…#name): masked unless revealed. */
export function displaySubjectKey(subject: SubjectIdentity, reveal: boolean): string {
  if (reveal || subject.kind !== 'person') return subject.key;
  if (subject.key.startsWith('ID#')) return `ID#${maskResidentId(subject.key.slice(3))}`;
  return `${subject.key.split('#')[0]}#${subject.idNumber?.includes('*') ? subject.idNumber : '***'}`;
}

/** Who decided the entry: the registered agency, or what an entry without one can say. */
function decidedBy(entry: StoredListEntry): string {
  const { record } = entry;
  if (record.decidingAgency)
    return `${record.decidingAgency.name} (registered agency ${record.decidingAgency.code})`;
  if ((record.dataset as string) === 'court-dishonest')
    return `${record.decidingDepartment} (court list reported by agency ${entry.agencyCode})`;
  return `${record.decidingDepartment} as reported by agency ${entry.agencyCode}, not verified against the registry`;
}

/** In full: listHits masks the whole hit, this sentence included, when the caller may not see it so. */
function explain(entry: StoredListEntry, path: MatchPath, options: ListHitOptions): string {
  const record = entry.record;
  const name = record.subject.name;
  const listType = options.listTypes?.get(record.listTypeCode);
  const list = listType
    ? `${record.listTypeCode} ${listType.name} (${listType.nature})`
    : record.listTypeCode;
  const period = record.validUntil
    ? `${record.listedOn} to ${record.validUntil}`
    : `${record.listedOn}, no end date`;
  const via =
    path.relation === 'legal-representative'
      ? `the checked person is the legal representative of ${name}, which`
      : path.identifier === 'name'
        ? `the name ${path.value} possibly identifies ${name} (${isNameOnlySubject(record.subject) ? 'listed by name only' : 'listed with a code; no code was checked'}), which`
        : `${IDENTIFIER_NAMES[path.identifier]} ${path.value} identifies ${name}, which`;
  return `${via} is on list ${list} (decided by ${decidedBy(entry)}, in effect ${period}; basis: ${record.basis})`;
}

/**
 * NAME_MISMATCH when the check gave a name and the entry its code found is listed under another one
 * (not for a represented organisation, whose name is not the checked person's). A person's name is
 * not quoted in pieces: the masking step recognises whole names only.
 */
function nameWarnings(entry: StoredListEntry, path: MatchPath, options: ListHitOptions): HitWarning[] {
  const checked = options.checkedName;
  if (checked === undefined || options.possibleReason || path.relation || path.identifier === 'name')
    return [];
  const listed = entry.record.subject.name;
  if (compareNames(checked, listed).same) return [];
  const difference = describeNameDifference(checked, listed, {
    quote: entry.record.subject.kind !== 'person',
  });
  return [
    {
      code: 'NAME_MISMATCH',
      message: `the checked name "${checked}" is not the name the entry is listed under, "${listed}": ${difference}; the hit rests on the ${IDENTIFIER_NAMES[path.identifier]} — make sure code and name belong to the same subject`,
    },
  ];
}

/** One entry as a hit, every field and sentence in full. */
function hitOf(entry: StoredListEntry, path: MatchPath, options: ListHitOptions): ListHit {
  const listType = options.listTypes?.get(entry.record.listTypeCode);
  return {
    status: options.possibleReason ? ('possible' as const) : ('confirmed' as const),
    ...(listType
      ? {
          listTypeName: listType.name,
          listNature: listType.nature === '红名单' ? ('red' as const) : ('black' as const),
        }
      : {}),
    ...(options.possibleReason ? { possibleReason: options.possibleReason } : {}),
    entryId: entry.entryId,
    listTypeCode: entry.record.listTypeCode,
    subjectKey: entry.record.subject.key,
    subjectKind: entry.record.subject.kind,
    matchedBy: { ...path },
    listedOn: entry.record.listedOn,
    validUntil: entry.record.validUntil,
    decidingDepartment: entry.record.decidingDepartment,
    ...(entry.record.decidingAgency ? { decidingAgency: entry.record.decidingAgency } : {}),
    ...(entry.record.severity !== undefined ? { severity: entry.record.severity } : {}),
    basis: entry.record.basis,
    reason: entry.record.reason,
    reportedBy: entry.agencyCode,
    explanation: explain(entry, path, options),
    ...(entry.objectionOpen === true ? { underObjection: true, objectionNotice: OBJECTION_NOTICE } : {}),
    ...withWarnings(nameWarnings(entry, path, options)),
  };
}

function withWarnings(warnings: readonly HitWarning[]): { warnings?: readonly HitWarning[] } {
  return warnings.length > 0 ? { warnings } : {};
}

/**
 * The entries in effect as hits. Unless `reveal`, each hit goes through the one masking step
 * (lib/privacy/mask-personal.ts) as a whole: the persons' names and IDs are masked in every field,
 * the matched value, the explanation and a possible hit's reason alike.
 */
export function listHits(
  entries: readonly StoredListEntry[],
  path: MatchPath,
  today: string,
  options: ListHitOptions = {},
): ListHit[] {
  const reveal = options.reveal ?? true;
  return entries
    .filter((entry) => isEntryInEffect(entry.record, today))
    .map((entry) => {
      const hit = hitOf(entry, path, options);
      if (reveal) return hit;
      const subjectKey = displaySubjectKey(entry.record.subject, false);
      return {
        ...maskPersonalData(hit, personalValuesOf(entry.record.subject, path, options.checkedName)),
        subjectKey,
      };
    });
}

export interface SubjectView {
  readonly subject: SubjectIdentity | undefined;
  readonly listEntries: StoredListEntry[];
  readonly penalties: StoredPenalty[];
  /** 行政许可 records, withdrawn ones left out. */
  readonly licences: StoredLicence[];
}

/** A withdrawn (撤销/无效) 双公示 record is kept for audit but no longer shown or used. */
export function isWithdrawn(item: Record<string, unknown>): boolean {
  const record = (item.record ?? {}) as Record<string, unknown>;
  return [item.status, record.status].some(
    (status) => status === 'withdrawn' || status === 'invalid' || status === '无效',
  );
}

/**
 * Publication and use stopped (credit repair approved: publicationStatus STOPPED). The record is
 * kept for audit but gives no hit, no measure and no record in display.
 */
export function isUseStopped(item: Record<string, unknown>): boolean {
  return item.publicationStatus === 'STOPPED';
}

/** Not withdrawn and not taken out of display by the deadlines run (displayStatus hidden). */
export function isShown(item: Record<string, unknown>): boolean {
  return !isWithdrawn(item) && item.displayStatus !== 'hidden';
}

/** Sorts the raw items of a subject partition into what screening needs. */
export function viewOfSubject(items: readonly Record<string, unknown>[]): SubjectView {
  const listEntries: StoredListEntry[] = [];
  const penalties: StoredPenalty[] = [];
  const licences: StoredLicence[] = [];
  let subject: SubjectIdentity | undefined;
  for (const item of items) {
    // A repaired record is not a hit, a measure or a record in display; the subject may still be named.
    if (isUseStopped(item)) continue;
    const record = item.record as Record<string, unknown> | undefined;
    // Court dishonest-debtor entries and other list-like datasets carry the same list fields.
    const listLike =
      item.type === 'list-entry' ||
      (typeof record?.listTypeCode === 'string' && typeof record?.listedOn === 'string');
    if (listLike) {
      const entry = item as unknown as StoredListEntry;
      listEntries.push(entry);
      subject ??= entry.record.subject;
    } else if (item.type === 'admin-license' && isShown(item)) {
      const licence = item as unknown as StoredLicence;
      licences.push(licence);
      subject ??= licence.record.subject;
    } else if (item.type === 'admin-penalty' && isShown(item)) {
      const penalty = item as unknown as StoredPenalty;
      penalties.push(penalty);
      subject ??= penalty.record.subject;
    }
  }
  return { subject, listEntries, penalties, licences };
}
