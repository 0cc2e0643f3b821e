import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type MatchMessage, parseMatchMessage } from '#lib/matching/messages';
import { type RescreenResult, rescreenLogFields, rescreenSubject } from '#lib/matching/rescreen';
import { rescreenMaskedSubject } from '#lib/matching/rescreen-masked';
import { metrics as metricDefinitions } from '#lib/platform/resources';
import { createMatchDependencies } from './dependencies';

const deps = createMatchDependencies();
const { logger, metrics } = deps;
const processor = new BatchProcessor(EventType.SQS);

/**
 * A malformed message fails alone; after maxReceiveCount deliveries SQS moves it to the DLQ. A
 * message whose alerts could not all be published fails too: its retry publishes the rest.
 */
function screen(message: MatchMessage): Promise<RescreenResult> {
  const today = deps.clock.today();
  return message.kind === 'masked-subject-changed'
    ? rescreenMaskedSubject(deps, message.subjectKey, today)
    : rescreenSubject(deps, message.subjectKey, today);
}

async function rescreen(record: SQSRecord, inBatch: Map<string, Promise<void>>): Promise<void> {
  const message = parseMatchMessage(record.body);
  // The batch processor runs records concurrently: copies of one subject's message in the same
  // batch share one re-screening instead of racing each other over the snapshot and the outbox.
  let screening = inBatch.get(message.subjectKey);
  if (!screening) {
    screening = screen(message).then((result) => {
      logger.info('Subject re-screened', {
        ...rescreenLogFields(result),
        kind: message.kind,
        cause: message.cause,
        messageId: record.messageId,
      });
      if (result.alertsCreated > 0)
        metrics.addMetric(metricDefinitions.names.alertsCreated, MetricUnit.Count, result.alertsCreated);
    });
    inBatch.set(message.subjectKey, screening);
  }
  await screening;
}

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger))
  .use(captureLambdaHandler(deps.tracer))
  .use(logMetrics(metrics))
  .handler(async (event, context) => {
    const inBatch = new Map<string, Promise<void>>();
    return processPartialResponse(event, (record: SQSRecord) => rescreen(record, inBatch), processor, {
      context,
    });
  });
