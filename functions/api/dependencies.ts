import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SubjectReferencer } from '#lib/audit/ports';
import { hmacSubjectReferencer } from '#lib/audit/subject-reference';
import { CheckStore } from '#lib/aws/check-store';
import { createDocumentClient, createS3Client } from '#lib/aws/clients';
import { CreditStore } from '#lib/aws/credit-store';
import { DeadlineStore } from '#lib/aws/deadline-store';
import { DynamoPublicSubjectReader } from '#lib/aws/disclosure-reader';
import { createEventBridgeClient, EventBridgePublisher } from '#lib/aws/event-publisher';
import { DynamoJobItems } from '#lib/aws/job-items';
import { DynamoObjectionStore } from '#lib/aws/objection-store';
import { PushStore } from '#lib/aws/push-store';
import { RecordTallyStore } from '#lib/aws/record-tally-store';
import { referenceSecretFromEnvironment } from '#lib/aws/reference-secret';
import { S3MaterialStorage } from '#lib/aws/repair-materials';
import { DynamoRepairStore } from '#lib/aws/repair-store';
import { DynamoWithdrawalStore } from '#lib/aws/withdrawal-store';
import { loadWorkingCalendar } from '#lib/calendar/stored-calendar';
import type { Clock } from '#lib/clock/clock';
import { systemClock } from '#lib/clock/system-clock';
import { withCachedListTypes } from '#lib/disclosure/cached-reader';
import type { PublicSubjectReader } from '#lib/disclosure/ports';
import { JobReader } from '#lib/ingestion-jobs/job-reader';
import type { ObjectionIds } from '#lib/objections/ports';
import { randomObjectionIds } from '#lib/objections/secret';
import { requireEnv } from '#lib/platform/config';
import { type Observability, observability } from '#lib/platform/observability';
import { env } from '#lib/platform/resources';
import type { Catalogue } from '#lib/reference/catalogue';
import { loadCatalogue } from '#lib/reference/read-model';
import { type RepairDependencies, randomRepairIds } from '#lib/repair/deps';

/**
 * The composition root of the api function: one DynamoDB client (traced), the adapters over it, the
 * clock and the Powertools instances, created once per container and handed to every route.
 */
export interface ApiDependencies extends Observability {
  readonly clock: Clock;
  /** Subjects, aliases and agencies (the ingest path's partitions). */
  readonly subjects: CreditStore;
  /** The subjects' record tallies, which checks, subject views and new watches keep and read. */
  readonly tallies: RecordTallyStore;
  /** Stored checks, their feedback, Idempotency-Keys, reference data and the access log. */
  readonly checks: CheckStore;
  /** Watches and alerts. */
  readonly push: PushStore;
  /** The access log's keyed subject references (the key read once per container). */
  readonly referencer: SubjectReferencer;
  readonly deadlines: DeadlineStore;
  readonly jobs: JobReader;
  /** The reference catalogue, cached per container for a short while (fresh: read now). */
  catalogue(options?: { fresh?: boolean }): Promise<Catalogue>;
  /** What the public disclosure reads (read-only; list types kept 60 s). */
  readonly publicSubjects: PublicSubjectReader;
  /** Objections (异议), their history and commands, and their marks on the records. */
  readonly objections: DynamoObjectionStore;
  readonly objectionIds: ObjectionIds;
  /** Withdrawals of published decisions from public view. */
  readonly withdrawals: DynamoWithdrawalStore;
  /** Credit repair: built on first use (it needs BUCKET_NAME and EVENT_BUS_NAME besides the table). */
  repair(): RepairDependencies;
}

export function createApiDependencies(
  options: {
    client?: DynamoDBDocumentClient;
    tableName?: string;
    clock?: Clock;
    referencer?: SubjectReferencer;
    objectionIds?: ObjectionIds;
  } = {},
): ApiDependencies {
  const instruments = observability('api');
  const client = options.client ?? instruments.tracer.captureAWSv3Client(createDocumentClient());
  const tableName = options.tableName ?? requireEnv(env.tableName);
  const checks = new CheckStore(client, tableName);
  const push = new PushStore(client, tableName);
  const deadlines = new DeadlineStore(client, tableName);
  const clock = options.clock ?? systemClock;
  let repair: RepairDependencies | undefined;
  const repairDependencies = (): RepairDependencies => {
    const store = new DynamoRepairStore(client, tableName);
    const s3 = instruments.tracer.captureAWSv3Client(createS3Client());
    const bus = instruments.tracer.captureAWSv3Client(createEventBridgeClient());
    repair ??= {
      store,
      records: store,
      watchers: store,
      materials: new S3MaterialStorage(s3, requireEnv(env.bucketName)),
      alerts: push,
      publisher: new EventBridgePublisher(bus, requireEnv(env.eventBusName)),
      calendar: () => loadWorkingCalendar(deadlines),
      clock,
      ids: randomRepairIds,
    };
    return repair;
  };
  return {
    ...instruments,
    clock,
    subjects: new CreditStore(client, tableName),
    tallies: new RecordTallyStore(client, tableName),
    checks,
    push,
    referencer:
      options.referencer ??
      hmacSubjectReferencer(
        referenceSecretFromEnvironment(process.env, () =>
          instruments.tracer.captureAWSv3Client(new SecretsManagerClient({})),
        ),
      ),
    deadlines,
    jobs: new JobReader(new DynamoJobItems(client, tableName)),
    catalogue: (catalogueOptions) => loadCatalogue(checks, catalogueOptions),
    objections: new DynamoObjectionStore(client, tableName),
    objectionIds: options.objectionIds ?? randomObjectionIds,
    withdrawals: new DynamoWithdrawalStore(client, tableName),
    // Monotonic milliseconds: the list-type cache's age, not a business time.
    publicSubjects: withCachedListTypes(new DynamoPublicSubjectReader(client, tableName), 60_000, () =>
      performance.now(),
    ),
    repair: () => repair ?? repairDependencies(),
  };
}
