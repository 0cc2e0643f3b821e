import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ingestChunk } from '#lib/ingest/chunking/ingest-chunk';
import { type ChunkMessage, chunkMessageIn } from '#lib/ingest/chunking/messages';
import {
  type FullReport,
  ingestObject,
  jobIdFor,
  type ObjectCreated,
  reportFailure,
} from '#lib/ingest/ingest-object';
import { objectsCreatedIn } from '#lib/ingest/s3-event';
import { metrics as metricDefinitions, queues } from '#lib/platform/resources';
import { ingestDependencies, logger, metrics, tracer } from './dependencies';

const processor = new BatchProcessor(EventType.SQS);
const { names } = metricDefinitions;

/** Rows accepted, rejected, late and duplicate, bytes and duration, per agency and dataset. */
function recordReportMetrics(report: FullReport): void {
  const perFile = metrics.singleMetric();
  perFile.addDimensions({ agency: report.agencyCode, dataset: report.dataset });
  perFile.addMetric(names.rowsAccepted, MetricUnit.Count, report.counts.accepted);
  perFile.addMetric(names.rowsRejected, MetricUnit.Count, report.counts.rejected);
  perFile.addMetric(names.rowsLate, MetricUnit.Count, report.counts.late);
  perFile.addMetric(names.rowsDuplicate, MetricUnit.Count, report.counts.duplicate);
  if (report.source.size !== undefined)
    perFile.addMetric(names.bytesIngested, MetricUnit.Bytes, report.source.size);
  const duration = Date.parse(report.finishedAt) - Date.parse(report.startedAt);
  if (Number.isFinite(duration)) perFile.addMetric(names.ingestDuration, MetricUnit.Milliseconds, duration);
  if (report.status === 'rejected') perFile.addMetric(names.filesRejected, MetricUnit.Count, 1);
  if (report.fileErrors.some((error) => error.code === 'DUPLICATE_UPLOAD'))
    perFile.addMetric(names.duplicateUploads, MetricUnit.Count, 1);
  logger.info('Object ingested', {
    key: report.source.key,
    status: report.status,
    counts: report.counts,
    chunks: report.chunks ?? 1,
    durationMs: duration,
  });
}

/**
 * A failed attempt: counted, logged, and on the last delivery before the dead-letter queue the
 * job is marked failed with a report saying so (reportFailure).
 */
async function jobFailed(
  record: SQSRecord,
  dimensions: Record<string, string>,
  failed: Parameters<typeof reportFailure>[1],
  error: unknown,
): Promise<void> {
  const metric = metrics.singleMetric();
  metric.addDimensions(dimensions);
  metric.addMetric(names.jobsFailed, MetricUnit.Count, 1);
  const attempt = Number(record.attributes?.ApproximateReceiveCount ?? 1);
  const last = attempt >= queues.ingest.maxReceiveCount;
  logger.error(
    last
      ? 'Ingestion failed on its last attempt'
      : 'Ingestion attempt failed; the message returns to the queue',
    {
      attempt,
      error: error as Error,
    },
  );
  if (last) {
    await reportFailure(ingestDependencies(), failed, error).catch((reportError: unknown) =>
      logger.error('The failure report could not be written', reportError as Error),
    );
  }
}

function dimensionsOf(key: string): Record<string, string> {
  const [, agency = '_unknown', dataset = '_unknown'] = key.split('/');
  return { agency, dataset };
}

/**
 * One SQS message is either an S3 notification (a new file: single pass, or the chunk plan fanned
 * out) or an `ingest-chunk` message (one byte range of a large file). A failure returns just that
 * message to the queue; every step is idempotent, so the retry ends as one clean run would.
 */
async function ingestMessage(record: SQSRecord): Promise<void> {
  const chunk = chunkMessageIn(record.body);
  if (chunk) return ingestChunkMessage(record, chunk);
  for (const object of objectsCreatedIn(record.body)) await ingestCreatedObject(record, object);
}

/** One byte range of a large file. */
async function ingestChunkMessage(record: SQSRecord, chunk: ChunkMessage): Promise<void> {
  logger.appendKeys({ jobId: chunk.jobId, chunk: chunk.chunk });
  logger.setCorrelationId(chunk.jobId);
  try {
    const result = await ingestChunk(ingestDependencies(), chunk);
    const processed = metrics.singleMetric();
    processed.addDimensions(dimensionsOf(chunk.key));
    processed.addMetric(names.chunksProcessed, MetricUnit.Count, result.status === 'processed' ? 1 : 0);
    logger.info('Chunk handled', { status: result.status, of: chunk.chunkCount });
    if ('report' in result && result.report) recordReportMetrics(result.report);
  } catch (error) {
    await jobFailed(record, dimensionsOf(chunk.key), { chunk }, error);
    throw error;
  } finally {
    logger.removeKeys(['jobId', 'chunk']);
  }
}

/** A new file of an S3 notification: ingested in a single pass, or its chunk plan fanned out. */
async function ingestCreatedObject(record: SQSRecord, object: ObjectCreated): Promise<void> {
  const jobId = jobIdFor(object);
  logger.appendKeys({ jobId });
  logger.setCorrelationId(jobId);
  try {
    const result = await ingestObject(ingestDependencies(), object, {
      eventSourceArn: record.eventSourceARN,
    });
    if (result.status === 'duplicate-delivery') {
      logger.info('Object already ingested; delivery skipped', { key: object.key });
    } else if (result.status === 'chunked') {
      logger.info('Large object split into chunks', {
        key: object.key,
        chunks: result.chunks,
        bytes: result.bytes,
      });
    } else {
      recordReportMetrics(result.report);
    }
  } catch (error) {
    await jobFailed(record, dimensionsOf(object.key), { object }, error);
    throw error;
  } finally {
    logger.removeKeys(['jobId']);
  }
}

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async (event, context) => processPartialResponse(event, ingestMessage, processor, { context }));
