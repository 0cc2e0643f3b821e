import { maskedIdPossibleReason } from '#lib/identifiers/masked-person';
import { isNameOnlySubject, maskedIdMatches } from '#lib/identifiers/name-only';
import { compareNames, nameKey } from '#lib/identifiers/subject-names';
import type { SubjectIdentity } from '../datasets';
import type { SubjectCodeCandidate } from '../identifiers/classify';
import { maskResidentId } from '../identifiers/mask';
import {
  type ListHit,
  type ListTypeInfo,
  listHits,
  type MatchPath,
  type StoredListEntry,
  viewOfSubject,
} from '../matching/screen';
import { checkLimits } from '../platform/resources';
import type { SubjectAlias, SubjectReader } from './ports';
import type { CheckRequest } from './request';
import type { PartitionReads } from './subject-lookup';

/**
 * Possible hits, never confirmed: entries found by normalised name — every entry when the check gives
 * no code, only entries listed without one when it does (a listed code other than the checked one is
 * another subject) — and court entries published with a masked ID (4407021975****4129) found by
 * masking the checked ID the same way — a masked ID is not unique, so names are compared when the
 * caller gave one.
 */

/** Alias look-ups started early, in parallel with the exact ones. */
export interface EarlyPossibleLookups {
  readonly byRequestName: Promise<SubjectAlias[]> | undefined;
  readonly byMaskedId: Promise<{ id: string; aliases: SubjectAlias[] }[]>;
}

export function startPossibleLookups(
  subjects: SubjectReader,
  candidates: readonly SubjectCodeCandidate[],
  requestName: string | undefined,
): EarlyPossibleLookups {
  const byRequestName = requestName !== undefined ? namesakes(subjects, requestName) : undefined;
  const byMaskedId = Promise.all(
    checkedIds(candidates).map(async (id) => ({
      id,
      aliases: await subjects.subjectKeysForAlias('MASKEDID', maskResidentId(id)),
    })),
  );
  byRequestName?.catch(() => undefined);
  byMaskedId.catch(() => undefined);
  return { byRequestName, byMaskedId };
}

export interface PossibleHitContext {
  readonly candidates: readonly SubjectCodeCandidate[];
  readonly request: CheckRequest['subject'];
  /** The subject the code identified, if any. */
  readonly subject: SubjectIdentity | undefined;
  /** Partitions already screened exactly, and entries already hit: not repeated as possible. */
  readonly seenSubjects: ReadonlySet<string>;
  readonly seenEntries: ReadonlySet<string>;
  readonly today: string;
  readonly reveal: boolean;
  readonly listTypes: ReadonlyMap<string, ListTypeInfo>;
}

/** One more than the limit, so that a cut is known. */
function namesakes(subjects: SubjectReader, name: string): Promise<SubjectAlias[]> {
  return subjects.subjectKeysForAlias('NAME', nameKey(name), checkLimits.possibleHitSubjectsByName + 1);
}

function checkedIds(candidates: readonly SubjectCodeCandidate[]): string[] {
  return candidates.filter((c) => c.type === 'resident-id').map((c) => c.result.value);
}

/** Whether the checked subject is a person: from what was found, else the request, else the code. */
function checkedIsPerson(context: PossibleHitContext): boolean | undefined {
  if (context.subject) return context.subject.kind === 'person';
  if (context.request.type) return context.request.type === 'person';
  const kinds = new Set(
    context.candidates.map((c) => (c.type === 'resident-id' ? 'person' : 'organisation')),
  );
  return kinds.size === 1 ? kinds.has('person') : undefined;
}

/**
 * A name is shared by many people: a name-only entry is kept only if nothing known rules it out —
 * a person never matches an organisation, and a masked ID must fit the checked ID.
 */
function mayBeTheCheckedSubject(context: PossibleHitContext): (listed: SubjectIdentity) => boolean {
  const isPerson = checkedIsPerson(context);
  const ids = checkedIds(context.candidates);
  return (listed) => {
    if (isPerson !== undefined && (listed.kind === 'person') !== isPerson) return false;
    if (listed.idNumber?.includes('*') && ids.length > 0) {
      return ids.some((id) => maskedIdMatches(listed.idNumber!, id));
    }
    return true;
  };
}

/** Collects possible hits, one per entry and none for an entry already hit. */
class PossibleHits {
  readonly hits: ListHit[] = [];
  private readonly seen: Set<string>;

  constructor(private readonly context: PossibleHitContext) {
    this.seen = new Set(context.seenEntries);
  }

