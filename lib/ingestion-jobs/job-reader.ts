import { type JobView, toJobView } from './job-view';
import type { JobItems } from './ports';

export interface JobPage {
  readonly jobs: JobView[];
  /** Present when there may be more jobs: pass it back as `cursor`. */
  readonly nextCursor?: string;
}

/**
 * The read model of ingestion jobs: one job by id and an agency's jobs newest first, as public views.
 * Writing jobs stays with the ingest path.
 */
export class JobReader {
  constructor(private readonly items: JobItems) {}

  async get(jobId: string): Promise<JobView | undefined> {
    const item = await this.items.item(jobId);
    return item ? toJobView(item) : undefined;
  }

  /** One page of an agency's jobs, newest first. Throws InvalidCursorError for a foreign cursor. */
  async list(agencyCode: string, options: { limit: number; cursor?: string }): Promise<JobPage> {
    const page = await this.items.page(agencyCode, options);
    return { jobs: page.items.map(toJobView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  /** The newest job of an agency for an object key (the upload command's fallback lookup). */
  async latestForSource(
    agencyCode: string,
    sourceKey: string,
    notBefore: string,
  ): Promise<JobView | undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.list(agencyCode, { limit: 50, ...(cursor ? { cursor } : {}) });
      for (const job of page.jobs) {
        if (job.receivedAt < notBefore) return undefined;
        if (job.sourceKey === sourceKey) return job;
      }
      cursor = page.nextCursor;
    } while (cursor);
    return undefined;
  }
}
