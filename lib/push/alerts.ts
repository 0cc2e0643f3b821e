import type { OutgoingEvent } from '../aws/event-publisher';
import type { SubjectIdentity } from '../datasets';
import { maskPersonName, maskResidentId } from '../identifiers/mask';
import type { StoredListEntry } from '../matching/screen';
import { eventBus } from '../platform/resources';
import { type Item, shortHash } from '../store/items';
import { keys } from '../store/keys';

export type AlertChange = 'hit-started' | 'hit-ended';

/** The subject as alerts show it: natural persons' ID numbers and names masked, organisations not. */
export interface AlertSubject {
  /** The subject key with a person's ID number masked, e.g. ID#4407021975****4129. */
  readonly key: string;
  readonly kind?: SubjectIdentity['kind'];
  readonly name?: string;
}

/** The list entry an alert is about, with what a case officer needs to act on it. */
export interface AlertHit {
  readonly entryId: string;
  readonly listTypeCode: string;
  readonly listedOn?: string;
  readonly validUntil?: string | null;
  readonly removedOn?: string;
  readonly decidingDepartment?: string;
  readonly basis?: string;
  readonly reason?: string;
}

/** An alert as the API returns it and the event carries it (never an unmasked personal identifier). */
export interface Alert {
  readonly alertId: string;
  readonly agencyCode: string;
  readonly watchId: string;
  readonly caseRef?: string;
  readonly subject: AlertSubject;
  readonly hit: AlertHit;
  readonly change: AlertChange;
  /** The Asia/Shanghai day the change was screened. */
  readonly date: string;
  readonly createdAt: string;
}

/** Masks the identifying part of a subject key where it identifies a natural person. */
export function maskSubjectKey(subjectKey: string): string {
  if (subjectKey.startsWith('ID#')) return `ID#${maskResidentId(subjectKey.slice(3))}`;
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
 * The same watch, entry and change always give the same id: a redelivered list change finds the
 * alert already written and neither stores nor publishes it again.
 */
export function alertIdFor(watchId: string, entryId: string, change: AlertChange): string {
  return `alt-${shortHash(`${watchId}|${entryId}|${change}`)}`;
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

/**
 * The stored alert: listed per agency on gsi1, newest first by creation time. The raw subject key
 * and entry id stay on the item (for operators and the match function), never in API output.
 */
export function alertItem(alert: Alert, subjectKey: string): Item {
  return {
    pk: keys.alert(alert.alertId),
    sk: 'ALERT',
    type: 'alert',
    gsi1pk: keys.agencyListing(alert.agencyCode, 'ALERT'),
    gsi1sk: `${alert.createdAt}#${alert.alertId}`,
    subjectKey,
    entryId: alert.hit.entryId,
    listTypeCode: alert.hit.listTypeCode,
    ...alert,
  };
}

/** The outbox entry, in the subject partition, that stays until the alert's event is on the bus. */
export function outboxItem(alert: Alert, subjectKey: string): Item {
  return { pk: keys.subject(subjectKey), sk: keys.outbox(alert.alertId), type: 'outbox', alert };
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
  };
}

/**
 * The event on the platform bus: source joint-credit.match, detail-type credit.alert, the alert as
 * detail. Agencies' rules route on detail.agencyCode (and detail.change); detail.alertId lets a
 * consumer drop the rare repeat (publishing is at least once).
 */
export function alertEvent(alert: Alert): OutgoingEvent {
  return {
    id: alert.alertId,
    source: eventBus.source,
    detailType: eventBus.detailTypes.alert,
    detail: alert,
    time: new Date(alert.createdAt),
  };
}
