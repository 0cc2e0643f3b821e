import { Duration } from 'aws-cdk-lib';
import {
  AlarmStatusWidget,
  type CfnDashboard,
  Dashboard,
  type IAlarm,
  type IMetric,
  MathExpression,
  type Metric,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { StageSettings } from '#infra/config';
import { metrics, resourceName } from '#lib/platform/resources';
import type { CreditFunction } from '../credit-function';
import type { WorkQueue } from '../work-queue';
import {
  accountConcurrency,
  customMetric,
  customMetricBy,
  DYNAMIC_TYPE_LABEL,
  functionsOf,
  graph,
  type MonitoredResources,
  period,
  workQueuesOf,
} from './metrics';

/**
 * The dashboard's CloudFormation logical id from before it had its own construct: kept, so that a
 * deployment updates the dashboard in place instead of creating it anew and deleting it by name.
 */
const stableLogicalId = 'MonitoringDashboard0C3675C6';

export interface OperationsDashboardProps {
  readonly settings: StageSettings;
  readonly resources: MonitoredResources;
  /** Every alarm of the stack, for the status row. */
  readonly alarms: readonly IAlarm[];
}

/** The operations dashboard: one row per concern, each added by its own step. */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;
  private readonly resources: MonitoredResources;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    this.resources = props.resources;
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: resourceName(props.settings.stage, 'operations'),
      defaultInterval: Duration.days(1),
    });
    (this.dashboard.node.defaultChild as CfnDashboard).overrideLogicalId(stableLogicalId);
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 4 }),
    );
    this.ingestionRow();
    this.checksRow();
    this.feedbackRow();
    this.deadlinesRow();
    this.queuesRow();
    this.lambdaRow();
  }

  private heading(markdown: string): void {
    this.dashboard.addWidgets(new TextWidget({ markdown, width: 24, height: 1 }));
  }

  private ingestionRow(): void {
    const ingestFunction = this.resources.ingest.function.function;
    this.heading('## Ingestion');
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
  }

  private checksRow(): void {
    const stage = this.resources.api.restApi.deploymentStage;
    this.heading('## Checks');
    this.dashboard.addWidgets(
      graph('Checks completed', [customMetric(metrics.names.checksCompleted, 'checks')], [], 6),
      graph(
        'API requests and 4xx/5xx errors',
        [stage.metricCount({ statistic: 'Sum', period, label: 'requests' })],
        [
          stage.metricClientError({ statistic: 'Sum', period, label: '4xx' }),
          stage.metricServerError({ statistic: 'Sum', period, label: '5xx' }),
        ],
        6,
      ),
      graph(
        'API latency p50/p99',
        [
          stage.metricLatency({ statistic: 'p50', period, label: 'p50' }),
          stage.metricLatency({ statistic: 'p99', period, label: 'p99' }),
          stage.metricIntegrationLatency({ statistic: 'p99', period, label: 'integration p99' }),
        ],
        [],
        6,
      ),
      graph(
        'Check hit rate (%)',
        [
          new MathExpression({
            expression: 'IF(checks > 0, 100 * hits / checks, 0)',
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
  }

  private feedbackRow(): void {
    this.heading('## Feedback');
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
  }

  private deadlinesRow(): void {
    this.heading('## Deadlines');
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
  }

  private queuesRow(): void {
    const perQueue = (metric: (workQueue: WorkQueue) => Metric, suffix = ''): IMetric[] =>
      Object.entries(workQueuesOf(this.resources)).map(([name, workQueue]) =>
        metric(workQueue).with({ label: `${name}${suffix}`, period }),
      );
    this.heading('## Queues');
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
        this.resources.deadlines.deadLetterQueue
          .metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum' })
          .with({ label: 'deadlines schedule DLQ', period }),
      ]),
    );
  }

  private lambdaRow(): void {
    const perFunction = (metric: (fn: CreditFunction) => Metric): IMetric[] =>
      Object.entries(functionsOf(this.resources)).map(([name, fn]) =>
        metric(fn).with({ label: name, period }),
      );
    this.heading('## Lambda');
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
        [
          ...perFunction((fn) => fn.function.metric('ConcurrentExecutions', { statistic: 'Maximum' })),
          accountConcurrency().with({ label: 'account' }),
        ],
        [],
        6,
      ),
    );
  }
}
