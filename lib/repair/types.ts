import type { SubjectIdentity } from '../datasets';
import type { RepairDataset } from './rules';

/**
 * The records of credit repair (信用修复) as the domain defines them. The adapter
 * (lib/aws/repair-store.ts) adds the table keys; nothing here knows how an item is keyed.
 */

/**
 * The states of law-and-workflows §1: DRAFT → SUBMITTED → (RETURNED_INCOMPLETE | ACCEPTED) →
 * FORWARDED_TO_AUTHORITY → (EXTENDED →) (APPROVED → PUBLICATION_STOPPED | DENIED); WITHDRAWN by the
 * applicant before a decision. APPROVED is recorded in the history; the platform stops publication
 * in the same command, so a case rests in PUBLICATION_STOPPED. SYNCED (upward exchange) is not kept
 * here: the `credit.repair.decided` event is its hook.
 */
export const repairStatuses = [
  'DRAFT',
  'SUBMITTED',
  'RETURNED_INCOMPLETE',
  'ACCEPTED',
  'FORWARDED_TO_AUTHORITY',
  'EXTENDED',
  'APPROVED',
  'DENIED',
  'PUBLICATION_STOPPED',
  'WITHDRAWN',
] as const;
export type RepairStatus = (typeof repairStatuses)[number];

/** States in which the case is still open (deadlines apply). */
export const OPEN_STATUSES: ReadonlySet<RepairStatus> = new Set([
  'SUBMITTED',
  'ACCEPTED',
  'FORWARDED_TO_AUTHORITY',
  'EXTENDED',
]);

export const repairChannels = ['public-portal', 'credit-china', 'window'] as const;
export type RepairChannel = (typeof repairChannels)[number];

export const materialKinds = ['commitment', 'evidence', 'power-of-attorney'] as const;
export type MaterialKind = (typeof materialKinds)[number];

export interface RecordRef {
  readonly dataset: RepairDataset;
  readonly recordId: string;
  /** List entries only: their list type (part of the stored key). */
  readonly listTypeCode?: string;
}

/** A document the applicant uploads (信用承诺书, proof of performance, power of attorney). */
export interface RepairMaterial {
  readonly materialId: string;
  readonly kind: MaterialKind;
  readonly fileName: string;
  readonly contentType: string;
  readonly requestedAt: string;
}

/** Who did something: an agency's key, or the applicant holding the application secret. */
export type Actor =
  | { readonly kind: 'applicant' }
  | {
      readonly kind: 'agency';
      readonly agencyCode: string;
      readonly keyId: string;
      readonly roles: readonly string[];
    };

/** One entry of the case's history: every state change and every recorded act, never edited. */
export interface RepairHistoryEntry {
  readonly seq: number;
  readonly at: string;
  readonly action: string;
  readonly from: RepairStatus | null;
  readonly to: RepairStatus;
  readonly by: Actor;
  readonly reason?: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export interface RepairExtension {
  readonly at: string;
  readonly by: string;
  readonly reason: string;
  readonly workingDays: number;
  readonly until: string;
}

/** The subject as a case shows it: the key masked where it identifies a natural person. */
export interface RepairSubject {
  readonly key: string;
  readonly name?: string;
  readonly kind?: SubjectIdentity['kind'];
}

export interface RepairCase {
  readonly applicationNo: string;
  /** SHA-256 of the application secret (the secret itself stays only in the day-long Idempotency-Key claim). */
  readonly secretHash: string;
  readonly version: number;
  readonly status: RepairStatus;
  /** The raw subject key (for the record and the watchers); views show `subject`. */
  readonly subjectKey: string;
  readonly subject: RepairSubject;
  readonly recordRef: RecordRef;
  /** Copied from the record at application. */
  readonly recordSeverity: string | null;
  readonly minEligibleDate: string;
  /** 谁认定、谁修复: the agency that reported the record decides. */
  readonly decidingAgency: string;
  /** The credit office that takes the case in and is alerted when it is overdue. */
  readonly intakeAgency: string;
  readonly applicantRole: 'subject' | 'agent';
  readonly applicantName: string;
  readonly applicantContact: string;
  readonly channel: RepairChannel;
  /** The rule set in force on the application date, kept for the life of the case. */
  readonly ruleSet: string;
  readonly applicationDate: string;
  readonly createdAt: string;
  readonly materials: readonly RepairMaterial[];
  readonly submittedAt?: string;
  readonly acceptDueAt?: string;
  readonly acceptedAt?: string;
  readonly forwardedAt?: string;
  readonly authorityDecisionDueAt?: string;
  readonly applicantReplyDueAt?: string;
  readonly extensions: readonly RepairExtension[];
  readonly extendedUntil?: string;
  readonly decision?: 'APPROVED' | 'DENIED';
  readonly decisionReason?: string;
  readonly decisionBy?: string;
  readonly decidedAt?: string;
  readonly publicationStoppedAt?: string;
  readonly returnReason?: string;
  readonly closedAt?: string;
}
