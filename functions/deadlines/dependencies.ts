import { createDocumentClient, createS3Client, createSqsClient } from '#lib/aws/clients';
import { EventNotifier } from '#lib/aws/deadline-notifier';
import { DeadlineStore } from '#lib/aws/deadline-store';
import { createEventBridgeClient, EventBridgePublisher } from '#lib/aws/event-publisher';
import { MatchQueue } from '#lib/aws/match-queue';
import { ObjectStore } from '#lib/aws/object-store';
import { DynamoObjectionStore } from '#lib/aws/objection-store';
import { DynamoRepairCases } from '#lib/aws/repair-cases';
import { DynamoWithdrawalStore } from '#lib/aws/withdrawal-store';
import type { Clock } from '#lib/clock/clock';
import { systemClock } from '#lib/clock/system-clock';
import { RecordingNotifier } from '#lib/deadlines/notifier';
import type { DeadlinesDependencies } from '#lib/deadlines/run-deadlines';
import { objectionDeadlines } from '#lib/objections/deadlines';
import { loadAgencyRegistry } from '#lib/platform/agency-registry';
import { requireEnv } from '#lib/platform/config';
import { observability } from '#lib/platform/observability';
import { env } from '#lib/platform/resources';
import { RepairDeadlines } from '#lib/repair/overdue';
import { withdrawalDeadlines } from '#lib/withdrawals/withdraw';

/**
 * The deadlines function's composition root: Powertools instances, AWS clients (traced), adapters,
 * the notifier and the clock, created once per container and handed to the run.
 */
export const { logger, metrics, tracer } = observability('deadlines');

export const clock: Clock = systemClock;

let dependencies: Omit<DeadlinesDependencies, 'agencies'> | undefined;

function notifier(): DeadlinesDependencies['notifier'] {
  const busName = process.env[env.eventBusName];
  if (!busName) return new RecordingNotifier();
  return new EventNotifier(
    new EventBridgePublisher(tracer.captureAWSv3Client(createEventBridgeClient()), busName),
  );
}

export function deadlinesDependencies(): DeadlinesDependencies {
  if (!dependencies) {
    const documentClient = tracer.captureAWSv3Client(createDocumentClient());
    dependencies = {
      store: new DeadlineStore(documentClient, requireEnv(env.tableName)),
      objects: new ObjectStore(tracer.captureAWSv3Client(createS3Client()), requireEnv(env.bucketName)),
      matchQueue: new MatchQueue(tracer.captureAWSv3Client(createSqsClient()), requireEnv(env.matchQueueUrl)),
      notifier: notifier(),
      workflows: [
        objectionDeadlines(
          new DynamoObjectionStore(documentClient, requireEnv(env.tableName)),
          creditOffice(),
        ),
        withdrawalDeadlines(new DynamoWithdrawalStore(documentClient, requireEnv(env.tableName))),
      ],
      repairs: new RepairDeadlines(new DynamoRepairCases(documentClient, requireEnv(env.tableName))),
    };
  }
  return { ...dependencies, agencies: knownAgencies() };
}

/** Where the credit office's overdue objection steps are reported: the registry's credit-office agency. */
function creditOffice(): string {
  try {
    const office = loadAgencyRegistry().agencies.find((agency) => agency.roles.includes('credit-office'));
    if (office) return office.code;
  } catch {
    // No registry file in the function package: the steps are reported under the role's name.
  }
  return 'CREDIT-OFFICE';
}

/**
 * Agencies the platform knows besides those the deadline rules name: DEADLINES_AGENCIES (set by CDK
 * from config/agencies.json), else the registry file itself where it exists (local stack).
 */
let agencies: string[] | undefined;
function knownAgencies(): string[] {
  if (agencies) return agencies;
  const fromEnv = process.env[env.deadlinesAgencies];
  if (fromEnv !== undefined) {
    agencies = fromEnv
      .split(',')
      .map((code) => code.trim())
      .filter(Boolean);
    return agencies;
  }
  try {
    agencies = loadAgencyRegistry().agencies.map((agency) => agency.code);
  } catch (error) {
    logger.warn('No agency registry: the run covers the agencies its rules name', { error: String(error) });
    agencies = [];
  }
  return agencies;
}
