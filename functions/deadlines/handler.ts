import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { createDocumentClient } from '../../lib/aws/clients';
import { shanghaiDateOfInstant } from '../../lib/clock/clock';
import { DeadlineStore } from '../../lib/deadlines/deadline-store';
import { createEventNotifier, RecordingNotifier } from '../../lib/deadlines/notifier';
import { type AgencyNotifier, type DeadlinesReport, runDeadlines } from '../../lib/deadlines/run-deadlines';
import { loadAgencyRegistry } from '../../lib/platform/agency-registry';
import { requireEnv } from '../../lib/platform/config';
import { observability } from '../../lib/platform/observability';
import { env, metrics as metricDefinitions } from '../../lib/platform/resources';
import { clock, matchQueueClient, objectStore } from '../shared/dependencies';

const { logger, metrics } = observability('deadlines');

let store: DeadlineStore | undefined;
let notifier: AgencyNotifier | undefined;

function dependencies() {
  store ??= new DeadlineStore(createDocumentClient(), requireEnv(env.tableName));
  const busName = process.env[env.eventBusName];
  notifier ??= busName ? createEventNotifier(busName) : new RecordingNotifier();
  return { store, notifier };
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

/** The run date is the schedule's time, not the clock: a retried invocation covers the same day. */
export const handler = middy<ScheduledEvent, DeadlinesReport>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    const runDate = event.time ? shanghaiDateOfInstant(event.time) : clock.today();
    // One correlation id per run date: a retried or repeated run logs under the same id.
    logger.setCorrelationId(`deadlines-${runDate}`);
    logger.appendKeys({ runDate, scheduledEventId: event.id });
    const report = await runDeadlines(
      {
        ...dependencies(),
        objects: objectStore(),
        matchQueue: matchQueueClient(),
        agencies: knownAgencies(),
      },
      runDate,
    );
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
