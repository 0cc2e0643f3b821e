import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { AlertPublisher } from '../push/ports';
import type { OutgoingEvent, PublishOutcome } from '../push/types';

/**
 * Publishing on the platform's EventBridge bus. The endpoint comes from the standard
 * AWS_ENDPOINT_URL_EVENTBRIDGE variable (the local stack points it at local/emulators/eventbridge.ts;
 * absent in AWS), like every other client of lib/aws/clients.ts.
 */
export function createEventBridgeClient(
  endpoint: string | undefined = process.env.AWS_ENDPOINT_URL_EVENTBRIDGE,
  region: string | undefined = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION,
): EventBridgeClient {
  return new EventBridgeClient({ region: region ?? 'cn-north-1', ...(endpoint ? { endpoint } : {}) });
}

export type { OutgoingEvent, PublishOutcome } from '../push/types';

/** Publishes events on a bus and says per event what was accepted. */
export type EventPublisher = AlertPublisher;

/** PutEvents takes at most 10 entries per call. */
export const PUT_EVENTS_BATCH = 10;

/**
 * Puts events on one bus, ten per call, and reports per event what was accepted: PutEvents is not
 * all-or-nothing (FailedEntryCount), and a call that fails as a whole fails its ten events only.
 */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    readonly busName: string,
  ) {}

  async publish(events: readonly OutgoingEvent[]): Promise<PublishOutcome> {
    const outcome: PublishOutcome = { published: [], failed: [] };
    for (let start = 0; start < events.length; start += PUT_EVENTS_BATCH) {
      const batch = events.slice(start, start + PUT_EVENTS_BATCH);
      const entries: PutEventsRequestEntry[] = batch.map((event) => ({
        EventBusName: this.busName,
        Source: event.source,
        DetailType: event.detailType,
        Detail: JSON.stringify(event.detail),
        ...(event.time ? { Time: event.time } : {}),
      }));
      try {
        const result = await this.client.send(new PutEventsCommand({ Entries: entries }));
        batch.forEach((event, index) => {
          const entry = result.Entries?.[index];
          if (entry?.EventId && !entry.ErrorCode) outcome.published.push(event.id);
          else
            outcome.failed.push({
              id: event.id,
              reason: `${entry?.ErrorCode ?? 'NoEventId'}: ${entry?.ErrorMessage ?? 'no event id returned'}`,
            });
        });
      } catch (error) {
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        for (const event of batch) outcome.failed.push({ id: event.id, reason });
      }
    }
    return outcome;
  }
}
