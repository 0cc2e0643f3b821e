import type { SubjectIdentity } from '../datasets';
import { maskPersonName, maskResidentId } from '../identifiers/mask';
import type { StoredListEntry } from '../matching/screen';
import { eventBus } from '../platform/resources';
import { maskPersonalData, type PersonalValues } from '../privacy/mask-personal';
import { stableDigest } from './ids';
import type { Alert, AlertChange, AlertHit, AlertSubject, OutgoingEvent } from './types';

export type { Alert, AlertChange, AlertHit, AlertSubject } from './types';

/**
 * Masks the identifying part of a subject key where it identifies a natural person. A court's
 * masked ID (MASKED#4407021975****4129#张三) is shown as published, its name masked (张*).
 */
export function maskSubjectKey(subjectKey: string): string {
  if (subjectKey.startsWith('ID#')) return `ID#${maskResidentId(subjectKey.slice(3))}`;
  if (subjectKey.startsWith('MASKED#')) {
    const [, maskedId = '', ...name] = subjectKey.split('#');
    return `MASKED#${maskedId}#${maskPersonName(name.join('#'))}`;
  }
  if (subjectKey.startsWith('DOC#')) {
    const [, type = '', number = ''] = subjectKey.split('#');
    const shown = number.slice(-4);
    return `DOC#${type}#${'*'.repeat(Math.max(0, number.length - shown.length))}${shown}`;
  }
  return subjectKey;
}

export function alertSubject(subjectKey: string, identity: SubjectIdentity | undefined): AlertSubject {
  if (!identity) return { key: maskSubjectKey(subjectKey) };
  return {
    key: maskSubjectKey(subjectKey),
    kind: identity.kind,
    name: identity.kind === 'person' ? maskPersonName(identity.name) : identity.name,
  };
}

export function alertHit(entryId: string, entry: StoredListEntry | undefined): AlertHit {
  if (!entry) return { entryId, listTypeCode: 'unknown' };
  const record = entry.record;
  return {
    entryId,
    listTypeCode: record.listTypeCode,
    listedOn: record.listedOn,
    validUntil: record.validUntil,
    ...(record.removedOn !== undefined ? { removedOn: record.removedOn } : {}),
    decidingDepartment: record.decidingDepartment,
    basis: record.basis,
    reason: record.reason,
  };
}

/**
 * A court entry published with a masked ID, as a *possible* hit of a watched person: why it matched
 * and what to verify, and the subject as the entry lists it. The person's names and IDs are masked
 * in every field (the court's free text included), as the check masks its possible hits.
 */
export function possibleAlertHit(
  entryId: string,
  entry: StoredListEntry | undefined,
  possible: { readonly reason: string; readonly listedAs: AlertSubject; readonly personal: PersonalValues },
): AlertHit {
  const hit: AlertHit = {
    ...alertHit(entryId, entry),
    status: 'possible',
    possibleReason: possible.reason,
    listedAs: possible.listedAs,
  };
  return maskPersonalData(hit, possible.personal);
}

/**
 * The same watch, entry and change always give the same id: a redelivered list change finds the
 * alert already written and neither stores nor publishes it again.
 */
export function alertIdFor(watchId: string, entryId: string, change: AlertChange): string {
  return `alt-${stableDigest(`${watchId}|${entryId}|${change}`)}`;
}

export interface WatchRef {
  readonly watchId: string;
  readonly agencyCode: string;
  readonly caseRef?: string;
}

export interface AlertChangeInput {
  readonly watch: WatchRef;
  readonly subjectKey: string;
  readonly subject: AlertSubject;
  readonly hit: AlertHit;
  readonly change: AlertChange;
  readonly date: string;
  readonly createdAt: string;
}

export function buildAlert(input: AlertChangeInput): Alert {
  return {
    alertId: alertIdFor(input.watch.watchId, input.hit.entryId, input.change),
    agencyCode: input.watch.agencyCode,
    watchId: input.watch.watchId,
    ...(input.watch.caseRef ? { caseRef: input.watch.caseRef } : {}),
    subject: input.subject,
    hit: input.hit,
    change: input.change,
    date: input.date,
    createdAt: input.createdAt,
  };
}

/** What an alert item (or its outbox entry) holds, in API form. */
export function alertFromItem(item: Record<string, unknown>): Alert {
  if (item.type === 'outbox') return item.alert as Alert;
  const field = <T>(name: keyof Alert) => item[name] as T;
  return {
    alertId: field('alertId'),
    agencyCode: field('agencyCode'),
    watchId: field('watchId'),
    ...(item.caseRef ? { caseRef: field<string>('caseRef') } : {}),
    subject: field('subject'),
    hit: field('hit'),
    change: field('change'),
    date: field('date'),
    createdAt: field('createdAt'),
    ...(item.repair ? { repair: field<Alert['repair']>('repair') } : {}),
  };
}

/**
 * The event on the platform bus: source joint-credit.match, detail-type credit.alert (credit.repaired
 * for a repaired record), the alert as
 * detail. Agencies' rules route on detail.agencyCode (and detail.change); detail.alertId lets a
 * consumer drop the rare repeat (publishing is at least once).
 */
export function alertEvent(alert: Alert): OutgoingEvent {
  return {
    id: alert.alertId,
    source: eventBus.source,
    detailType:
      alert.change === 'credit-repaired' ? eventBus.detailTypes.repaired : eventBus.detailTypes.alert,
    detail: alert,
    time: new Date(alert.createdAt),
  };
}
