import type { SubjectIdentity } from '../datasets';
import type { SubjectCodeCandidate } from '../identifiers/classify';
import { maskResidentId } from '../identifiers/mask';
import type { ListHit, ListTypeInfo } from '../matching/screen';
import { type AccessDecision, presentPersonName, presentResidentId } from '../privacy/access';
import { maskPersonalData, type PersonalValues } from '../privacy/mask-personal';
import type { Catalogue } from '../reference/catalogue';
import type { ApplicableMeasure, Convenience } from './measures';
import type { RecordCounts, RecordSummary } from './records';
import type { CheckRequest } from './request';
import type { Caller, CheckResult, PublicSubject } from './types';

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

export function listTypeInfo(catalogue: Catalogue): ReadonlyMap<string, ListTypeInfo> {
  return new Map([...catalogue.listTypes.values()].map((listType) => [listType.code, listType]));
}

/** The request as the result echoes it: a person's code and name masked unless allowed. */
function echoedRequest(
  request: CheckRequest,
  code: string | undefined,
  candidates: readonly SubjectCodeCandidate[],
  matter: CheckResult['matter'],
  reveal: boolean,
): CheckResult['request'] {
  const isId = candidates.some((c) => c.type === 'resident-id');
  const name = request.subject.name;
  return {
    ...(code !== undefined ? { code: isId ? presentResidentId(code, reveal) : code } : {}),
    ...(name
      ? {
          name: request.subject.type === 'person' || isId ? presentPersonName(name, reveal) : name,
        }
      : {}),
    interpretedAs: candidates.map((candidate) => candidate.type),
    ...(request.matterCode ? { matterCode: matter?.code ?? request.matterCode } : {}),
    ...(request.caseRef ? { caseRef: request.caseRef } : {}),
    ...(request.purpose ? { purpose: request.purpose } : {}),
  };
}

function summaryOf(hits: readonly ListHit[], measures: readonly ApplicableMeasure[], records: number) {
  return {
    listHits: hits.length,
    confirmedHits: hits.filter((hit) => hit.status === 'confirmed').length,
    possibleHits: hits.filter((hit) => hit.status === 'possible').length,
    redListHits: hits.filter((hit) => hit.listNature === 'red').length,
    blackListHits: hits.filter((hit) => hit.listNature === 'black').length,
    measures: measures.length,
    mandatoryMeasures: measures.filter((measure) => measure.mandatory).length,
    records,
  };
}

export interface ResultParts {
  readonly checkId: string;
  readonly checkedAt: string;
  readonly caller: Caller;
  readonly request: CheckRequest;
  readonly code: string | undefined;
  readonly candidates: readonly SubjectCodeCandidate[];
  readonly matter: CheckResult['matter'];
  readonly subject: SubjectIdentity | undefined;
  readonly access: AccessDecision;
  readonly hits: ListHit[];
  readonly measures: ApplicableMeasure[];
  readonly conveniences: Convenience[];
  /** The newest records in display (at most RECORDS_IN_RESULT). */
  readonly records: RecordSummary[];
  /** All records in display, counted. */
  readonly recordCounts: RecordCounts;
  readonly possibleHitsIncomplete?: CheckResult['possibleHitsIncomplete'];
}

/** Where a check's records are paged in full. */
export function checkRecordsPath(checkId: string): string {
  return `/v1/checks/${encodeURIComponent(checkId)}/records`;
}

export function buildResult(parts: ResultParts): CheckResult {
  const reveal = parts.access.reveal;
  const records = [...parts.records].sort((a, b) => b.decisionDate.localeCompare(a.decisionDate));
  const result: CheckResult = {
    checkId: parts.checkId,
    checkedAt: parts.checkedAt,
    agencyCode: parts.caller.agencyCode,
    request: echoedRequest(parts.request, parts.code, parts.candidates, parts.matter, reveal),
    matter: parts.matter,
    subject: parts.subject ? publicSubject(parts.subject, reveal) : null,
    personalData: parts.access,
    hits: parts.hits,
    measures: parts.measures,
    conveniences: parts.conveniences,
    records,
    recordsInDisplay: {
      total: parts.recordCounts.total,
      penalties: parts.recordCounts.byDataset['admin-penalty'],
      licences: parts.recordCounts.byDataset['admin-license'],
      inResult: records.length,
      href: checkRecordsPath(parts.checkId),
    },
    summary: summaryOf(parts.hits, parts.measures, parts.recordCounts.total),
    ...(parts.possibleHitsIncomplete ? { possibleHitsIncomplete: parts.possibleHitsIncomplete } : {}),
  };
  return reveal ? result : maskPersonalData(result, checkedPerson(parts));
}

/**
 * The person the check is about, when it is about one: the name and code the caller sent (a name
 * with no type is a person's once it finds one) and the subject found, masked wherever the result
 * quotes them.
 */
function checkedPerson(parts: ResultParts): PersonalValues {
  const { request, candidates, subject, hits } = parts;
  if (!involvesPersonalData(candidates, request, subject, hits)) return {};
  const person = subject?.kind === 'person' ? subject : undefined;
  const ids = candidates.filter((c) => c.type === 'resident-id').map((c) => c.result.value);
  const orgCode = candidates.length > 0 && ids.length === 0;
  return {
    names: [orgCode ? undefined : request.subject.name, person?.name],
    ids: [...ids, person?.idNumber],
  };
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
