import type { AuditLog } from '../audit/ports';
import type { WatchRecord } from '../push/types';
import type { StoredCheck, StoredFeedback } from './types';

/**
 * Ports of the check area: the narrow interfaces the use cases are written against. lib/aws
 * implements them against the credit table; the unit tests implement them in memory.
 */

/** Identifiers other than a subject's own code that lead to it. */
export type SubjectAliasKind = 'ORG' | 'REG' | 'LEGALREP' | 'NAME' | 'MASKEDID';

export interface SubjectAlias {
  readonly subjectKey: string;
  readonly relation?: string;
}

/** Reads subjects: the partitions an alias leads to, and everything stored about one subject. */
export interface SubjectReader {
  subjectKeysForAlias(kind: SubjectAliasKind, value: string): Promise<SubjectAlias[]>;
  subjectItems(subjectKey: string): Promise<Record<string, unknown>[]>;
}

export interface CheckWriter {
  saveCheck(check: StoredCheck): Promise<void>;
}

export interface CheckReader {
  getCheck(checkId: string): Promise<StoredCheck | undefined>;
}

/** Opens the watch a check on a case implies (the same store as POST /v1/watches). */
export interface WatchWriter {
  putWatch(watch: WatchRecord): Promise<void>;
}

/** The personal-data access log (查询使用登记), declared with the log in lib/audit. */
export type { AuditLog };

export interface FeedbackStore {
  getFeedback(checkId: string): Promise<StoredFeedback | undefined>;
  feedbackHistory(checkId: string): Promise<StoredFeedback[]>;
  /** Stores the latest feedback and a history entry of it. */
  putFeedback(checkId: string, feedback: StoredFeedback): Promise<void>;
}
