import type { AuditLog, SubjectReferencer } from '../audit/ports';
import { referenceKeyOf } from '../audit/subject-reference';
import type { Clock } from '../clock/clock';
import type { SubjectIdentity } from '../datasets';
import type { SubjectCodeCandidate } from '../identifiers/classify';
import { maskResidentId } from '../identifiers/mask';
import { listHits, viewOfSubject } from '../matching/screen';
import { personalDataAccess } from '../privacy/access';
import { maskPersonalData } from '../privacy/mask-personal';
import type { Catalogue } from '../reference/catalogue';
import { listTypeInfo, publicSubject } from './check-result';
import { SubjectNotFoundError } from './errors';
import type { RecordTallies, SubjectReader } from './ports';
import { recordsOverview } from './record-overview';
import { classifyCode, lookupsFor } from './subject-lookup';
import type { Caller, PublicSubject } from './types';

/**
 * GET /v1/subjects/{code}: the subject's list memberships in effect (directly and through the
 * organisations a person represents) and its records in display (withdrawn records excluded): all
 * counted, the newest few in full (a check on the subject pages them all).
 */
export async function readSubject(
  deps: { subjects: SubjectReader; tallies: RecordTallies; catalogue: Catalogue; clock: Clock },
  code: string,
  reveal: boolean,
) {
  const today = deps.clock.today();
  const classified = classifyCode(code, { today: deps.clock.today(), field: 'code' });
  const lookups = (await Promise.all(classified.candidates.map((c) => lookupsFor(deps.subjects, c)))).flat();
  const listTypes = listTypeInfo(deps.catalogue);
  let subject: PublicSubject | null = null;
  let identity: SubjectIdentity | undefined;
  const memberships = [];
  const own = [...new Set(lookups.filter((l) => !l.path.relation).map((l) => l.subjectKey))];
  const records = await recordsOverview(deps, own, today);
  for (const lookup of lookups) {
    const view = viewOfSubject(await deps.subjects.listEntryItems(lookup.subjectKey));
    memberships.push(...listHits(view.listEntries, lookup.path, today, { reveal, listTypes }));
    if (lookup.path.relation) continue;
    const found = view.subject ?? records.subject;
    if (!subject && found) {
      subject = publicSubject(found, reveal);
      identity = found;
    }
  }
  if (!subject && memberships.length === 0) {
    throw new SubjectNotFoundError(`no list entry or record is held for ${code}`);
  }
  const personal = personOf(classified.candidates, identity);
  const body = {
    code: classified.value,
    interpretedAs: classified.candidates.map((c) => c.type),
    subject,
    memberships,
    records: records.newest,
    recordsInDisplay: {
      total: records.counts.total,
      penalties: records.counts.byDataset['admin-penalty'],
      licences: records.counts.byDataset['admin-license'],
      inResult: records.newest.length,
    },
  };
  return {
    // The code as the caller typed it is the person's ID: masked with the rest of the view.
    body: personal && !reveal ? maskPersonalData(body, personal.values) : body,
    personal,
  };
}

/** The natural person a subject read shows, if any: what to mask and what the access log keeps. */
function personOf(candidates: readonly SubjectCodeCandidate[], identity: SubjectIdentity | undefined) {
  const id = candidates.find((candidate) => candidate.type === 'resident-id')?.result.value;
  if (!id && identity?.kind !== 'person') return undefined;
  return {
    values: { ids: [id, identity?.idNumber], names: [identity?.name] },
    masked: id ? maskResidentId(id) : publicSubject(identity!, false).name,
    referenceKey: referenceKeyOf({ candidates, subjectKey: identity?.key }),
  };
}

export interface SubjectReadDependencies {
  readonly subjects: SubjectReader;
  readonly tallies: RecordTallies;
  readonly catalogue: Catalogue;
  readonly clock: Clock;
  readonly audit: AuditLog;
  readonly referencer: SubjectReferencer;
}

/**
 * GET /v1/subjects/{code} for a caller: masked unless role and purpose allow, and a read of a natural
 * person logged with the person masked and referenced (never the ID, even when shown in full).
 */
export async function readSubjectFor(
  deps: SubjectReadDependencies,
  caller: Caller,
  code: string,
  purpose: string | undefined,
) {
  const access = personalDataAccess(caller.roles, purpose);
  const { body, personal } = await readSubject(deps, code, access.reveal);
  if (personal) {
    await deps.audit.logPersonalDataAccess([
      {
        at: deps.clock.now().toISOString(),
        agencyCode: caller.agencyCode,
        keyId: caller.keyId,
        roles: [...caller.roles],
        action: 'read-subject',
        subject: personal.masked,
        subjectRef: await deps.referencer.reference(personal.referenceKey),
        purpose: purpose ?? null,
        fullView: access.reveal,
      },
    ]);
  }
  return { ...body, personalData: access };
}
