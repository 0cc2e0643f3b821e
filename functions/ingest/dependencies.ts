import { ChunkQueue } from '#lib/aws/chunk-queue';
import { createDocumentClient, createS3Client, createSqsClient } from '#lib/aws/clients';
import { CreditStore } from '#lib/aws/credit-store';
import { StoredDueDateSource } from '#lib/aws/due-date-source';
import { IngestObjects } from '#lib/aws/ingest-objects';
import { JobStore } from '#lib/aws/job-store';
import { MatchQueue } from '#lib/aws/match-queue';
import { ObjectStore } from '#lib/aws/object-store';
import { DynamoRecordWriter, storedPriorArrivals, storedPriorRemovalStarts } from '#lib/aws/record-writer';
import { systemClock } from '#lib/clock/system-clock';
import type { IngestDependencies } from '#lib/ingest/ingest-object';
import { removeAbandonedSpools } from '#lib/ingest/readers/xlsx-archive';
import { requireEnv } from '#lib/platform/config';
import { observability } from '#lib/platform/observability';
import { env } from '#lib/platform/resources';

/**
 * The ingest function's composition root: Powertools instances, AWS clients (traced), adapters and
 * the clock, created once per container from the environment the CDK stack (or the local stack)
 * sets, and handed to the use cases.
 */
export const { logger, metrics, tracer } = observability('ingest');

let dependencies: IngestDependencies | undefined;

/**
 * In a Lambda sandbox this process is the only one using /tmp, and it starts again after an
 * invocation is stopped (a timeout): a workbook spool left by that invocation would fill the 512 MB
 * for every later one. Locally, other processes' reads share the directory, so nothing is removed.
 */
function removeSpoolsOfStoppedInvocations(): void {
  if (!process.env.AWS_LAMBDA_FUNCTION_NAME) return;
  const removed = removeAbandonedSpools();
  if (removed > 0) logger.warn('Removed workbook spools left by a stopped invocation', { removed });
}

export function ingestDependencies(): IngestDependencies {
  if (dependencies) return dependencies;
  removeSpoolsOfStoppedInvocations();
  const documentClient = tracer.captureAWSv3Client(createDocumentClient());
  const s3 = tracer.captureAWSv3Client(createS3Client());
  const sqs = tracer.captureAWSv3Client(createSqsClient());
  const tableName = requireEnv(env.tableName);
  const bucketName = requireEnv(env.bucketName);
  const store = new CreditStore(documentClient, tableName);
  const chunkBytes = Number(process.env[env.ingestChunkBytes]);
  dependencies = {
    agencies: store,
    listTypes: store,
    records: DynamoRecordWriter.forTable(documentClient, tableName),
    // A corrected record keeps the arrival time of its first version for timeliness.
    priorArrivals: storedPriorArrivals(store),
    // A court re-sending its list does not restart the removal clock of an entry marked 全部履行.
    priorRemovalStarts: storedPriorRemovalStarts(store),
    // The late flag counts on the stored calendar years and rule overrides, like GET /v1/calendar/due-date:
    // read only, so the function's grant has no delete.
    deadlineRules: new StoredDueDateSource(documentClient, tableName),
    jobs: new JobStore(documentClient, tableName),
    objects: new ObjectStore(s3, bucketName),
    files: new IngestObjects(s3, bucketName),
    matchQueue: new MatchQueue(sqs, requireEnv(env.matchQueueUrl)),
    chunkQueue: new ChunkQueue(sqs, process.env[env.ingestQueueUrl] || undefined),
    clock: systemClock,
    ...(Number.isFinite(chunkBytes) && chunkBytes > 0 ? { chunkBytes } : {}),
  };
  return dependencies;
}
