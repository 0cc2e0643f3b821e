import type { CreditStore } from '../aws/credit-store';
import type { Clock } from '../clock/clock';
import { ProblemError } from '../http/problem';
import { classifySubjectCode } from '../identifiers/classify';
import { listHits, viewOfSubject } from '../matching/screen';
import type { Catalogue } from '../reference/catalogue';
import { listTypeInfo, lookupsFor, type PublicSubject, publicSubject } from './perform-check';
import { type RecordSummary, recordSummaries } from './records';

/**
 * GET /v1/subjects/{code}: the subject's list memberships in effect (directly and through the
 * organisations a person represents) and its records in display (withdrawn records excluded).
 */
export async function readSubject(
  deps: { store: CreditStore; catalogue: Catalogue; clock: Clock },
  code: string,
  reveal: boolean,
) {
  const now = deps.clock.now();
  const today = deps.clock.today();
  const classified = classifySubjectCode(code, { today: now });
  if (!classified.ok) {
    throw new ProblemError(400, 'INVALID_SUBJECT_CODE', classified.message, [
      { field: 'code', code: classified.code, reason: classified.message },
    ]);
  }
  const lookups = (await Promise.all(classified.candidates.map((c) => lookupsFor(deps.store, c)))).flat();
  const listTypes = listTypeInfo(deps.catalogue);
  let subject: PublicSubject | null = null;
  let kind: string | undefined;
  const memberships = [];
  const records: RecordSummary[] = [];
  for (const lookup of lookups) {
    const view = viewOfSubject(await deps.store.subjectItems(lookup.subjectKey));
    memberships.push(...listHits(view.listEntries, lookup.path, today, { reveal, listTypes }));
    if (lookup.path.relation) continue;
    if (!subject && view.subject) {
      subject = publicSubject(view.subject, reveal);
      kind = view.subject.kind;
    }
    records.push(...recordSummaries(view, today));
  }
  if (!subject && memberships.length === 0) {
    throw new ProblemError(404, 'SUBJECT_NOT_FOUND', `no list entry or record is held for ${code}`);
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
