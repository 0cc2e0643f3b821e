import { createEventBridgeClient, EventBridgePublisher, type EventPublisher } from '../aws/event-publisher';
import { deadlineEvents } from './events';
import type { AgencyDeadlineNotice, AgencyNotifier } from './run-deadlines';

export { deadlineEvents } from './events';

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
      throw new Error(
        `${outcome.failed.length} deadline notices were not published: ${outcome.failed.map((f) => `${f.id} (${f.reason})`).join('; ')}`,
      );
    }
  }
}

export function createEventNotifier(busName: string): EventNotifier {
  return new EventNotifier(new EventBridgePublisher(createEventBridgeClient(), busName));
}

/** Keeps the notices (no bus configured, tests): the report still lists every item. */
export class RecordingNotifier implements AgencyNotifier {
  readonly sent: AgencyDeadlineNotice[] = [];
  async notify(notices: readonly AgencyDeadlineNotice[]): Promise<void> {
    this.sent.push(...notices);
  }
}
