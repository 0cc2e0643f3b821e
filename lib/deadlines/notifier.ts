import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { AgencyDeadlineNotice, AgencyNotifier } from './run-deadlines';

export const deadlineEvents = {
  source: 'joint-credit.deadlines',
  detailType: 'credit.deadlines.overdue',
} as const;

/** PutEvents takes at most 10 entries per call. */
const BATCH = 10;

/**
 * One EventBridge event per agency with its own overdue items, on the platform bus; agencies'
 * systems (and, in the cloud, an SNS topic per subscription) route them by `detail.agencyCode`.
 * The notice id is stable per run date, so a re-run's duplicates can be dropped by consumers.
 */
export class EventBridgeNotifier implements AgencyNotifier {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async notify(notices: readonly AgencyDeadlineNotice[]): Promise<void> {
    for (let start = 0; start < notices.length; start += BATCH) {
      const batch = notices.slice(start, start + BATCH);
      const result = await this.client.send(
        new PutEventsCommand({
          Entries: batch.map((notice) => ({
            EventBusName: this.busName,
            Source: deadlineEvents.source,
            DetailType: deadlineEvents.detailType,
            Resources: [`agency/${notice.agencyCode}`],
            Detail: JSON.stringify(notice),
          })),
        }),
      );
      if (result.FailedEntryCount) {
        throw new Error(`${result.FailedEntryCount} deadline notices were not accepted by ${this.busName}`);
      }
    }
  }
}

export function createEventBridgeNotifier(busName: string): EventBridgeNotifier {
  const endpoint = process.env.AWS_ENDPOINT_URL_EVENTBRIDGE;
  return new EventBridgeNotifier(
    new EventBridgeClient({
      region: process.env.AWS_REGION ?? 'cn-north-1',
      ...(endpoint ? { endpoint } : {}),
    }),
    busName,
  );
}

/** Keeps the notices (local stack without a bus, tests): the report still lists every item. */
export class RecordingNotifier implements AgencyNotifier {
  readonly sent: AgencyDeadlineNotice[] = [];
  async notify(notices: readonly AgencyDeadlineNotice[]): Promise<void> {
    this.sent.push(...notices);
  }
}
