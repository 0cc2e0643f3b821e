import { Duration } from 'aws-cdk-lib';
import { GraphWidget, type IMetric, MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { metrics } from '#lib/platform/resources';
import type { CreditApi } from '../credit-api';
import type { CreditFunction } from '../credit-function';
import type { CreditTable } from '../credit-table';
import type { DeadlinesSchedule } from '../deadlines-schedule';
import type { IngestPipeline } from '../ingest-pipeline';
import type { MatchPipeline } from '../match-pipeline';
import type { WorkQueue } from '../work-queue';

/** The period every alarm and graph of the platform is measured over. */
export const period = Duration.minutes(5);

/** What the alarms and the dashboard watch. */
export interface MonitoredResources {
  readonly ingest: IngestPipeline;
  readonly match: MatchPipeline;
  readonly deadlines: DeadlinesSchedule;
  readonly api: CreditApi;
  readonly table: CreditTable;
  /** Topics whose failed deliveries are alarmed (notices, alarms). */
  readonly topics: Readonly<Record<string, Topic>>;
}

/** The platform's functions by short name (the authorizer only where the stage has one). */
export function functionsOf(resources: MonitoredResources): Record<string, CreditFunction> {
  const { ingest, match, deadlines, api } = resources;
  return {
    ingest: ingest.function,
    match: match.function,
    deadlines: deadlines.function,
    api: api.apiFunction,
    ...(api.authorizerFunction ? { authorizer: api.authorizerFunction } : {}),
  };
}

export function workQueuesOf(resources: MonitoredResources): Record<string, WorkQueue> {
  return { ingest: resources.ingest.queue, match: resources.match.queue };
}

/**
 * A custom metric summed over every dimension set the handlers publish it with (Powertools adds a
 * `service` dimension, handlers may add more), so the graph does not depend on the dimensions.
 */
export function customMetric(metricName: string, label: string): MathExpression {
  return new MathExpression({
    expression: `SUM(SEARCH('Namespace="${metrics.namespace}" MetricName="${metricName}"', 'Sum', ${period.toSeconds()}))`,
    usingMetrics: {},
    label,
    period,
  });
}

/** CloudWatch dynamic label: each line of a SEARCH named after its `type` dimension value. */
export const DYNAMIC_TYPE_LABEL = ['$', "{PROP('Dim.type')}"].join('');

/** A custom metric with a dimension besides `service`, one line per value of that dimension. */
export function customMetricBy(
  metricName: string,
  dimension: string,
  label: string,
  filter = '',
  seconds = 86_400,
): MathExpression {
  const window = Duration.seconds(seconds);
  return new MathExpression({
    expression: `SEARCH('{${metrics.namespace},service,${dimension}} MetricName="${metricName}"${filter ? ` ${filter}` : ''}', 'Sum', ${window.toSeconds()})`,
    usingMetrics: {},
    label,
    period: window,
  });
}

/** A custom metric as one function's Powertools publishes it (dimension service = the function): alarmable. */
export function serviceMetric(metricName: string, service: string): Metric {
  return new Metric({
    namespace: metrics.namespace,
    metricName,
    dimensionsMap: { service },
    statistic: 'Sum',
    period,
  });
}

/** A metric the stack itself derives (log metric filters), without dimensions. */
export function stackMetric(metricName: string): Metric {
  return new Metric({ namespace: metrics.namespace, metricName, statistic: 'Sum', period });
}

/** Lambda's account-wide concurrency (no dimension). */
export function accountConcurrency(): Metric {
  return new Metric({
    namespace: 'AWS/Lambda',
    metricName: 'ConcurrentExecutions',
    statistic: 'Maximum',
    period,
  });
}

export function graph(title: string, left: IMetric[], right: IMetric[] = [], width = 8): GraphWidget {
  return new GraphWidget({ title, left, right, width, height: 6 });
}
