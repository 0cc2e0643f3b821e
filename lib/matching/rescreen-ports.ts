/** Ports of re-screening (the alert side is in lib/push/ports.ts). */

/** Reads a subject partition and keeps its screening snapshot (the entries in effect last time). */
export interface ScreeningStore {
  subjectItems(subjectKey: string): Promise<Record<string, unknown>[]>;
  saveScreening(
    subjectKey: string,
    snapshot: { activeEntryIds: string[]; screenedOn: string },
  ): Promise<void>;
}
