import type { StoredCalendarDay } from '#lib/calendar/calendar';
import type { FieldCorrections } from '#lib/lifecycle/objection-corrections';
import {
  CommandAlreadyStoredError,
  ConcurrentChangeError,
  type ObjectionChange,
  type ObjectionIds,
  type ObjectionStore,
  type OpenObjectionReader,
  type StoredCommand,
} from '#lib/objections/ports';
import type { ObjectedRecord, Objection, ObjectionEvent, RecordRef } from '#lib/objections/types';
import { currentDueDate } from '#lib/objections/workflow';

interface MemoryRecord {
  agencyCode: string;
  record: Record<string, unknown>;
  openObjections: string[];
  objectionOpen?: boolean;
  corrections?: FieldCorrections;
  /** Every content the record had, oldest first (the versions). */
  versions: Record<string, unknown>[];
}

const recordKey = (subjectKey: string, ref: RecordRef) => `${subjectKey}|${ref.dataset}|${ref.recordId}`;

/**
 * The objection ports in memory, with the table's conditions: a new objection must not exist, a
 * change must find the version it read, a command is stored once, and the record's open objections
 * must be those the change was computed from; a correction, that the record and its corrections are. `interfere` runs once before the next commit (races).
 */
export class MemoryObjectionStore implements ObjectionStore, OpenObjectionReader {
  readonly records = new Map<string, MemoryRecord>();
  readonly objections = new Map<string, Objection>();
  readonly events: ObjectionEvent[] = [];
  readonly commands = new Map<string, StoredCommand>();
  commits = 0;
  interfere: (() => void) | undefined;

  addRecord(subjectKey: string, ref: RecordRef, agencyCode: string, record: Record<string, unknown>): this {
    this.records.set(recordKey(subjectKey, ref), {
      agencyCode,
      record,
      openObjections: [],
      versions: [record],
    });
    return this;
  }

  record(subjectKey: string, ref: RecordRef): MemoryRecord {
    const found = this.records.get(recordKey(subjectKey, ref));
    if (!found) throw new Error('no such record in the memory store');
    return found;
  }

  async objectedRecord(subjectKey: string, ref: RecordRef): Promise<ObjectedRecord | undefined> {
    const found = this.records.get(recordKey(subjectKey, ref));
    if (!found) return undefined;
    return {
      subjectKey,
      ref,
      agencyCode: found.agencyCode,
      record: found.record,
      openObjections: [...found.openObjections],
      ...(found.corrections ? { corrections: found.corrections } : {}),
    };
  }

  async getObjection(objectionId: string) {
    return this.objections.get(objectionId);
  }

  async history(objectionId: string) {
    return this.events.filter((event) => event.objectionId === objectionId);
  }

  async listObjections(filter: { readonly sourceAgency?: string }) {
    return [...this.objections.values()]
      .filter((objection) => !filter.sourceAgency || objection.sourceAgency === filter.sourceAgency)
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  }

  async openObjectionsDueBy(date: string) {
    return [...this.objections.values()].filter((objection) => {
      const due = currentDueDate(objection);
      return due !== undefined && due <= date;
    });
  }

  async getCommand(scope: string, keyHash: string) {
    return this.commands.get(`${scope}|${keyHash}`);
  }

  async commit(change: ObjectionChange): Promise<void> {
    const interfere = this.interfere;
    this.interfere = undefined;
    interfere?.();
    this.check(change);
    this.commits++;
    this.objections.set(change.objection.objectionId, change.objection);
    this.events.push(change.event);
    if (change.command)
      this.commands.set(`${change.command.scope}|${change.command.keyHash}`, change.command);
    if (change.record) {
      const record = this.record(change.record.subjectKey, change.record.ref);
      record.openObjections = [...change.record.openAfter];
      record.objectionOpen = change.record.openAfter.length > 0;
      if (change.record.corrected) {
        record.record = { ...change.record.corrected.record };
        record.corrections = change.record.corrected.corrections;
        record.versions.push(record.record);
      }
    }
  }

  private check(change: ObjectionChange): void {
    if (change.command && this.commands.has(`${change.command.scope}|${change.command.keyHash}`)) {
      throw new CommandAlreadyStoredError('stored');
    }
    const current = this.objections.get(change.objection.objectionId);
    const versionMoved =
      change.expectedVersion === null ? current !== undefined : current?.version !== change.expectedVersion;
    const record = change.record
      ? this.records.get(recordKey(change.record.subjectKey, change.record.ref))
      : undefined;
    const openMoved =
      change.record !== undefined &&
      JSON.stringify(record?.openObjections ?? []) !== JSON.stringify(change.record.openBefore);
    const corrected = change.record?.corrected;
    const contentMoved =
      corrected !== undefined &&
      (JSON.stringify(record?.record) !== JSON.stringify(corrected.recordBefore) ||
        JSON.stringify(record?.corrections) !== JSON.stringify(corrected.correctionsBefore));
    if (versionMoved || openMoved || contentMoved) throw new ConcurrentChangeError('moved');
  }
}

export class MemoryCalendar {
  constructor(private readonly days: StoredCalendarDay[] = []) {}
  async calendarDays() {
    return this.days;
  }
}

/** Application numbers YY-<date>-0001, -0002…, and secrets secret-1, secret-2… */
export function sequentialIds(): ObjectionIds {
  let n = 0;
  let s = 0;
  return {
    applicationNumber: (receivedOn) => `YY-${receivedOn.replace(/-/g, '')}-${String(++n).padStart(4, '0')}`,
    secret: () => `secret-${++s}`,
  };
}
