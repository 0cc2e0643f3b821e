import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ingestObject } from '../../lib/ingest/ingest-object';
import { objectsCreatedIn } from '../../lib/ingest/s3-event';
import { observability } from '../../lib/platform/observability';
import { metrics as metricDefinitions } from '../../lib/platform/resources';
import { creditStore, matchQueueClient, objectStore } from '../shared/dependencies';

const { logger, metrics } = observability('ingest');
const processor = new BatchProcessor(EventType.SQS);
const { names } = metricDefinitions;

/** One SQS message carries one S3 notification; a failure returns just that message to the queue. */
async function ingestMessage(record: SQSRecord): Promise<void> {
  for (const object of objectsCreatedIn(record.body)) {
    const result = await ingestObject(
      { store: creditStore(), objects: objectStore(), matchQueue: matchQueueClient() },
      object,
    );
    if (result.status === 'duplicate-delivery') {
      logger.info('Object already ingested; delivery skipped', { jobId: result.jobId, key: object.key });
      continue;
    }
    const { report } = result;
    logger.info('Object ingested', {
      jobId: report.jobId,
      key: object.key,
      status: report.status,
      counts: report.counts,
    });
    const dimensions = metrics.singleMetric();
    dimensions.addDimension('dataset', report.dataset);
    dimensions.addMetric(names.rowsAccepted, MetricUnit.Count, report.counts.accepted);
    dimensions.addMetric(names.rowsRejected, MetricUnit.Count, report.counts.rejected);
    dimensions.addMetric(names.rowsLate, MetricUnit.Count, report.counts.late);
    if (report.status === 'rejected') metrics.addMetric(names.filesRejected, MetricUnit.Count, 1);
  }
}

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async (event, context) =>
    processPartialResponse(event, ingestMessage, processor, { context }).catch((error: unknown) => {
      metrics.addMetric(names.jobsFailed, MetricUnit.Count, event.Records.length);
      throw error;
    }),
  );
