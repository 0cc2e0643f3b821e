import { createDocumentClient } from '#lib/aws/clients';
import { CreditStore } from '#lib/aws/credit-store';
import { createEventBridgeClient, EventBridgePublisher } from '#lib/aws/event-publisher';
import { PushStore } from '#lib/aws/push-store';
import type { Clock } from '#lib/clock/clock';
import { systemClock } from '#lib/clock/system-clock';
import type { MaskedRescreenDependencies } from '#lib/matching/rescreen-masked';
import { requireEnv } from '#lib/platform/config';
import { type Observability, observability } from '#lib/platform/observability';
import { env } from '#lib/platform/resources';

export interface MatchDependencies extends MaskedRescreenDependencies, Observability {
  readonly clock: Clock;
}

/**
 * The composition root of the match function: the table (subjects, alerts, the masked-ID index of
 * person watches) and the event bus,
 * through traced clients, with the clock and Powertools instances — built once per container.
 */
export function createMatchDependencies(): MatchDependencies {
  const instruments = observability('match');
  const client = instruments.tracer.captureAWSv3Client(createDocumentClient());
  const tableName = requireEnv(env.tableName);
  const bus = instruments.tracer.captureAWSv3Client(createEventBridgeClient());
  const push = new PushStore(client, tableName);
  return {
    ...instruments,
    clock: systemClock,
    subjects: new CreditStore(client, tableName),
    alerts: push,
    personWatches: push,
    publisher: new EventBridgePublisher(bus, requireEnv(env.eventBusName)),
  };
}
