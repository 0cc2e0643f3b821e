import type { Page } from '../paging/cursor';

/** Stored job items, as the ingest path writes them (lib/aws/job-store.ts). */
export interface JobItems {
  /** One job's item by id, or undefined. */
  item(jobId: string): Promise<Readonly<Record<string, unknown>> | undefined>;
  /** One page of an agency's jobs, newest first. Throws InvalidCursorError for a cursor it did not issue. */
  page(
    agencyCode: string,
    options: { limit: number; cursor?: string },
  ): Promise<Page<Record<string, unknown>>>;
}
