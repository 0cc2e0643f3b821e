import type { AgencyNotifier } from '../deadlines/ports';
import type { AgencyDeadlineNotice } from '../deadlines/types';
import { deadlineEvents } from '../platform/resources';
import type { EventPublisher } from './event-publisher';

export class NoticesNotPublishedError extends Error {
  override name = 'NoticesNotPublishedError';
}

/**
 * One EventBridge event per agency with its own overdue items, on the platform bus (lib/aws/
 * event-publisher); agencies' systems — and, in the cloud, an SNS topic subscribed by rule — route
 * them by `detail.agencyCode`. The notice id is stable per run date, so consumers can drop a re-run's
 * duplicate. A notice the bus refuses fails the run (the schedule retries it; the DLQ is alarmed).
 */
export class EventNotifier implements AgencyNotifier {
  constructor(private readonly publisher: EventPublisher) {}

  async notify(notices: readonly AgencyDeadlineNotice[]): Promise<void> {
    const outcome = await this.publisher.publish(
      notices.map((notice) => ({
        id: notice.noticeId,
        source: deadlineEvents.source,
        detailType: deadlineEvents.detailType,
        detail: notice,
      })),
    );
    if (outcome.failed.length > 0) {
      throw new NoticesNotPublishedError(
        `${outcome.failed.length} deadline notices were not published: ${outcome.failed.map((f) => `${f.id} (${f.reason})`).join('; ')}`,
      );
    }
  }
}
