import type { PersonWatch } from '../push/types';

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

/**
 * Finds the open watches on persons (ID#) that a court's masked resident ID may stand for, without
 * scanning the table: at least every watched person whose ID begins with the mask's visible leading
 * digits. Closed watches are not returned; the caller decides the fit, the name and the until-date.
 */
export interface PersonWatchFinder {
  personWatchesFor(maskedId: string): Promise<PersonWatch[]>;
}
