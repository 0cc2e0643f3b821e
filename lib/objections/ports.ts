import type { StoredCalendarDay } from '../calendar/calendar';
import type { FieldCorrections } from '../lifecycle/objection-corrections';
import type { ObjectedRecord, Objection, ObjectionEvent, RecordRef } from './types';

/**
 * Ports of the objection workflow. lib/aws/objection-store.ts implements them against the credit
 * table; the unit tests implement them in memory.
 */

/** A command's first answer, kept so that a retry with the same Idempotency-Key gets it again. */
export interface StoredCommand {
  /** Whose keys: `public`, or `<agency>#<keyId>`; with the key's hash it names the command. */
  readonly scope: string;
  readonly keyHash: string;
  readonly bodyHash: string;
  readonly objectionId: string;
  readonly response: unknown;
  /** The filer's secret sealed with the Idempotency-Key (public filing only); never in clear. */
  readonly sealedSecret?: string;
}

/** The record-side effects of one change, applied in the same transaction as the objection. */
export interface RecordChange {
  readonly subjectKey: string;
  readonly ref: RecordRef;
  /** The open objections the change was computed from: a concurrent change makes it fail. */
  readonly openBefore: readonly string[];
  readonly openAfter: readonly string[];
  /**
   * A correction: the record's new content, stored as the current item and as a new version, and
   * the corrections in force after it. Applied only while the record and its corrections are still
   * those it was computed from (`recordBefore`, `correctionsBefore`): a re-submission stored
   * meanwhile makes it fail (ConcurrentChangeError), and the step is retried from a fresh read.
   */
  readonly corrected?: {
    readonly record: Readonly<Record<string, unknown>>;
    readonly versionTag: string;
    readonly recordBefore: Readonly<Record<string, unknown>>;
    readonly correctionsBefore: FieldCorrections | undefined;
    readonly corrections: FieldCorrections;
  };
}

/** One state change: the objection's new state, its history entry, and what happens to the record. */
export interface ObjectionChange {
  readonly objection: Objection;
  /** The version read before the change; null when the objection is new. */
  readonly expectedVersion: number | null;
  readonly event: ObjectionEvent;
  readonly record?: RecordChange;
  readonly command?: StoredCommand;
}

export class CommandAlreadyStoredError extends Error {
  override name = 'CommandAlreadyStoredError';
}

export class ConcurrentChangeError extends Error {
  override name = 'ConcurrentChangeError';
}

export interface ObjectionStore {
  /** The record an objection names, or undefined when the subject has none such. */
  objectedRecord(subjectKey: string, ref: RecordRef): Promise<ObjectedRecord | undefined>;
  getObjection(objectionId: string): Promise<Objection | undefined>;
  history(objectionId: string): Promise<ObjectionEvent[]>;
  /** Every objection, or those on one agency's records; newest first. */
  listObjections(filter: { readonly sourceAgency?: string }): Promise<Objection[]>;
  getCommand(scope: string, keyHash: string): Promise<StoredCommand | undefined>;
  /**
   * Stores the change atomically. CommandAlreadyStoredError when the command was stored meanwhile;
   * ConcurrentChangeError when the objection's version or the record's open objections moved.
   */
  commit(change: ObjectionChange): Promise<void>;
}

/** The stored years of the official calendar (the same source as the deadlines). */
export interface CalendarDaySource {
  calendarDays(): Promise<StoredCalendarDay[]>;
}

/** Application numbers and secrets; random in production, predictable in tests. */
export interface ObjectionIds {
  applicationNumber(receivedOn: string): string;
  secret(): string;
}

/** Open objections whose current step is due by a day (the deadlines run). */
export interface OpenObjectionReader {
  openObjectionsDueBy(date: string): Promise<Objection[]>;
}
