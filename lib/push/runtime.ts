import { createDocumentClient } from '../aws/clients';
import { createEventBridgeClient, EventBridgePublisher, type EventPublisher } from '../aws/event-publisher';
import { PushStore } from '../aws/push-store';
import { requireEnv } from '../platform/config';
import { env } from '../platform/resources';

/**
 * Push's clients, created once per container on first use from the environment the CDK stack (or
 * the local stack) sets: TABLE_NAME for the store, EVENT_BUS_NAME for the publisher (match function
 * only; the API never publishes).
 */
let store: PushStore | undefined;
let publisher: EventPublisher | undefined;

export function pushStore(): PushStore {
  store ??= new PushStore(createDocumentClient(), requireEnv(env.tableName));
  return store;
}

export function eventPublisher(): EventPublisher {
  publisher ??= new EventBridgePublisher(createEventBridgeClient(), requireEnv(env.eventBusName));
  return publisher;
}
