import { randomUUID } from 'node:crypto';
import type { PersonalDataAccess } from '../audit/personal-data-log';
import { subjectReference } from '../audit/personal-data-log';
import type { CreditStore } from '../aws/credit-store';
import type { Clock } from '../clock/clock';
import type { SubjectIdentity } from '../datasets';
import { normaliseReferenceCode } from '../datasets/reference';
import { ProblemError } from '../http/problem';
import { classifySubjectCode, type SubjectCodeCandidate } from '../identifiers/classify';
import { maskResidentId } from '../identifiers/mask';
import { isNameOnlySubject, maskedIdMatches } from '../matching/name-only';
import { compareNames, nameKey } from '../matching/names';
import {
  type ListHit,
  type ListTypeInfo,
  listHits,
  type MatchPath,
  type StoredListEntry,
  viewOfSubject,
} from '../matching/screen';
import {
  type AccessDecision,
  personalDataAccess,
  presentPersonName,
  presentResidentId,
} from '../privacy/access';
import { watchIdFor, watchItem } from '../push/watches';
import type { Catalogue } from '../reference/catalogue';
import { keys } from '../store/keys';
import { type ApplicableMeasure, type Convenience, selectMeasures } from './measures';
import { type RecordSummary, recordSummaries } from './records';
import type { CheckRequest } from './request';

export interface Caller {
  readonly agencyCode: string;
  readonly keyId: string;
  readonly roles: readonly string[];
}

export type { RecordSummary } from './records';

export interface CheckResult {
  readonly checkId: string;
  readonly checkedAt: string;
  readonly agencyCode: string;
  readonly request: {
    readonly code?: string;
    readonly name?: string;
    readonly interpretedAs: string[];
    readonly matterCode?: string;
    readonly caseRef?: string;
    readonly purpose?: string;
  };
  readonly matter: { readonly code: string; readonly name: string; readonly department: string } | null;
  readonly subject: PublicSubject | null;
  /** Whether natural persons' data is shown in full, and why. */
  readonly personalData: AccessDecision;
  readonly hits: ListHit[];
  readonly measures: ApplicableMeasure[];
  readonly conveniences: Convenience[];
  readonly records: RecordSummary[];
  readonly summary: {
    readonly listHits: number;
    readonly confirmedHits: number;
    readonly possibleHits: number;
    readonly redListHits: number;
    readonly blackListHits: number;
    readonly measures: number;
    readonly mandatoryMeasures: number;
    readonly records: number;
  };
}

export interface PublicSubject {
  readonly name: string;
  readonly kind: SubjectIdentity['kind'];
  readonly uscc?: string;
  readonly idNumber?: string;
  readonly registrationNumber?: string;
}

/** The subject as the caller may see it: natural persons' names and ID numbers masked unless allowed. */
export function publicSubject(subject: SubjectIdentity, reveal = false): PublicSubject {
  if (subject.kind === 'person') {
    return {
      name: presentPersonName(subject.name, reveal),
      kind: subject.kind,
      ...(subject.idNumber ? { idNumber: presentResidentId(subject.idNumber, reveal) } : {}),
    };
  }
  return {
    name: subject.name,
    kind: subject.kind,
    ...(subject.uscc ? { uscc: subject.uscc } : {}),
    ...(subject.registrationNumber ? { registrationNumber: subject.registrationNumber } : {}),
  };
}

interface Lookup {
  readonly subjectKey: string;
  readonly path: MatchPath;
}

/** Every subject partition a checked code leads to, and how. */
export async function lookupsFor(store: CreditStore, candidate: SubjectCodeCandidate): Promise<Lookup[]> {
  const value = candidate.result.value;
  switch (candidate.type) {
    case 'uscc': {
      // A legacy record may be stored under the organisation code embedded in the USCC (9–17).
      const body = value.slice(8, 17);
      const legacy = await store.subjectKeysForAlias('ORG', body);
      return [
        { subjectKey: `USCC#${value}`, path: { identifier: 'uscc', value } },
        ...legacy
          .filter((alias) => alias.subjectKey !== `USCC#${value}` && !alias.subjectKey.startsWith('USCC#'))
          .map((alias) => ({
            subjectKey: alias.subjectKey,
            path: { identifier: 'organisation-code' as const, value: body },
          })),
      ];
    }
    case 'organisation-code': {
      const aliases = await store.subjectKeysForAlias('ORG', value);
      return aliases.map((alias) => ({
        subjectKey: alias.subjectKey,
        path: { identifier: 'organisation-code', value },
      }));
    }
    case 'resident-id': {
      const represented = await store.subjectKeysForAlias('LEGALREP', value);
      return [
        { subjectKey: `ID#${value}`, path: { identifier: 'resident-id', value } },
        ...represented.map((alias) => ({
          subjectKey: alias.subjectKey,
          path: { identifier: 'resident-id' as const, value, relation: 'legal-representative' as const },
        })),
      ];
    }
    case 'business-registration-number': {
      const aliases = await store.subjectKeysForAlias('REG', value);
      return [
        { subjectKey: `REG#${value}`, path: { identifier: 'registration-number', value } },
        ...aliases.map((alias) => ({
          subjectKey: alias.subjectKey,
          path: { identifier: 'registration-number' as const, value },
        })),
      ];
    }
  }
}

