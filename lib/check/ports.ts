import type { AuditLog } from '../audit/ports';
import type { Page } from '../paging/cursor';
import type { WatchRecord } from '../push/types';
import type { RecordTally, StoredRecordTally } from './record-tally-types';
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

/** One current 双公示 record of a subject (never one of its versions). */
export interface RecordRef {
  readonly subjectKey: string;
  readonly dataset: 'admin-penalty' | 'admin-license';
  readonly recordId: string;
}

/**
 * Reads subjects: the partitions an alias leads to, and what one subject partition holds — read in
 * parts, because a subject may have thousands of records (each with its versions) and a check must
 * stay fast for it.
 */
export interface SubjectReader {
  /** The subjects an alias leads to, in key order; at most `limit` of them when given. */
  subjectKeysForAlias(kind: SubjectAliasKind, value: string, limit?: number): Promise<SubjectAlias[]>;
  /** The list entries stored for a subject (not its records, their versions, watches or alerts). */
  listEntryItems(subjectKey: string): Promise<Record<string, unknown>[]>;
  /**
   * Every current 双公示 record of a subject, as digests: `type`, `recordId`, `status`,
   * `displayStatus` and the record's `decisionDate`, `severity`, `displayUntil`, `validUntil` and
   * `status` — what display and order need, not the record's text.
   */
  recordDigests(
    subjectKey: string,
    options?: { readonly consistent?: boolean },
  ): Promise<Record<string, unknown>[]>;
  /** The current record items behind these references, in full (in no particular order). */
  recordItems(refs: readonly RecordRef[]): Promise<Record<string, unknown>[]>;
}

/**
 * The record tallies of subject partitions (docs/check.md, Heavy subjects). A port of its own: only
 * reading a subject's records in display (a check, a subject view, a new watch) uses it.
 */
export interface RecordTallies {
  /**
   * The subject's stored record tally (if any) and the token the last writer of one of its records
   * left (null if none did): the tally is current when it was computed after that token.
   */
  recordTally(subjectKey: string): Promise<{ tally: StoredRecordTally | undefined; changed: string | null }>;
  /**
   * Stores a tally computed from digests read consistently after the token `basedOn` was read; stores
   * nothing and answers false when a record changed since (the token is no longer `basedOn`).
   */
  saveRecordTally(subjectKey: string, tally: RecordTally, basedOn: string | null): Promise<boolean>;
}

/** Pages through the current 双公示 record items of some subjects. */
export interface RecordPages {
  /**
   * One page of at most `limit` current record items of these subjects, in a stable order (subject
   * by subject, then by key); InvalidCursorError for a cursor this listing did not issue.
   */
  recordItemsPage(
    subjectKeys: readonly string[],
    options: { readonly limit: number; readonly cursor?: string },
  ): Promise<Page<Record<string, unknown>>>;
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
