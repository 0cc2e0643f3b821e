import type { AuditLog, SubjectReferencer } from '../audit/ports';
import type { PersonalDataAccess } from '../audit/types';
import type { Caller } from '../check/types';
import type { Clock } from '../clock/clock';
import { alertFromItem } from './alerts';
import type { AgencyListing } from './ports';
import type { Alert } from './types';
import { type WatchView, watchView } from './watches';

/**
 * GET /v1/alerts and GET /v1/watches: an agency's own alerts and watches, one page at a time. A page
 * that shows natural persons (masked as they are) is a read of personal data like any other: one
 * access-log entry per person on it, with the same keyed reference as the person's checks.
 */

export interface ListingDependencies {
  readonly listing: AgencyListing;
  readonly audit: AuditLog;
  readonly referencer: SubjectReferencer;
  readonly clock: Clock;
}

export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string;
}

/** The subject as an alert or watch shows it (masked already). */
interface ShownSubject {
  readonly key: string;
  readonly kind?: string | undefined;
  readonly name?: string | undefined;
}

/** A natural person's partition: a resident ID, another document, or a court's masked ID with name. */
const PERSON_KEY = /^(ID|DOC|MASKED)#/;

function showsPerson(subjectKey: unknown, subject: ShownSubject | undefined): subjectKey is string {
  if (typeof subjectKey !== 'string') return false;
  return subject?.kind === 'person' || (subject?.kind === undefined && PERSON_KEY.test(subjectKey));
}

/** As checks log a person: the masked ID when the key is one, else the masked name. */
function maskedSubject(subject: ShownSubject): string {
  if (subject.key.startsWith('ID#')) return subject.key.slice(3);
  return subject.name ?? subject.key;
}

/** One entry per person the page shows (a person on several items of the page is one read). */
async function logPage(
  deps: ListingDependencies,
  caller: Caller,
  action: PersonalDataAccess['action'],
  shown: readonly { subjectKey: string; subject: ShownSubject }[],
): Promise<void> {
  const bySubject = new Map(shown.map((item) => [item.subjectKey, item.subject]));
  if (bySubject.size === 0) return;
  const at = deps.clock.now().toISOString();
  const entries = await Promise.all(
    [...bySubject].map(
      async ([subjectKey, subject]): Promise<PersonalDataAccess> => ({
        at,
        agencyCode: caller.agencyCode,
        keyId: caller.keyId,
        roles: [...caller.roles],
        action,
        subject: maskedSubject(subject),
        subjectRef: await deps.referencer.reference(subjectKey),
        purpose: null,
        fullView: false,
      }),
    ),
  );
  await deps.audit.logPersonalDataAccess(entries);
}

function personsOn(
  items: readonly Record<string, unknown>[],
  subjectOf: (item: Record<string, unknown>) => ShownSubject,
) {
  return items.flatMap((item) => {
    const subject = subjectOf(item);
    return showsPerson(item.subjectKey, subject) ? [{ subjectKey: item.subjectKey as string, subject }] : [];
  });
}

/** One page of the caller's alerts, newest first; logged when it shows a person. */
export async function listAlerts(
  deps: ListingDependencies,
  caller: Caller,
  page: PageRequest,
): Promise<{ items: Alert[]; nextCursor?: string }> {
  const result = await deps.listing.listForAgency(caller.agencyCode, 'ALERT', { ...page, newestFirst: true });
  const items = result.items.map(alertFromItem);
  await logPage(
    deps,
    caller,
    'read-alerts',
    personsOn(result.items, (item) => alertFromItem(item).subject),
  );
  return { items, ...(result.nextCursor ? { nextCursor: result.nextCursor } : {}) };
}

/** One page of the caller's watches, by watch id; logged when it shows a person. */
export async function listWatches(
  deps: ListingDependencies,
  caller: Caller,
  page: PageRequest,
): Promise<{ items: WatchView[]; nextCursor?: string }> {
  const today = deps.clock.today();
  const result = await deps.listing.listForAgency(caller.agencyCode, 'WATCH', {
    ...page,
    newestFirst: false,
  });
  const items = result.items.map((item) => watchView(item, today));
  await logPage(
    deps,
    caller,
    'read-watches',
    personsOn(result.items, (item) => watchView(item, today).subject),
  );
  return { items, ...(result.nextCursor ? { nextCursor: result.nextCursor } : {}) };
}
