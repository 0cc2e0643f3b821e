import { nameKey } from '#lib/identifiers/subject-names';
import type { SubjectIdentity } from '../datasets';
import { normaliseCode, validateResidentId, validateUscc } from '../identifiers';
import {
  InvalidPublicQueryError,
  InvalidPublicSubjectCodeError,
  PublicRecordNotFoundError,
  PublicSubjectNotFoundError,
} from './errors';
import type { PublicSubjectReader, SubjectRecords } from './ports';
import {
  licenceView,
  listEntryView,
  type PublicLicence,
  type PublicListEntry,
  type PublicPenalty,
  type PublicRecord,
  type PublicSubjectSummary,
  penaltyView,
  subjectSummary,
} from './views';
import { licenceWithheldReason, listEntryWithheldReason, penaltyWithheldReason } from './visibility';

/**
 * Public disclosure (双公示 公示): search a subject, show a legal person's or 个体工商户's records in
 * display and its list status, show one record. Everything not public answers "not found", so that
 * the answer never tells a withheld record (or a person) from one that does not exist.
 */

/** At most this many subjects answer one name search (names are not unique, but nearly). */
export const MAX_SEARCH_RESULTS = 20;

const REGISTRATION_NUMBER = /^[0-9A-Z]{13,15}$/;

export interface PublicListStatus {
  /** 黑名单 / 红名单 entries in effect; `listed` also counts entries of uncatalogued list types. */
  readonly black: number;
  readonly red: number;
  readonly listed: number;
  /** Entries in effect under an open objection (each marked 异议处理中 in `listEntries`). */
  readonly underObjection: number;
}

export interface PublicSubjectPage {
  readonly subject: PublicSubjectSummary;
  readonly listStatus: PublicListStatus;
  readonly listEntries: readonly PublicListEntry[];
  readonly penalties: readonly PublicPenalty[];
  readonly licences: readonly PublicLicence[];
}

export interface PublicRecordPage {
  readonly subject: PublicSubjectSummary;
  readonly record: PublicRecord;
}

/** The public part of a subject's records, newest first, with the subject they are about. */
interface PublicPart {
  readonly subject: SubjectIdentity | undefined;
  readonly listEntries: readonly PublicListEntry[];
  readonly penalties: readonly PublicPenalty[];
  readonly licences: readonly PublicLicence[];
}

const newestFirst = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);

async function publicPart(
  reader: PublicSubjectReader,
  records: SubjectRecords,
  today: string,
): Promise<PublicPart> {
  const penalties = records.penalties
    .filter((stored) => penaltyWithheldReason(stored, today) === null)
    .sort((a, b) => newestFirst(a.record.decisionDate, b.record.decisionDate));
  const licences = records.licences
    .filter((stored) => licenceWithheldReason(stored, today) === null)
    .sort((a, b) => newestFirst(a.record.decisionDate, b.record.decisionDate));
  const entries = records.listEntries
    .filter((stored) => listEntryWithheldReason(stored, today) === null)
    .sort((a, b) => newestFirst(a.record.listedOn, b.record.listedOn));
  const listTypes = entries.length > 0 ? await reader.listTypes() : new Map();
  // The newest public record names the subject (a renamed company keeps its code).
  const subject = [penalties[0], licences[0], entries[0]]
    .filter((stored) => stored !== undefined)
    .map((stored) => ({ subject: stored.record.subject, date: dateOf(stored.record) }))
    .sort((a, b) => newestFirst(a.date, b.date))[0]?.subject;
  return {
    subject,
    penalties: penalties.map(penaltyView),
    licences: licences.map(licenceView),
    listEntries: entries.map((stored) => listEntryView(stored, listTypes)),
  };
}

function dateOf(record: { decisionDate: string } | { listedOn: string }): string {
  return 'decisionDate' in record ? record.decisionDate : record.listedOn;
}

/**
 * The subject key behind a public code: a USCC (USCC#…) or, for a 个体工商户 registered under the
 * placeholder USCC, its 工商注册号 (REG#…). Anything else is not a code the public pages use.
 */
