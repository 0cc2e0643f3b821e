import type { AdminLicenseRecord, AdminPenaltyRecord, CreditRecord } from '../datasets';
import type { TimelinessStatus } from '../deadlines/types';
import type { Publication, PublicationCount } from '../ingest/types';
import { licenceWithheldReason, penaltyWithheldReason, type WithheldReason } from './visibility';

/**
 * When a 双公示 record first became publicly visible, and whether that was within the 7-working-day
 * rule (国办发〔2015〕51号), which counts to publication, not to receipt.
 */

/** A record as it arrives: its content and whether the row withdraws it. */
export interface ArrivingRecord {
  readonly record: CreditRecord;
  readonly lifecycle: 'active' | 'withdrawn';
}

/** Start of a Shanghai calendar day as an ISO instant (China has no daylight saving time). */
function shanghaiDayStart(date: string): string {
  return new Date(`${date}T00:00:00+08:00`).toISOString();
}

function withheldOnArrival(
  arriving: ArrivingRecord,
  today: string,
): WithheldReason | null | 'no-publication' {
  const { record, lifecycle } = arriving;
  // As the adapter reads a stored item: the severity rules' verdict travels on the record.
  const fields = record as { readonly publishable?: unknown; readonly severity?: unknown };
  const state = {
    ...(lifecycle === 'withdrawn' ? { status: 'withdrawn' } : {}),
    ...(typeof fields.publishable === 'boolean' ? { publishable: fields.publishable } : {}),
    ...(typeof fields.severity === 'string' ? { severity: fields.severity } : {}),
  };
  if (record.dataset === 'admin-penalty')
    return penaltyWithheldReason(
      { id: '', agencyCode: '', record: record as AdminPenaltyRecord, state },
      today,
    );
  if (record.dataset === 'admin-license')
    return licenceWithheldReason(
      { id: '', agencyCode: '', record: record as AdminLicenseRecord, state },
      today,
    );
  return 'no-publication';
}

/**
 * The publication the writing of this arrival brings about, by the public view's own rules
 * (lib/disclosure/visibility.ts) on the arrival day: the arrival instant when the record is public
 * at once; the start of 有效期自 for a licence not yet valid (it turns public by the calendar, with
 * nothing written); null when the record is withheld (a natural person, withdrawn, publishable
 * false, 轻微, out of display) or is no 双公示 record.
 */
export function publicationOnArrival(
  arriving: ArrivingRecord,
  receivedAt: string,
  receivedDate: string,
): Omit<Publication, 'by'> | null {
  const reason = withheldOnArrival(arriving, receivedDate);
  if (reason === null) return { at: receivedAt, date: receivedDate };
  if (reason === 'not-yet-valid' && arriving.record.dataset === 'admin-license') {
    const from = arriving.record.validFrom;
    return { at: shanghaiDayStart(from), date: from };
  }
  return null;
}

/** A 双公示 row after its first arrival is known: what its publication depends on. */
export interface ArrivingRow extends ArrivingRecord {
  readonly dueDate: string | null;
  readonly firstArrival?: { readonly receivedAt: string; readonly publication?: Publication };
}

/**
 * The record's first publication after this arrival — the earlier one kept, else the one this
 * arrival brings about — and what the arrival adds to the statistics: a publication it made
 * (counted by timeliness), a first arrival it could not publish, or nothing (already public, or
 * already counted as withheld). A redelivered file counts the same again: `by` names the arrival.
 */
export function publicationOfArrival(
  row: ArrivingRow,
  arrival: { readonly at: string; readonly date: string },
): { publication: Publication | null; count: PublicationCount | null } {
  if (row.record.dataset !== 'admin-penalty' && row.record.dataset !== 'admin-license')
    return { publication: null, count: null };
  const earlier = row.firstArrival?.publication;
  if (earlier && earlier.by !== arrival.at) return { publication: earlier, count: null };
  const now = publicationOnArrival(row, arrival.at, arrival.date);
  if (now === null) {
    const firstArrival = (row.firstArrival?.receivedAt ?? arrival.at) === arrival.at;
    return { publication: null, count: firstArrival ? 'not-publishable' : null };
  }
  const publication = { ...now, by: arrival.at };
  return { publication, count: publicationTimeliness(row.dueDate, publication) };
}

/**
 * Publication timeliness on the record's due date (the one due-date resolver's, from the decision
 * date): on time when published on or before it, late after it, pending while the calendar of the
 * due date's year is unknown (no due date).
 */
export function publicationTimeliness(
  dueDate: string | null,
  publication: Pick<Publication, 'date'>,
): TimelinessStatus {
  if (dueDate === null) return 'pending-calendar';
  return publication.date > dueDate ? 'late' : 'on-time';
}