/** The partition a code names by itself (an organisation code only leads through aliases). */
const OWN_PARTITION: Record<SubjectCodeCandidate['type'], string | undefined> = {
  uscc: 'USCC#',
  'resident-id': 'ID#',
  'business-registration-number': 'REG#',
  'organisation-code': undefined,
};

export interface CheckDependencies {
  readonly store: CreditStore;
  readonly catalogue: Catalogue;
  readonly clock: Clock;
  readonly allowList?: ReadonlySet<string>;
  /** Receives the personal-data accesses of this check (the audit log). */
  readonly logAccess?: (entries: readonly PersonalDataAccess[]) => Promise<void>;
  /** A pre-allocated id (Idempotency-Key). */
  readonly checkId?: string;
}

export function listTypeInfo(catalogue: Catalogue): ReadonlyMap<string, ListTypeInfo> {
  return new Map([...catalogue.listTypes.values()].map((listType) => [listType.code, listType]));
}

/**
 * The one-click check: resolves the code (and name) to subjects, returns list entries in effect —
 * confirmed by an identifier or possible by name only — the measures the matter attaches to those
 * lists, conveniences for red-list subjects and records in display; stores the check (including
 * checks that found nothing: that is the audit trail) and logs any read of personal data.
 */
export async function performCheck(
  deps: CheckDependencies,
  caller: Caller,
  request: CheckRequest,
): Promise<CheckResult> {
  const now = deps.clock.now();
  const today = deps.clock.today();
  const access = personalDataAccess(caller.roles, request.purpose);
  const reveal = access.reveal;
  const listTypes = listTypeInfo(deps.catalogue);

  let matter: CheckResult['matter'] = null;
  if (request.matterCode) {
    const found = deps.catalogue.matters.get(normaliseReferenceCode(request.matterCode));
    if (!found) {
      const reason = `matter ${request.matterCode} is not in the credit office's catalogue (GET /v1/matters lists them)`;
      throw new ProblemError(404, 'MATTER_NOT_FOUND', reason, [
        { field: 'matterCode', code: 'UNKNOWN', reason },
      ]);
    }
    matter = { code: found.code, name: found.name, department: found.department };
  }

  let candidates: SubjectCodeCandidate[] = [];
  let code: string | undefined;
  if (request.subject.code !== undefined) {
    const classified = classifySubjectCode(request.subject.code, {
      today: now,
      ...(deps.allowList ? { allowList: deps.allowList } : {}),
    });
    if (!classified.ok) {
      throw new ProblemError(400, 'INVALID_SUBJECT_CODE', classified.message, [
        { field: 'subject.code', code: classified.code, reason: classified.message },
      ]);
    }
    candidates = [...classified.candidates];
    code = classified.value;
  }

  // Each partition is read once; the code's own partition is read at once, in parallel with the
  // alias look-ups (fewer sequential round trips per check).
  const reads = new Map<string, Promise<Record<string, unknown>[]>>();
  const read = (subjectKey: string) => {
    let pending = reads.get(subjectKey);
    if (!pending) {
      pending = deps.store.subjectItems(subjectKey);
      reads.set(subjectKey, pending);
    }
    return pending;
  };
  for (const candidate of candidates) {
    const own = OWN_PARTITION[candidate.type];
    if (own) void read(`${own}${candidate.result.value}`).catch(() => undefined);
  }
  // Look-ups of possible hits start now too, in parallel with the exact ones.
  const earlyNameAliases =
    request.subject.name !== undefined
      ? deps.store.subjectKeysForAlias('NAME', nameKey(request.subject.name))
      : undefined;
  const earlyMaskedAliases = Promise.all(
    candidates
      .filter((candidate) => candidate.type === 'resident-id')
      .map(async (candidate) => ({
        id: candidate.result.value,
        aliases: await deps.store.subjectKeysForAlias('MASKEDID', maskResidentId(candidate.result.value)),
      })),
  );
  earlyNameAliases?.catch(() => undefined);
  earlyMaskedAliases.catch(() => undefined);
  const lookups = (
    await Promise.all(candidates.map((candidate) => lookupsFor(deps.store, candidate)))
  ).flat();
  const unique = [
    ...new Map(
      lookups.map((lookup) => [`${lookup.subjectKey}|${lookup.path.relation ?? ''}`, lookup]),
    ).values(),
  ];
  const views = await Promise.all(
    unique.map(async (lookup) => ({
      lookup,
      view: viewOfSubject(await read(lookup.subjectKey)),
    })),
  );

  let subject: SubjectIdentity | undefined;
  const hits: ListHit[] = [];
  const records: RecordSummary[] = [];
  for (const { lookup, view } of views) {
    hits.push(...listHits(view.listEntries, lookup.path, today, { reveal, listTypes }));
    if (lookup.path.relation) continue; // a representative's own record is not the organisation's
    subject ??= view.subject;
    records.push(...recordSummaries(view, today));
  }

  // Possible hits, never confirmed: name-only entries by normalised name, and court entries
  // published with a masked ID (4407021975****4129) found by masking the checked ID the same way —
  // a masked ID is not unique, so names are compared when the caller gave one.
  const seenSubjects = new Set(unique.map((lookup) => lookup.subjectKey));
  const seenEntries = new Set(hits.map((hit) => hit.entryId));
  const addPossible = (entry: StoredListEntry, path: MatchPath, possibleReason: string) => {
    if (seenEntries.has(entry.entryId)) return;
    seenEntries.add(entry.entryId);
    hits.push(...listHits([entry], path, today, { reveal, listTypes, possibleReason }));
  };
  const name = request.subject.name ?? subject?.name;
  // A name is shared by many people: a name-only entry is kept only if nothing known rules it out —
  // a person never matches an organisation, and a masked ID must fit the checked ID.
  const checkedIds = candidates.filter((c) => c.type === 'resident-id').map((c) => c.result.value);
  const codeKinds = new Set(candidates.map((c) => (c.type === 'resident-id' ? 'person' : 'organisation')));
  const checkedIsPerson: boolean | undefined = subject
    ? subject.kind === 'person'
    : request.subject.type
      ? request.subject.type === 'person'
      : codeKinds.size === 1
        ? codeKinds.has('person')
        : undefined;
  const mayBeTheCheckedSubject = (listed: SubjectIdentity): boolean => {
    if (checkedIsPerson !== undefined && (listed.kind === 'person') !== checkedIsPerson) return false;
    if (listed.idNumber?.includes('*') && checkedIds.length > 0) {
      return checkedIds.some((id) => maskedIdMatches(listed.idNumber!, id));
    }
    return true;
  };
  const [byName, byMaskedId] = await Promise.all([
    name !== undefined
      ? (earlyNameAliases ?? deps.store.subjectKeysForAlias('NAME', nameKey(name)))
      : Promise.resolve([]),
    earlyMaskedAliases,
  ]);
  for (const alias of byName.filter((a) => !seenSubjects.has(a.subjectKey))) {
    for (const entry of viewOfSubject(await read(alias.subjectKey)).listEntries) {
      if (!isNameOnlySubject(entry.record.subject) || name === undefined) continue;
      if (!mayBeTheCheckedSubject(entry.record.subject)) continue;
      const comparison = compareNames(name, entry.record.subject.name);
      if (!comparison.same) continue;
      addPossible(
        entry,
        { identifier: 'name', value: name },
        `${comparison.reason}; the entry carries no identifier to confirm it — verify the identity before acting on it`,
      );
    }
  }
  for (const { id, aliases } of byMaskedId) {
    const masked = maskResidentId(id);
    for (const alias of aliases.filter((a) => !seenSubjects.has(a.subjectKey))) {
      for (const entry of viewOfSubject(await read(alias.subjectKey)).listEntries) {
        const comparison = request.subject.name
          ? compareNames(request.subject.name, entry.record.subject.name)
          : undefined;
        if (comparison && !comparison.same) continue;
        addPossible(
          entry,
          { identifier: 'resident-id', value: id },
          `the list publishes the ID masked (${masked}); it matches the checked ID with the hidden digits unknown${
            comparison ? `, and ${comparison.reason}` : ', and no name was given to compare'
          } — verify the identity before acting on it`,
        );
      }
    }
  }

  const selected = matter
    ? selectMeasures(deps.catalogue, deps.catalogue.matters.get(matter.code)!, hits)
    : { measures: [], conveniences: [] };

  const checkId = deps.checkId ?? `chk-${randomUUID()}`;
  const checkedAt = now.toISOString();
  const result: CheckResult = {
    checkId,
    checkedAt,
    agencyCode: caller.agencyCode,
    request: {
      ...(code !== undefined
        ? { code: candidates.some((c) => c.type === 'resident-id') ? presentResidentId(code, reveal) : code }
        : {}),
      ...(request.subject.name
        ? {
            name:
              request.subject.type === 'person' || candidates.some((c) => c.type === 'resident-id')
                ? presentPersonName(request.subject.name, reveal)
                : request.subject.name,
          }
        : {}),
      interpretedAs: candidates.map((candidate) => candidate.type),
      ...(request.matterCode ? { matterCode: matter?.code ?? request.matterCode } : {}),
      ...(request.caseRef ? { caseRef: request.caseRef } : {}),
      ...(request.purpose ? { purpose: request.purpose } : {}),
    },
    matter,
    subject: subject ? publicSubject(subject, reveal) : null,
    personalData: access,
    hits,
    measures: selected.measures,
    conveniences: selected.conveniences,
    records: records.sort((a, b) => b.decisionDate.localeCompare(a.decisionDate)),
    summary: {
      listHits: hits.length,
      confirmedHits: hits.filter((hit) => hit.status === 'confirmed').length,
      possibleHits: hits.filter((hit) => hit.status === 'possible').length,
      redListHits: hits.filter((hit) => hit.listNature === 'red').length,
      blackListHits: hits.filter((hit) => hit.listNature === 'black').length,
      measures: selected.measures.length,
      mandatoryMeasures: selected.measures.filter((measure) => measure.mandatory).length,
      records: records.length,
    },
  };

  // A check on an open case watches the subject (自动推送); subjects with no data yet are watched too.
  // The watch, the stored check and the access log are written together (one round trip).
  const watched = [...new Set(unique.filter((lookup) => !lookup.path.relation).map((l) => l.subjectKey))];
  const writes: Promise<unknown>[] = [];
  if (request.caseRef) {
    const watchId = watchIdFor(caller.agencyCode, request.caseRef);
    for (const subjectKey of watched) {
      writes.push(
        deps.store.putItem(
          watchItem({
            agencyCode: caller.agencyCode,
            watchId,
            subjectKey,
            caseRef: request.caseRef,
            openedAt: checkedAt,
            openedBy: 'check',
            checkId,
            ...(subject && subject.key === subjectKey ? { subject } : {}),
          }),
        ),
      );
    }
  }

  const personal = involvesPersonalData(candidates, request, subject, hits);
  writes.push(
    deps.store.putItem({
      pk: keys.check(checkId),
      sk: 'CHECK',
      type: 'check',
      gsi1pk: keys.agencyListing(caller.agencyCode, 'CHECK'),
      gsi1sk: `${checkedAt}#${checkId}`,
      caller: { agencyCode: caller.agencyCode, keyId: caller.keyId, roles: [...caller.roles] },
      purpose: request.purpose ?? null,
      watchedSubjectKeys: watched,
      ...(personal ? { personalSubject: personal } : {}),
      result,
    }),
  );
  if (personal && deps.logAccess) {
    writes.push(
      deps.logAccess([
        {
          at: checkedAt,
          agencyCode: caller.agencyCode,
          keyId: caller.keyId,
          roles: [...caller.roles],
          action: 'check',
          subject: personal,
          subjectRef: subjectReference(code ?? nameKey(request.subject.name ?? '')),
          purpose: request.purpose ?? null,
          fullView: reveal,
          checkId,
        },
      ]),
    );
  }
  await Promise.all(writes);
  return result;
}

/** The masked subject when the check touches a natural person's data, else undefined. */
export function involvesPersonalData(
  candidates: readonly SubjectCodeCandidate[],
  request: CheckRequest,
  subject: SubjectIdentity | undefined,
  hits: readonly ListHit[],
): string | undefined {
  const id = candidates.find((candidate) => candidate.type === 'resident-id');
  if (id) return maskResidentId(id.result.value);
  if (
    subject?.kind === 'person' ||
    request.subject.type === 'person' ||
    hits.some((hit) => hit.subjectKind === 'person')
  ) {
    return presentPersonName(request.subject.name ?? subject?.name ?? '?', false);
  }
  return undefined;
}
