import type { SubjectIdentity } from '../datasets';

/**
 * The records push (自动推送) stores and publishes, as the domain defines them. The adapters in
 * lib/aws add the table keys; nothing here knows how an item is keyed.
 */

/** credit-repaired: a record of the subject was repaired (信用修复), its publication and use stopped. */
export type AlertChange = 'hit-started' | 'hit-ended' | 'credit-repaired';

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
  /**
   * possible: the entry's person is published with a masked ID that the watched ID fits, under the
   * same name — never confirmed and never enough on its own for a binding sanction (as the check's
   * possible hits). Absent: the entry is the watched subject's own, found by its code.
   */
  readonly status?: 'possible';
  /** For possible hits: why it matched and what to verify (the check's wording, persons masked). */
  readonly possibleReason?: string;
  /** For possible hits: the subject as the entry lists it (masked ID as published, name masked). */
  readonly listedAs?: AlertSubject;
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
  /** credit-repaired alerts: the repair application and who decided it when. */
  readonly repair?: AlertRepair;
}

export interface AlertRepair {
  readonly applicationNo: string;
  readonly dataset: string;
  readonly decidedBy: string;
  readonly decidedAt: string;
}

/** One subject partition of a watch: what the match function reads beside the subject's entries. */
export interface WatchRecord {
  readonly type: 'watch';
  readonly status: 'open';
  readonly watchId: string;
  readonly agencyCode: string;
  readonly subjectKey: string;
  readonly caseRef: string;
  readonly openedAt: string;
  readonly openedBy: 'check' | 'request';
  readonly checkId?: string;
  /** Last day (Asia/Shanghai, inclusive) the watch alerts; omitted = until closed. */
  readonly until?: string;
  readonly subject: AlertSubject;
  /**
   * A watched person's name in full (ID# watches only), as the agency gave it or the platform knows
   * it: court entries published with a masked ID are matched by it. Never shown; the adapter keeps
   * it in the masked-ID index only.
   */
  readonly personName?: string;
}

/**
 * An ID# watch as the masked-ID index holds it: what re-screening a court entry published with a
 * masked ID needs to find the watched persons who may be the listed one, and to alert them.
 */
export interface PersonWatch {
  readonly watchId: string;
  readonly agencyCode: string;
  readonly caseRef: string;
  /** ID#<18-character resident ID>. */
  readonly subjectKey: string;
  readonly residentId: string;
  readonly personName: string;
  readonly until?: string;
  /** The watched subject as alerts show it (masked). */
  readonly subject: AlertSubject;
}

/** One event to put on the bus; `id` is the caller's own id (e.g. the alert id), for reporting. */
export interface OutgoingEvent {
  readonly id: string;
  readonly source: string;
  readonly detailType: string;
  readonly detail: unknown;
  readonly time?: Date;
}

export interface PublishOutcome {
  /** Ids of the events the bus accepted. */
  readonly published: string[];
  /** Events it refused or that could not be sent, with the reason. */
  readonly failed: { readonly id: string; readonly reason: string }[];
}
