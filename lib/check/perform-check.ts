import { randomUUID } from 'node:crypto';
import type { CreditStore } from '../aws/credit-store';
import { toShanghaiDate } from '../calendar/working-days';
import type { SubjectIdentity } from '../datasets';
import { ProblemError } from '../http/problem';
import { classifySubjectCode, type SubjectCodeCandidate } from '../identifiers/classify';
import { maskPersonName, maskResidentId } from '../identifiers/mask';
import { isRecordInDisplay, type ListHit, listHits, type MatchPath, viewOfSubject } from '../matching/screen';
import { shortHash } from '../store/items';
import { keys } from '../store/keys';
import type { CheckRequest } from './request';

export interface Caller {
  readonly agencyCode: string;
  readonly keyId: string;
  readonly roles: readonly string[];
}

export interface RecordSummary {
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

export interface CheckResult {
  readonly checkId: string;
  readonly checkedAt: string;
  readonly agencyCode: string;
  readonly request: {
    readonly code: string;
    readonly interpretedAs: string[];
    readonly matterCode?: string;
    readonly caseRef?: string;
  };
  readonly subject: PublicSubject | null;
  readonly hits: ListHit[];
  readonly records: RecordSummary[];
  readonly summary: { readonly listHits: number; readonly records: number };
}

export interface PublicSubject {
  readonly name: string;
  readonly kind: SubjectIdentity['kind'];
  readonly uscc?: string;
  readonly idNumber?: string;
  readonly registrationNumber?: string;
}

/** Personal information is masked in what the API shows (names and ID numbers of natural persons). */
export function publicSubject(subject: SubjectIdentity): PublicSubject {
  if (subject.kind === 'person') {
    return {
      name: maskPersonName(subject.name),
      kind: subject.kind,
      ...(subject.idNumber ? { idNumber: maskResidentId(subject.idNumber) } : {}),
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
async function lookupsFor(store: CreditStore, candidate: SubjectCodeCandidate): Promise<Lookup[]> {
  const value = candidate.result.value;
  switch (candidate.type) {
    case 'uscc':
      return [{ subjectKey: `USCC#${value}`, path: { identifier: 'uscc', value } }];
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

/**
 * A check on an open case watches the subject: when its list status changes, the match function
 * alerts the agency (自动推送). Subjects with no data yet are watched too; that is the point.
 */
async function openWatches(
  store: CreditStore,
  caller: Caller,
  caseRef: string,
  result: CheckResult,
  lookups: readonly Lookup[],
): Promise<void> {
  const watchId = `wch-${shortHash(`${caller.agencyCode}|${caseRef}`)}`;
  const direct = lookups.filter((lookup) => !lookup.path.relation);
  await Promise.all(
    direct.map((lookup) =>
      store.putItem({
        pk: keys.subject(lookup.subjectKey),
        sk: keys.watch(caller.agencyCode, watchId),
        type: 'watch',
        status: 'open',
        watchId,
        agencyCode: caller.agencyCode,
        caseRef,
        checkId: result.checkId,
        openedAt: result.checkedAt,
      }),
    ),
  );
}

export interface CheckDependencies {
  readonly store: CreditStore;
  readonly now?: () => Date;
  readonly allowList?: ReadonlySet<string>;
}

/**
 * The one-click check: resolves the code to subjects, returns list entries in effect and records in
 * display, and stores the check (including checks that found nothing: that is the audit trail).
 */
export async function performCheck(
  deps: CheckDependencies,
  caller: Caller,
  request: CheckRequest,
): Promise<CheckResult> {
  const now = (deps.now ?? (() => new Date()))();
  const today = toShanghaiDate(now);
  const classified = classifySubjectCode(request.subject.code, {
    today: now,
    ...(deps.allowList ? { allowList: deps.allowList } : {}),
  });
  if (!classified.ok) {
    throw new ProblemError(400, 'INVALID_SUBJECT_CODE', classified.message, [
      { field: 'subject.code', code: classified.code, reason: classified.message },
    ]);
  }

  const lookups = (
    await Promise.all(classified.candidates.map((candidate) => lookupsFor(deps.store, candidate)))
  ).flat();
  const unique = [
    ...new Map(
      lookups.map((lookup) => [`${lookup.subjectKey}|${lookup.path.relation ?? ''}`, lookup]),
    ).values(),
  ];
  const views = await Promise.all(
    unique.map(async (lookup) => ({
      lookup,
      view: viewOfSubject(await deps.store.subjectItems(lookup.subjectKey)),
    })),
  );

  let subject: SubjectIdentity | undefined;
  const hits: ListHit[] = [];
  const records: RecordSummary[] = [];
  for (const { lookup, view } of views) {
    hits.push(...listHits(view.listEntries, lookup.path, today));
    if (lookup.path.relation) continue; // a representative's own record is not the organisation's
    subject ??= view.subject;
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
  }

  const result: CheckResult = {
    checkId: `chk-${randomUUID()}`,
    checkedAt: now.toISOString(),
    agencyCode: caller.agencyCode,
    request: {
      code: classified.value,
      interpretedAs: classified.candidates.map((candidate) => candidate.type),
      ...(request.matterCode ? { matterCode: request.matterCode } : {}),
      ...(request.caseRef ? { caseRef: request.caseRef } : {}),
    },
    subject: subject ? publicSubject(subject) : null,
    hits,
    records: records.sort((a, b) => b.decisionDate.localeCompare(a.decisionDate)),
    summary: { listHits: hits.length, records: records.length },
  };

  if (request.caseRef) await openWatches(deps.store, caller, request.caseRef, result, unique);

  await deps.store.putItem({
    pk: keys.check(result.checkId),
    sk: 'CHECK',
    type: 'check',
    gsi1pk: keys.agencyListing(caller.agencyCode, 'CHECK'),
    gsi1sk: `${result.checkedAt}#${result.checkId}`,
    caller: { agencyCode: caller.agencyCode, keyId: caller.keyId },
    purpose: request.purpose,
    result,
  });
  return result;
}
