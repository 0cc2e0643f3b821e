import { randomUUID } from 'node:crypto';
import type { SubjectReferencer } from '../audit/ports';
import { referenceKeyOf } from '../audit/subject-reference';
import type { Clock } from '../clock/clock';
import type { SubjectIdentity } from '../datasets';
import { normaliseReferenceCode } from '../datasets/reference';
import { type ListHit, type ListTypeInfo, listHits, viewOfSubject } from '../matching/screen';
import { type AccessDecision, personalDataAccess } from '../privacy/access';
import { watchedPersonName, watchIdFor, watchRecord } from '../push/watches';
import type { Catalogue } from '../reference/catalogue';
import { buildResult, involvesPersonalData, listTypeInfo } from './check-result';
import { MatterNotFoundError } from './errors';
import { selectMeasures } from './measures';
import type { AuditLog, CheckWriter, RecordTallies, SubjectReader, WatchWriter } from './ports';
import { possibleHits, startPossibleLookups } from './possible-hits';
import { type OverviewPorts, type RecordsOverview, recordsOverview } from './record-overview';
import type { CheckRequest } from './request';
import { classifyCode, type Lookup, PartitionReads, uniqueLookups } from './subject-lookup';
import type { Caller, CheckResult, StoredCheck } from './types';

export interface CheckDependencies {
  readonly subjects: SubjectReader;
  readonly tallies: RecordTallies;
  readonly checks: CheckWriter;
  readonly watches: WatchWriter;
  /** Receives the personal-data accesses of this check (the audit log). */
  readonly audit: AuditLog;
  /** The access log's keyed subject reference. */
  readonly referencer: SubjectReferencer;
  readonly catalogue: Catalogue;
  readonly clock: Clock;
  readonly allowList?: ReadonlySet<string>;
  /** A pre-allocated id (Idempotency-Key). */
  readonly checkId?: string;
}

/** The matter the case is about, from the credit office's catalogue; MatterNotFoundError if unknown. */
export function resolveMatter(catalogue: Catalogue, matterCode: string | undefined): CheckResult['matter'] {
  if (!matterCode) return null;
  const found = catalogue.matters.get(normaliseReferenceCode(matterCode));
  if (!found) throw new MatterNotFoundError(matterCode);
  return { code: found.code, name: found.name, department: found.department };
}

/** What the checked code identifies: its interpretations, or none when only a name was given. */
function resolveSubjectCode(deps: CheckDependencies, request: CheckRequest, today: string) {
  if (request.subject.code === undefined) return { code: undefined, candidates: [] };
  const { value, candidates } = classifyCode(request.subject.code, {
    today,
    field: 'subject.code',
    ...(deps.allowList ? { allowList: deps.allowList } : {}),
  });
  return { code: value, candidates };
}

interface Confirmed {
  readonly subject: SubjectIdentity | undefined;
  readonly hits: ListHit[];
  readonly records: RecordsOverview;
}

/**
 * Hits by an identifier, the subject and its records in display (a representative's own are not):
 * exact counts, the newest few in full; the check's records route pages the rest.
 */
async function confirmedHits(
  ports: OverviewPorts,
  partitions: PartitionReads,
  lookups: readonly Lookup[],
  options: {
    today: string;
    reveal: boolean;
    listTypes: ReadonlyMap<string, ListTypeInfo>;
    /** The name the caller gave: a hit listed under another name carries NAME_MISMATCH. */
    checkedName?: string;
  },
): Promise<Confirmed> {
  const own = ownSubjectKeys(lookups);
  const [views, records] = await Promise.all([
    Promise.all(
      lookups.map(async (lookup) => ({
        lookup,
        view: viewOfSubject(await partitions.read(lookup.subjectKey)),
      })),
    ),
    recordsOverview(ports, own, options.today),
  ]);
  let subject: SubjectIdentity | undefined;
  const hits: ListHit[] = [];
  for (const { lookup, view } of views) {
    hits.push(...listHits(view.listEntries, lookup.path, options.today, options));
    if (!lookup.path.relation) subject ??= view.subject;
  }
  return { subject: subject ?? records.subject, hits, records };
}

/** The checked subject's own partitions (not those of organisations a person represents). */
function ownSubjectKeys(lookups: readonly Lookup[]): string[] {
  return [...new Set(lookups.filter((l) => !l.path.relation).map((l) => l.subjectKey))];
}

function applicableMeasures(catalogue: Catalogue, matter: CheckResult['matter'], hits: readonly ListHit[]) {
  return matter
    ? selectMeasures(catalogue, catalogue.matters.get(matter.code)!, hits)
    : { measures: [], conveniences: [] };
}

interface Persist {
  readonly caller: Caller;
  readonly request: CheckRequest;
  readonly result: CheckResult;
  readonly lookups: readonly Lookup[];
  readonly subject: SubjectIdentity | undefined;
  /** The masked subject and its reference, when the check touched a natural person's data. */
  readonly personal: { readonly subject: string; readonly subjectRef: string } | undefined;
}

