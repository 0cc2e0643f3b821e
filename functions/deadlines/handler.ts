import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { toShanghaiDate } from '../../lib/calendar/working-days';
import { type DeadlinesReport, runDeadlines } from '../../lib/deadlines/run-deadlines';
import { observability } from '../../lib/platform/observability';
import { metrics as metricDefinitions } from '../../lib/platform/resources';
import { creditStore, matchQueueClient, objectStore } from '../shared/dependencies';

const { logger, metrics } = observability('deadlines');

/** The run date is the schedule's time, not the clock: a retried invocation covers the same day. */
export const handler = middy<ScheduledEvent, DeadlinesReport>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    const runDate = toShanghaiDate(new Date(event.time ?? Date.now()));
    const report = await runDeadlines(
      { store: creditStore(), objects: objectStore(), matchQueue: matchQueueClient() },
      runDate,
    );
    logger.info('Deadlines run finished', {
      runDate,
      lateRecords: report.lateRecords.length,
      expiredListEntries: report.expiredListEntries,
    });
    metrics.addMetric(metricDefinitions.names.recordsLate, MetricUnit.Count, report.lateRecords.length);
    metrics.addMetric(
      metricDefinitions.names.listEntriesExpired,
      MetricUnit.Count,
      report.expiredListEntries,
    );
    return report;
  });
