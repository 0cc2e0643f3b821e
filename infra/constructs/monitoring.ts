import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  type AlarmProps,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IAlarm,
  type IAlarmAction,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { metrics, resourceName } from '../../lib/platform/resources';
import type { StageSettings } from '../config';
import type { CreditApi } from './credit-api';
import type { CreditFunction } from './credit-function';
import type { DeadlinesSchedule } from './deadlines-schedule';
import type { IngestPipeline } from './ingest-pipeline';
import type { MatchPipeline } from './match-pipeline';
import type { WorkQueue } from './work-queue';

const period = Duration.minutes(5);

/** Alarm thresholds: the operators' contract, kept together. */
export const thresholds = {
  /** Percentage of invocations of one function that failed within `period`. */
  functionErrorRatePercent: 5,
  /** Share (0–1) of API requests answered with a 5xx within `period`. */
  apiServerErrorRate: 0.05,
} as const;

export interface MonitoringProps {
  readonly settings: StageSettings;
  readonly alarmAction: IAlarmAction;
  readonly ingest: IngestPipeline;
  readonly match: MatchPipeline;
  readonly deadlines: DeadlinesSchedule;
  readonly api: CreditApi;
}

/**
 * A custom metric summed over every dimension set the handlers publish it with (Powertools adds a
 * `service` dimension, handlers may add more), so the graph does not depend on the dimensions.
 */