  add(entry: StoredListEntry, path: MatchPath, possibleReason: string): void {
    if (this.seen.has(entry.entryId)) return;
    this.seen.add(entry.entryId);
    const { today, reveal, listTypes } = this.context;
    const checkedName = this.context.request.name;
    this.hits.push(
      ...listHits([entry], path, today, {
        reveal,
        listTypes,
        possibleReason,
        ...(checkedName !== undefined ? { checkedName } : {}),
      }),
    );
  }
}

/** Partitions read at once when a name leads to many subjects (a common person's name). */
const PARTITION_READS_IN_PARALLEL = 8;

async function entriesOf(
  partitions: PartitionReads,
  aliases: readonly SubjectAlias[],
  seenSubjects: ReadonlySet<string>,
): Promise<StoredListEntry[]> {
  const subjectKeys = [...new Set(aliases.map((a) => a.subjectKey))].filter((key) => !seenSubjects.has(key));
  const entries: StoredListEntry[] = [];
  for (let i = 0; i < subjectKeys.length; i += PARTITION_READS_IN_PARALLEL) {
    const batch = subjectKeys.slice(i, i + PARTITION_READS_IN_PARALLEL);
    for (const items of await Promise.all(batch.map((key) => partitions.read(key)))) {
      entries.push(...viewOfSubject(items).listEntries);
    }
  }
  return entries;
}

/** What the entry is listed with, for the reason: a person's ID is not quoted. */
function listedIdentifier(subject: SubjectIdentity): string {
  if (subject.uscc) return `统一社会信用代码 ${subject.uscc}`;
  if (subject.registrationNumber) return `工商注册号 ${subject.registrationNumber}`;
  return 'a full 身份证号码';
}

/** Why a name match is only possible: what the entry has (or lacks) that would confirm it. */
function nameMatchCaveat(subject: SubjectIdentity): string {
  return isNameOnlySubject(subject)
    ? 'the entry carries no identifier to confirm it'
    : `the entry is listed with ${listedIdentifier(subject)}, but the check gave no code to confirm it by`;
}

async function nameHits(
  found: PossibleHits,
  entries: readonly StoredListEntry[],
  name: string,
  context: PossibleHitContext,
): Promise<void> {
  const fits = mayBeTheCheckedSubject(context);
  const codeChecked = context.candidates.length > 0;
  for (const entry of entries) {
    const listed = entry.record.subject;
    // With a code checked, a coded entry was found (or ruled out) by its code, not by its name.
    if ((codeChecked && !isNameOnlySubject(listed)) || !fits(listed)) continue;
    const comparison = compareNames(name, listed.name);
    if (!comparison.same) continue;
    found.add(
      entry,
      { identifier: 'name', value: name },
      `${comparison.reason}; ${nameMatchCaveat(listed)} — verify the identity before acting on it`,
    );
  }
}

function maskedIdHits(
  found: PossibleHits,
  entries: readonly StoredListEntry[],
  id: string,
  requestName: string | undefined,
): void {
  const masked = maskResidentId(id);
  for (const entry of entries) {
    const comparison = requestName ? compareNames(requestName, entry.record.subject.name) : undefined;
    if (comparison && !comparison.same) continue;
    found.add(
      entry,
      { identifier: 'resident-id', value: id },
      maskedIdPossibleReason(masked, 'checked', comparison?.reason),
    );
  }
}

/** Set when a name led to more subjects than a check reads: the possible hits shown are not all. */
export interface PossibleHitsIncomplete {
  readonly subjectsRead: number;
  readonly reason: string;
}

export async function possibleHits(
  subjects: SubjectReader,
  partitions: PartitionReads,
  early: EarlyPossibleLookups,
  context: PossibleHitContext,
): Promise<{ hits: ListHit[]; incomplete?: PossibleHitsIncomplete }> {
  const name = context.request.name ?? context.subject?.name;
  const [byName, byMaskedId] = await Promise.all([
    name !== undefined ? (early.byRequestName ?? namesakes(subjects, name)) : Promise.resolve([]),
    early.byMaskedId,
  ]);
  const limit = checkLimits.possibleHitSubjectsByName;
  const found = new PossibleHits(context);
  if (name !== undefined) {
    const read = byName.slice(0, limit);
    await nameHits(found, await entriesOf(partitions, read, context.seenSubjects), name, context);
  }
  for (const { id, aliases } of byMaskedId) {
    const entries = await entriesOf(partitions, aliases, context.seenSubjects);
    maskedIdHits(found, entries, id, context.request.name);
  }
  if (byName.length <= limit) return { hits: found.hits };
  return {
    hits: found.hits,
    incomplete: {
      subjectsRead: limit,
      reason: `more than ${limit} listed subjects share this name: only the entries of the first ${limit} were compared — give the subject's code (统一社会信用代码 or 身份证号码) to check it completely`,
    },
  };
}