/** The watched person's name, compared with court entries published with a masked ID. */
function watchedName(subjectKey: string, given: string | undefined, subject: SubjectIdentity | undefined) {
  const known = subject && subject.key === subjectKey ? subject : undefined;
  const personName = watchedPersonName(subjectKey, given, known);
  return personName !== undefined ? { personName } : {};
}

/**
 * Stores the check (including checks that found nothing: that is the audit trail), the watch a
 * check on an open case implies (自动推送; subjects with no data yet are watched too) and the access
 * log, together.
 */
async function persistCheck(deps: CheckDependencies, input: Persist): Promise<void> {
  const { caller, request, result } = input;
  const watched = ownSubjectKeys(input.lookups);
  const caseRef = request.caseRef;
  const watchWrites = caseRef
    ? watched.map((subjectKey) =>
        deps.watches.putWatch(
          watchRecord({
            agencyCode: caller.agencyCode,
            watchId: watchIdFor(caller.agencyCode, caseRef),
            subjectKey,
            caseRef,
            openedAt: result.checkedAt,
            openedBy: 'check',
            checkId: result.checkId,
            ...(input.subject && input.subject.key === subjectKey ? { subject: input.subject } : {}),
            ...watchedName(subjectKey, request.subject.name, input.subject),
          }),
        ),
      )
    : [];
  const stored: StoredCheck = {
    checkId: result.checkId,
    checkedAt: result.checkedAt,
    caller: { agencyCode: caller.agencyCode, keyId: caller.keyId, roles: [...caller.roles] },
    purpose: request.purpose ?? null,
    watchedSubjectKeys: watched,
    ...(input.personal
      ? { personalSubject: input.personal.subject, subjectRef: input.personal.subjectRef }
      : {}),
    result,
  };
  await Promise.all([
    ...watchWrites,
    deps.checks.saveCheck(stored),
    input.personal ? deps.audit.logPersonalDataAccess([accessOf(input, input.personal)]) : undefined,
  ]);
}

function accessOf(input: Persist, personal: NonNullable<Persist['personal']>) {
  return {
    at: input.result.checkedAt,
    agencyCode: input.caller.agencyCode,
    keyId: input.caller.keyId,
    roles: [...input.caller.roles],
    action: 'check' as const,
    subject: personal.subject,
    subjectRef: personal.subjectRef,
    purpose: input.request.purpose ?? null,
    fullView: input.result.personalData.reveal,
    checkId: input.result.checkId,
  };
}

/**
 * The one-click check: resolves the code (and name) to subjects, returns list entries in effect —
 * confirmed by an identifier or possible by name only — the measures the matter attaches to those
 * lists, conveniences for red-list subjects and records in display; stores the check and logs any
 * read of personal data.
 */
export async function performCheck(
  deps: CheckDependencies,
  caller: Caller,
  request: CheckRequest,
): Promise<CheckResult> {
  const now = deps.clock.now();
  const today = deps.clock.today();
  const access: AccessDecision = personalDataAccess(caller.roles, request.purpose);
  const listTypes = listTypeInfo(deps.catalogue);
  const matter = resolveMatter(deps.catalogue, request.matterCode);
  const { code, candidates } = resolveSubjectCode(deps, request, today);

  const partitions = new PartitionReads(deps.subjects);
  partitions.prefetchOwn(candidates);
  const early = startPossibleLookups(deps.subjects, candidates, request.subject.name);
  const lookups = await uniqueLookups(deps.subjects, candidates);
  const options = { today, reveal: access.reveal, listTypes };
  const checkedName = request.subject.name;
  const confirmed = await confirmedHits(deps, partitions, lookups, {
    ...options,
    ...(checkedName !== undefined ? { checkedName } : {}),
  });
  const possible = await possibleHits(deps.subjects, partitions, early, {
    ...options,
    candidates,
    request: request.subject,
    subject: confirmed.subject,
    seenSubjects: new Set(lookups.map((lookup) => lookup.subjectKey)),
    seenEntries: new Set(confirmed.hits.map((hit) => hit.entryId)),
  });
  const hits = [...confirmed.hits, ...possible.hits];
  const selected = applicableMeasures(deps.catalogue, matter, hits);

  const result = buildResult({
    checkId: deps.checkId ?? `chk-${randomUUID()}`,
    checkedAt: now.toISOString(),
    caller,
    request,
    code,
    candidates,
    matter,
    subject: confirmed.subject,
    access,
    hits,
    ...selected,
    records: confirmed.records.newest,
    recordCounts: confirmed.records.counts,
    ...(possible.incomplete ? { possibleHitsIncomplete: possible.incomplete } : {}),
  });
  const personal = involvesPersonalData(candidates, request, confirmed.subject, hits);
  await persistCheck(deps, {
    caller,
    request,
    result,
    lookups,
    subject: confirmed.subject,
    personal: personal
      ? {
          subject: personal,
          subjectRef: await deps.referencer.reference(
            referenceKeyOf({ candidates, subjectKey: confirmed.subject?.key, name: request.subject.name }),
          ),
        }
      : undefined,
  });
  return result;
}
