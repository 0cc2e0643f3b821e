/** Ports of re-screening (the alert side is in lib/push/ports.ts). */

/** Reads a subject partition and keeps its screening snapshot (the entries in effect last time). */
export interface ScreeningStore {
  /**
   * The items of a subject partition that re-screening needs: list entries, the screening snapshot,
   * watches and alert outbox entries — never the subject's records, which may be thousands.
   */
  screeningItems(subjectKey: string): Promise<Record<string, unknown>[]>;
  saveScreening(
    subjectKey: string,
    snapshot: { activeEntryIds: string[]; screenedOn: string },
  ): Promise<void>;
}
