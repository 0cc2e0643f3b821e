import type { AdminPenaltyRecord, ListEntryRecord } from '../datasets';
import type { RecordRef, RepairCase, RepairHistoryEntry } from './types';

/**
 * What credit repair needs from storage, object storage and the bus. The adapters
 * (lib/aws/repair-store.ts, lib/aws/repair-materials.ts) own every key shape.
 */

/** A record a case is about, as stored: its source agency decides (谁认定、谁修复). */
export interface RepairableRecord {
  readonly ref: RecordRef;
  readonly agencyCode: string;
  readonly record: AdminPenaltyRecord | ListEntryRecord;
  /** `STOPPED` once publication and use were stopped (repair, or the maximum period). */
  readonly publicationStatus?: string;
  /** `withdrawn` when the agency revoked it. */
  readonly status?: string;
}

export interface RepairRecordReader {
  /** The subject's penalty or list entry with this id, or undefined. */
  findRecord(
    subjectKey: string,
    ref: Pick<RecordRef, 'dataset' | 'recordId'>,
  ): Promise<RepairableRecord | undefined>;
}

/** What an approval does to the record, in the same transaction as the case's change. */
export interface PublicationStop {
  readonly subjectKey: string;
  readonly ref: RecordRef;
  readonly applicationNo: string;
  readonly stoppedAt: string;
  readonly decidedBy: string;
}

/** A command's Idempotency-Key and the answer it gave, stored with the change it made. */
export interface CommandClaim {
  readonly scope: string;
  readonly key: string;
  readonly bodyHash: string;
  readonly applicationNo: string;
  readonly response: unknown;
  readonly at: string;
}

export interface RepairChange {
  readonly expectedVersion: number;
  readonly after: RepairCase;
  readonly history: readonly RepairHistoryEntry[];
  readonly claim?: CommandClaim;
  readonly stop?: PublicationStop;
}

export type CreateOutcome = 'created' | 'already-open' | 'claimed';
export type CommitOutcome = 'committed' | 'conflict' | 'claimed' | 'record-missing';

export interface RepairStore {
  getCase(applicationNo: string): Promise<RepairCase | undefined>;
  history(applicationNo: string): Promise<RepairHistoryEntry[]>;
  /**
   * Stores a new case, its first history entry and its claim, and marks the record as having an
   * open application — all or nothing: `already-open` when the record has one, `claimed` when the
   * Idempotency-Key was claimed meanwhile.
   */
  createCase(created: RepairCase, history: RepairHistoryEntry, claim?: CommandClaim): Promise<CreateOutcome>;
  /**
   * Applies one command: the case at expectedVersion becomes `after`, the history entries and the
   * claim are added, the record stopped — all or nothing: `conflict` when the case changed
   * meanwhile, `claimed` when the claim exists, `record-missing` when the record to stop is gone.
   */
  commit(change: RepairChange): Promise<CommitOutcome>;
  findClaim(scope: string, key: string): Promise<CommandClaim | undefined>;
  /** Cases not yet decided, withdrawn or returned (the deadlines run reads them). */
  openCases(): Promise<RepairCase[]>;
  /** Cases newest first: all of them, or those one agency decides. */
  listCases(filter: { decidingAgency?: string; limit: number }): Promise<RepairCase[]>;
}

/** Presigned uploads of the applicant's materials. */
export interface MaterialStorage {
  uploadTarget(
    applicationNo: string,
    materialId: string,
    contentType: string,
    expiresInSeconds: number,
  ): Promise<{ readonly url: string; readonly headers: Readonly<Record<string, string>> }>;
  /** Whether the object was uploaded. */
  exists(applicationNo: string, materialId: string): Promise<boolean>;
}

/** New application numbers, secrets and material ids. */
export interface RepairIds {
  applicationNo(applicationDate: string): string;
  secret(): string;
  materialId(): string;
}

/** An open watch on the subject: its agency is told when a record of the subject is repaired. */
export interface RepairWatch {
  readonly watchId: string;
  readonly agencyCode: string;
  readonly caseRef?: string;
  /** Last day it alerts (inclusive); absent = until closed. */
  readonly until?: string;
}

export interface RepairWatchReader {
  openWatches(subjectKey: string): Promise<RepairWatch[]>;
}
