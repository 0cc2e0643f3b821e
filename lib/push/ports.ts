import type { Alert, OutgoingEvent, PublishOutcome, WatchRecord } from './types';

/** Ports of push (自动推送): what watches and alerts need from storage and the event bus. */

/** A page of a listing; `nextCursor` is opaque and absent on the last page. */
export interface ListingPage {
  readonly items: Record<string, unknown>[];
  readonly nextCursor?: string;
}

export interface WatchStore {
  /** Opens (or reopens) one subject partition of a watch; the record is the whole state, so idempotent. */
  putWatch(watch: WatchRecord): Promise<void>;
  /** Every stored subject item of one watch of an agency. */
  watchItems(agencyCode: string, watchId: string): Promise<Record<string, unknown>[]>;
  /** Closes one subject partition of a watch if open; false if it was closed already (or is gone). */
  closeWatchItem(
    watch: { agencyCode: string; watchId: string; subjectKey: string },
    closure: { closedAt: string; closedReason: string },
  ): Promise<boolean>;
}

/** An agency's own alerts or watches, one page at a time (an invalid cursor is refused by the adapter). */
export interface AgencyListing {
  listForAgency(
    agencyCode: string,
    kind: 'ALERT' | 'WATCH',
    options: { limit: number; cursor?: string; newestFirst: boolean },
  ): Promise<ListingPage>;
}

export interface AlertStore {
  /**
   * Stores an alert with its outbox entry, both or neither; false when the alert exists already (a
   * redelivered change), so an alert is created once. `subjectKey` is the watched subject's; the
   * outbox entry goes to `outboxSubjectKey` (default the same), the partition whose screening
   * publishes it — a court's masked-ID partition for a possible alert.
   */
  createAlert(alert: Alert, subjectKey: string, outboxSubjectKey?: string): Promise<boolean>;
  /** Takes an alert out of the outbox once its event is on the bus. */
  markPublished(subjectKey: string, alertId: string, publishedAt: string): Promise<void>;
}

export interface AlertPublisher {
  publish(events: readonly OutgoingEvent[]): Promise<PublishOutcome>;
}

/** A person's watch (ID# subject with a valid resident ID) as stored, for the masked-ID index backfill. */
export type StoredPersonWatch = Omit<WatchRecord, 'status' | 'personName'> & {
  /** 'open' or 'closed' as stored; an open one may still be past its until-date. */
  readonly status: string;
  /** Its masked-ID index item exists already. */
  readonly indexed: boolean;
};

/** One page of a scan segment: the person watches on it and where the segment goes on (null: done). */
export interface PersonWatchPage {
  /** Items the page read, person watches among them or not. */
  readonly scanned: number;
  readonly watches: readonly StoredPersonWatch[];
  /** Opaque, for the next call only; null when the segment is done. */
  readonly next: string | null;
}

/**
 * The stored person watches, one page of one scan segment at a time, and their masked-ID index
 * items: for the backfill of watches opened before the index existed.
 */
export interface PersonWatchIndex {
  personWatchPage(options: {
    readonly segment: number;
    readonly segments: number;
    readonly pageSize: number;
    readonly from?: string;
  }): Promise<PersonWatchPage>;
  /** Writes the watch's masked-ID index item unless one exists (never overwriting it); false if one did. */
  indexPersonWatch(watch: WatchRecord): Promise<boolean>;
}
