import type { FieldCorrections } from '../lifecycle/objection-corrections';
/**
 * The objection (异议) records: what a subject (or the credit office for it) claims is wrong in a
 * published record, and how the claim moves through the platform and the source agency
 * (law-and-workflows §1). No I/O here.
 */

/**
 * Records an objection may name: the 双公示 records, and red / black list entries (answered by the
 * list authority, 认定机构, that reported them).
 */
export const objectableDatasets = ['admin-penalty', 'admin-license', 'list-entry'] as const;
export type ObjectableDataset = (typeof objectableDatasets)[number];

/**
 * SUBMITTED (filed, record marked) → RETURNED (not accepted) | PLATFORM_CHECK (accepted) →
 * FORWARDED_TO_SOURCE (协查) → CLOSED with an outcome. The platform may close it itself after its
 * check (CORRECTED_BY_PLATFORM); the subject may withdraw it while it is open.
 */
export const objectionStatuses = [
  'SUBMITTED',
  'PLATFORM_CHECK',
  'FORWARDED_TO_SOURCE',
  'RETURNED',
  'CLOSED',
] as const;
export type ObjectionStatus = (typeof objectionStatuses)[number];

export const objectionOutcomes = [
  'CORRECTED_BY_PLATFORM',
  'CORRECTED',
  'UPHELD',
  'UNRESOLVED',
  'WITHDRAWN',
] as const;
export type ObjectionOutcome = (typeof objectionOutcomes)[number];

/** How the objection reached the platform: online by the subject, or registered by the credit office. */
export const objectionChannels = ['online', 'window', 'credit-china-forward'] as const;
export type ObjectionChannel = (typeof objectionChannels)[number];

export interface RecordRef {
  readonly dataset: ObjectableDataset;
  /** The record id (a list entry's entry id). */
  readonly recordId: string;
  /** List entries only: their list type (part of the stored key); the store fills it in. */
  readonly listTypeCode?: string;
}

export interface ObjectionClaim {
  /** The record's field, by its internal key (e.g. `facts`); `fieldLabel` is its national code. */
  readonly field: string;
  readonly fieldLabel: string;
  readonly currentValue: string;
  readonly assertedValue: string;
}

export interface ObjectionContact {
  readonly name: string;
  readonly phone?: string;
  readonly email?: string;
}

/** Who did something: the subject (through its secret), or an agency's API key. */
export type ObjectionActor =
  | { readonly kind: 'subject' }
  | { readonly kind: 'agency'; readonly agencyCode: string; readonly keyId: string };

/** A correction applied to the record: the new version carries `value`; the old version is kept. */
export interface AppliedCorrection {
  readonly field: string;
  readonly previousValue: unknown;
  readonly value: string | number;
  readonly correctedAt: string;
}

export interface Objection {
  /** The application number the filer follows the objection with (YY-<date>-<random>). */
  readonly objectionId: string;
  readonly subjectKey: string;
  readonly recordRef: RecordRef;
  /** The agency that reported the record: it answers the objection (谁认定、谁修复). */
  readonly sourceAgency: string;
  readonly claim: ObjectionClaim;
  readonly evidence: string;
  readonly contact: ObjectionContact;
  readonly channel: ObjectionChannel;
  readonly filedBy: ObjectionActor;
  /** SHA-256 of the filer's secret; the secret itself is never stored. */
  readonly secretHash: string;
  readonly status: ObjectionStatus;
  readonly outcome?: ObjectionOutcome;
  readonly receivedAt: string;
  readonly receivedOn: string;
  readonly acceptDueDate: string;
  readonly acceptedOn?: string;
  readonly platformCheckDueDate?: string;
  readonly forwardedOn?: string;
  readonly forwardedTo?: string;
  readonly sourceReplyDueDate?: string;
  readonly closedOn?: string;
  /** Why it was returned, upheld, left unresolved or corrected, as the deciding side wrote it. */
  readonly reason?: string;
  readonly correction?: AppliedCorrection;
  /** The record carries the objection mark (set when filed, cleared when closed or returned). */
  readonly markApplied: boolean;
  /** The config/objections.json version whose limits set the due dates. */
  readonly rulesVersion: string;
  /** Optimistic concurrency: every stored change adds one. */
  readonly version: number;
}

/** One entry of an objection's history: written once, never changed. */
export interface ObjectionEvent {
  readonly objectionId: string;
  readonly at: string;
  readonly action: ObjectionAction;
  readonly from: ObjectionStatus | null;
  readonly to: ObjectionStatus;
  readonly actor: ObjectionActor;
  readonly outcome?: ObjectionOutcome;
  readonly reason?: string;
}

export type ObjectionAction =
  | 'file'
  | 'register'
  | 'accept'
  | 'return'
  | 'forward'
  | 'resolve'
  | 'answer'
  | 'withdraw';

/** The record an objection names, as the workflow needs it. */
export interface ObjectedRecord {
  readonly subjectKey: string;
  readonly ref: RecordRef;
  readonly agencyCode: string;
  readonly record: Readonly<Record<string, unknown>>;
  /** Objections open on the record now (the mark is on while this is not empty). */
  readonly openObjections: readonly string[];
  /** Fields corrected by earlier objections and still in force (a re-submission keeps them). */
  readonly corrections?: FieldCorrections;
}
