import { createDocumentClient, createS3Client, createSqsClient } from '../../lib/aws/clients';
import { CreditStore } from '../../lib/aws/credit-store';
import { MatchQueue } from '../../lib/aws/match-queue';
import { ObjectStore } from '../../lib/aws/object-store';
import type { Clock } from '../../lib/clock/clock';
import { systemClock } from '../../lib/clock/system-clock';
import { requireEnv } from '../../lib/platform/config';
import { env } from '../../lib/platform/resources';

/**
 * Clients are created once per container, on first use, from the environment the CDK stack (or
 * the local stack) sets. Handlers only take what they need, so each role stays least-privilege.
 */
/** The one clock of every handler: business dates are Asia/Shanghai days of this clock. */
export const clock: Clock = systemClock;

let store: CreditStore | undefined;
let objects: ObjectStore | undefined;
let matchQueue: MatchQueue | undefined;

export function creditStore(): CreditStore {
  store ??= new CreditStore(createDocumentClient(), requireEnv(env.tableName));
  return store;
}

export function objectStore(): ObjectStore {
  objects ??= new ObjectStore(createS3Client(), requireEnv(env.bucketName));
  return objects;
}

export function matchQueueClient(): MatchQueue {
  matchQueue ??= new MatchQueue(createSqsClient(), requireEnv(env.matchQueueUrl));
  return matchQueue;
}
