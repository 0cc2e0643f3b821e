import type { Clock } from '../clock/clock';
import { listHits, viewOfSubject } from '../matching/screen';
import type { Catalogue } from '../reference/catalogue';
import { listTypeInfo, publicSubject } from './check-result';
import { SubjectNotFoundError } from './errors';
import type { SubjectReader } from './ports';
import { type RecordSummary, recordSummaries } from './records';
import { classifyCode, lookupsFor } from './subject-lookup';
import type { PublicSubject } from './types';

/**
 * GET /v1/subjects/{code}: the subject's list memberships in effect (directly and through the
 * organisations a person represents) and its records in display (withdrawn records excluded).
 */
export async function readSubject(
  deps: { subjects: SubjectReader; catalogue: Catalogue; clock: Clock },
  code: string,
  reveal: boolean,
) {
  const today = deps.clock.today();
  const classified = classifyCode(code, { today: deps.clock.now(), field: 'code' });
  const lookups = (await Promise.all(classified.candidates.map((c) => lookupsFor(deps.subjects, c)))).flat();
  const listTypes = listTypeInfo(deps.catalogue);
  let subject: PublicSubject | null = null;
  let kind: string | undefined;
  const memberships = [];
  const records: RecordSummary[] = [];
  for (const lookup of lookups) {
    const view = viewOfSubject(await deps.subjects.subjectItems(lookup.subjectKey));
    memberships.push(...listHits(view.listEntries, lookup.path, today, { reveal, listTypes }));
    if (lookup.path.relation) continue;
    if (!subject && view.subject) {
      subject = publicSubject(view.subject, reveal);
      kind = view.subject.kind;
    }
    records.push(...recordSummaries(view, today));
  }
  if (!subject && memberships.length === 0) {
    throw new SubjectNotFoundError(`no list entry or record is held for ${code}`);
  }
  return {
    code: classified.value,
    interpretedAs: classified.candidates.map((c) => c.type),
    subject,
    personal: kind === 'person' || classified.candidates.some((c) => c.type === 'resident-id'),
    memberships,
    records: records.sort((a, b) => b.decisionDate.localeCompare(a.decisionDate)),
  };
}