function customMetric(metricName: string, label: string): MathExpression {
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
function customMetricBy(
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
function serviceMetric(metricName: string, service: string): Metric {
  return new Metric({
    namespace: metrics.namespace,
    metricName,
    dimensionsMap: { service },
    statistic: 'Sum',
    period,
  });
}

function graph(title: string, left: IMetric[], right: IMetric[] = [], width = 8): GraphWidget {
  return new GraphWidget({ title, left, right, width, height: 6 });
}

/**
 * The operations dashboard (ingestion, checks, queues, functions) and the alarms that are not owned
 * by a pipeline: function error rates, queue age, API 5xx. Dead-letter and failed-run alarms live
 * with the queue or schedule they watch and are shown here too.
 */
export class Monitoring extends Construct {
  readonly dashboard: Dashboard;
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { settings, alarmAction, ingest, match, deadlines, api } = props;
    const { stage } = settings;
    const functions: Record<string, CreditFunction> = {
      ingest: ingest.function,
      match: match.function,
      deadlines: deadlines.function,
      api: api.apiFunction,
      authorizer: api.authorizerFunction,
    };
    const workQueues: Record<string, WorkQueue> = { ingest: ingest.queue, match: match.queue };
    const stageMetrics = api.restApi.deploymentStage;

    const alarms: Alarm[] = [];
    const alarm = (alarmId: string, alarmProps: Omit<AlarmProps, 'evaluationPeriods'>): Alarm => {
      const created = new Alarm(this, alarmId, {
        treatMissingData: TreatMissingData.NOT_BREACHING,
        evaluationPeriods: 1,
        ...alarmProps,
      });
      created.addAlarmAction(alarmAction);
      created.addOkAction(alarmAction);
      alarms.push(created);
      return created;
    };

    for (const [name, fn] of Object.entries(functions)) {
      alarm(`${fn.definition.id}ErrorRateAlarm`, {
        alarmName: resourceName(stage, `${fn.definition.id}-error-rate`),
        alarmDescription: `More than ${thresholds.functionErrorRatePercent}% of ${name} invocations failed in ${period.toMinutes()} minutes.`,
        metric: new MathExpression({
          expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
          usingMetrics: {
            errors: fn.function.metricErrors({ statistic: 'Sum', period }),
            invocations: fn.function.metricInvocations({ statistic: 'Sum', period }),
          },
          label: `${name} error rate (%)`,
          period,
        }),
        threshold: thresholds.functionErrorRatePercent,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      });
    }

    for (const [name, workQueue] of Object.entries(workQueues)) {
      // Older than one visibility timeout: a message has waited longer than a whole processing attempt.
      alarm(`${workQueue.definition.id}AgeAlarm`, {
        alarmName: resourceName(stage, `${workQueue.definition.id}-oldest-message-age`),
        alarmDescription: `The oldest message on the ${name} queue is older than its visibility timeout (${workQueue.definition.visibilityTimeoutSeconds} s): the consumer is failing or falling behind.`,
        metric: workQueue.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period }),
        threshold: workQueue.definition.visibilityTimeoutSeconds,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      });
    }

    alarm('CalendarYearMissingAlarm', {
      alarmName: resourceName(stage, 'calendar-year-missing'),
      alarmDescription:
        'A deadline fell in a year with no official calendar data (API 422 CALENDAR_YEAR_UNAVAILABLE or a deadlines run): the credit office must add the State Council holiday notice as a calendar file or through PUT /v1/calendar/years/{year}.',
      metric: new MathExpression({
        expression: 'api + deadlines',
        usingMetrics: {
          api: serviceMetric(metrics.names.calendarYearMissing, 'api'),
          deadlines: serviceMetric(metrics.names.calendarYearMissing, 'deadlines'),
        },
        label: 'deadlines without calendar data',
        period,
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    });

    alarm('ApiServerErrorAlarm', {
      alarmName: resourceName(stage, 'api-5xx-rate'),
      alarmDescription: `More than ${thresholds.apiServerErrorRate * 100}% of API requests were answered with a 5xx in ${period.toMinutes()} minutes.`,
      metric: stageMetrics.metricServerError({ statistic: 'Average', period }),
      threshold: thresholds.apiServerErrorRate,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    this.alarms = alarms;

    const perFunction = (metric: (fn: CreditFunction) => Metric): IMetric[] =>
      Object.entries(functions).map(([name, fn]) => metric(fn).with({ label: name, period }));
    const perQueue = (metric: (workQueue: WorkQueue) => Metric, suffix = ''): IMetric[] =>
      Object.entries(workQueues).map(([name, workQueue]) =>
        metric(workQueue).with({ label: `${name}${suffix}`, period }),
      );
    const ingestFunction = ingest.function.function;
    const allAlarms: IAlarm[] = [
      ingest.queue.deadLetterAlarm,
      match.queue.deadLetterAlarm,
      deadlines.deadLetterAlarm,
      deadlines.failedRunAlarm,
      ...alarms,
    ];

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: resourceName(stage, 'operations'),
      defaultInterval: Duration.days(1),
    });
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: allAlarms, width: 24, height: 4 }),
    );
    this.dashboard.addWidgets(new TextWidget({ markdown: '## Ingestion', width: 24, height: 1 }));
    this.dashboard.addWidgets(
      graph(
        'Ingest function: invocations and errors',
        [ingestFunction.metricInvocations({ statistic: 'Sum', period })],
        [ingestFunction.metricErrors({ statistic: 'Sum', period })],
        6,
      ),
      graph(
        'Ingest function: duration',
        [
          ingestFunction.metricDuration({ statistic: 'p50', period, label: 'p50' }),
          ingestFunction.metricDuration({ statistic: 'p99', period, label: 'p99' }),
          ingestFunction.metricDuration({ statistic: 'Maximum', period, label: 'max' }),
        ],
        [],
        6,
      ),
      graph(
        'Ingested rows: accepted, rejected, late',
        [
          customMetric(metrics.names.rowsAccepted, 'accepted'),
          customMetric(metrics.names.rowsRejected, 'rejected'),
          customMetric(metrics.names.rowsLate, 'late'),
        ],
        [],
        6,
      ),
      graph(
        'Ingest jobs failed',
        [
          customMetric(metrics.names.jobsFailed, 'jobs failed'),
          customMetric(metrics.names.filesRejected, 'files rejected'),
        ],
        [],
        6,
      ),
    );
    this.dashboard.addWidgets(new TextWidget({ markdown: '## Checks', width: 24, height: 1 }));
    this.dashboard.addWidgets(
      graph('Checks completed', [customMetric(metrics.names.checksCompleted, 'checks')], [], 6),
      graph(
        'API requests and 4xx/5xx errors',
        [stageMetrics.metricCount({ statistic: 'Sum', period, label: 'requests' })],
        [
          stageMetrics.metricClientError({ statistic: 'Sum', period, label: '4xx' }),
          stageMetrics.metricServerError({ statistic: 'Sum', period, label: '5xx' }),
        ],
        6,
      ),
      graph(
        'API latency p50/p99',
        [
          stageMetrics.metricLatency({ statistic: 'p50', period, label: 'p50' }),
          stageMetrics.metricLatency({ statistic: 'p99', period, label: 'p99' }),
          stageMetrics.metricIntegrationLatency({ statistic: 'p99', period, label: 'integration p99' }),
        ],
        [],
        6,
      ),
      graph(
        'Check hit rate (%)',
        [
          new MathExpression({
            expression: `IF(checks > 0, 100 * hits / checks, 0)`,
            usingMetrics: {
              checks: customMetric(metrics.names.checksCompleted, 'checks'),
              hits: customMetric(metrics.names.checksWithHits, 'checks with a hit'),
            },
            label: 'hit rate (%)',
            period,
          }),
        ],
        [],
        6,
      ),
    );
    this.dashboard.addWidgets(new TextWidget({ markdown: '## Feedback', width: 24, height: 1 }));
    this.dashboard.addWidgets(
      graph(
        'Feedback: owed vs given (per day)',
        [
          customMetric(metrics.names.feedbackOwed, 'owed (checks with measures)'),
          customMetric(metrics.names.feedbackGiven, 'given'),
          customMetricBy(metrics.names.deadlineItemsOverdue, 'type', 'overdue', 'type="feedback-overdue"'),
        ],
        [],
        12,
      ),
      graph(
        'Alerts pushed to watching agencies',
        [customMetric(metrics.names.alertsCreated, 'alerts created')],
        [],
        12,
      ),
    );
    this.dashboard.addWidgets(new TextWidget({ markdown: '## Deadlines', width: 24, height: 1 }));
    this.dashboard.addWidgets(
      graph(
        'Deadlines: overdue items by type',
        [customMetricBy(metrics.names.deadlineItemsOverdue, 'type', DYNAMIC_TYPE_LABEL)],
        [],
        12,
      ),
      graph(
        'Deadlines runs: late records, expiries, calendar gaps',
        [
          customMetric(metrics.names.deadlineRunsCompleted, 'runs completed'),
          customMetric(metrics.names.recordsLate, 'records late'),
          customMetric(metrics.names.listEntriesExpired, 'list entries expired'),
          customMetric(metrics.names.calendarYearMissing, 'calendar year missing'),
        ],
        [],
        12,
      ),
    );
    this.dashboard.addWidgets(new TextWidget({ markdown: '## Queues', width: 24, height: 1 }));
    this.dashboard.addWidgets(
      graph(
        'Queues: visible messages',
        perQueue((workQueue) =>
          workQueue.queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum' }),
        ),
      ),
      graph(
        'Queues: age of oldest message',
        perQueue((workQueue) =>
          workQueue.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum' }),
        ),
      ),
      graph('Dead-letter queues: depth', [
        ...perQueue(
          (workQueue) =>
            workQueue.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum' }),
          ' DLQ',
        ),
        deadlines.deadLetterQueue
          .metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum' })
          .with({ label: 'deadlines schedule DLQ', period }),
      ]),
    );
    this.dashboard.addWidgets(new TextWidget({ markdown: '## Lambda', width: 24, height: 1 }));
    this.dashboard.addWidgets(
      graph(
        'Lambda: errors',
        perFunction((fn) => fn.function.metricErrors({ statistic: 'Sum' })),
        [],
        6,
      ),
      graph(
        'Lambda: throttles',
        perFunction((fn) => fn.function.metricThrottles({ statistic: 'Sum' })),
        [],
        6,
      ),
      graph(
        'Lambda: duration p99',
        perFunction((fn) => fn.function.metricDuration({ statistic: 'p99' })),
        [],
        6,
      ),
      graph(
        'Lambda: concurrent executions',
        perFunction((fn) => fn.function.metric('ConcurrentExecutions', { statistic: 'Maximum' })),
        [],
        6,
      ),
    );
  }
}