export function subjectKeyOfCode(raw: string): string {
  const code = normaliseCode(raw);
  if (code.length === 18) {
    const uscc = validateUscc(code);
    if (uscc.ok) return `USCC#${uscc.value}`;
    throw new InvalidPublicSubjectCodeError(uscc.message);
  }
  if (REGISTRATION_NUMBER.test(code)) return `REG#${code}`;
  throw new InvalidPublicSubjectCodeError(
    'a subject code is an 18-character unified social credit code or a 13–15 character 工商注册号',
  );
}

async function summaryOf(
  reader: PublicSubjectReader,
  subjectKey: string,
  today: string,
): Promise<PublicSubjectSummary | undefined> {
  const part = await publicPart(reader, await reader.subjectRecords(subjectKey), today);
  return part.subject ? subjectSummary(part.subject) : undefined;
}

/** Subject keys a search text leads to: a USCC, a 工商注册号, or an exact (normalised) name. */
async function candidateKeys(
  reader: PublicSubjectReader,
  text: string,
  today: string,
): Promise<readonly string[]> {
  const code = normaliseCode(text);
  if (code.length === 18 && validateUscc(code).ok) return [subjectKeyOfCode(code)];
  // A person's ID number finds nothing: natural persons are not published.
  if (validateResidentId(code, { today }).ok) return [];
  if (REGISTRATION_NUMBER.test(code) && /\d{13}/.test(code)) {
    const viaUscc = await reader.subjectKeysByRegistrationNumber(code);
    return [`REG#${code}`, ...viaUscc];
  }
  if (/^[0-9A-Z]{18}$/.test(code)) return [subjectKeyOfCode(code)]; // throws: a mistyped USCC
  return reader.subjectKeysByName(nameKey(text));
}

/** Subjects with something public that the text names, in the order found. */
export async function searchSubjects(
  reader: PublicSubjectReader,
  query: string,
  today: string,
): Promise<{ readonly results: readonly PublicSubjectSummary[] }> {
  const text = query.trim();
  if (text.length < 2 || text.length > 200) {
    throw new InvalidPublicQueryError('search with a code or a full name (2–200 characters)');
  }
  const keys = [...new Set(await candidateKeys(reader, text, today))].slice(0, MAX_SEARCH_RESULTS);
  const summaries = await Promise.all(keys.map((key) => summaryOf(reader, key, today)));
  // The query is not echoed: whatever a visitor typed (an ID number, say) stays out of caches and logs.
  return { results: summaries.filter((summary) => summary !== undefined) };
}

/** A subject's page: list status, list entries in effect, penalties in display, valid licences. */
export async function discloseSubject(
  reader: PublicSubjectReader,
  code: string,
  today: string,
): Promise<PublicSubjectPage> {
  const part = await publicPart(reader, await reader.subjectRecords(subjectKeyOfCode(code)), today);
  if (!part.subject) throw new PublicSubjectNotFoundError(`no public information about ${code}`);
  const natures = part.listEntries.map((entry) => entry.nature);
  return {
    subject: subjectSummary(part.subject),
    listStatus: {
      black: natures.filter((nature) => nature === '黑名单').length,
      red: natures.filter((nature) => nature === '红名单').length,
      listed: natures.length,
      underObjection: part.listEntries.filter((entry) => entry.underObjection).length,
    },
    listEntries: part.listEntries,
    penalties: part.penalties,
    licences: part.licences,
  };
}

/** One public record of a subject (penalty, licence or list entry). */
export async function discloseRecord(
  reader: PublicSubjectReader,
  code: string,
  recordId: string,
  today: string,
): Promise<PublicRecordPage> {
  const part = await publicPart(reader, await reader.subjectRecords(subjectKeyOfCode(code)), today);
  const record = [...part.penalties, ...part.licences, ...part.listEntries].find(
    (candidate) => candidate.id === recordId,
  );
  if (!part.subject || !record)
    throw new PublicRecordNotFoundError(`no public record ${recordId} of ${code}`);
  return { subject: subjectSummary(part.subject), record };
}
