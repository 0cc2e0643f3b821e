import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { shanghaiDateOfInstant } from '#lib/clock/clock';
import { type DeadlinesReport, runDeadlines } from '#lib/deadlines/run-deadlines';
import { metrics as metricDefinitions } from '#lib/platform/resources';
import { clock, deadlinesDependencies, logger, metrics, tracer } from './dependencies';

/** The run date is the schedule's time, not the clock: a retried invocation covers the same day. */
export const handler = middy<ScheduledEvent, DeadlinesReport>()
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    const runDate = event.time ? shanghaiDateOfInstant(event.time) : clock.today();
    // One correlation id per run date: a retried or repeated run logs under the same id.
    logger.setCorrelationId(`deadlines-${runDate}`);
    logger.appendKeys({ runDate, scheduledEventId: event.id });
    const report = await runDeadlines(deadlinesDependencies(), runDate);
    for (const problem of report.calendarProblems) {
      logger.error('Deadline not computable: calendar year missing', {
        problem,
        code: 'CALENDAR_YEAR_UNAVAILABLE',
      });
    }
    logger.info('Deadlines run finished', {
      coveredDate: report.coveredDate,
      lateRecords: report.lateRecords.length,
      overdueByType: report.overdueByType,
      expiredListEntries: report.expiredListEntries,
      agenciesNotified: report.agenciesNotified.length,
    });
    const names = metricDefinitions.names;
    metrics.addMetric(names.recordsLate, MetricUnit.Count, report.lateRecords.length);
    metrics.addMetric(names.listEntriesExpired, MetricUnit.Count, report.expiredListEntries);
    metrics.addMetric(names.calendarYearMissing, MetricUnit.Count, report.calendarProblems.length);
    metrics.addMetric(names.deadlineRunsCompleted, MetricUnit.Count, 1);
    metrics.addMetric(names.feedbackOwed, MetricUnit.Count, report.feedback.owed);
    metrics.addMetric(names.feedbackGiven, MetricUnit.Count, report.feedback.given);
    // Overdue items by type, as one metric with a type dimension (a separate metric set each).
    for (const [type, count] of Object.entries(report.overdueByType)) {
      const single = metrics.singleMetric();
      single.addDimension('type', type);
      single.addMetric(names.deadlineItemsOverdue, MetricUnit.Count, count);
    }
    return report;
  });
