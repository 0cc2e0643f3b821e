import {
  Alarm,
  type AlarmProps,
  ComparisonOperator,
  type IAlarmAction,
  type IMetric,
  MathExpression,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Operation } from 'aws-cdk-lib/aws-dynamodb';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { StageSettings } from '#infra/config';
import { metrics, resourceName } from '#lib/platform/resources';
import {
  accountConcurrency,
  functionsOf,
  type MonitoredResources,
  period,
  serviceMetric,
  stackMetric,
  workQueuesOf,
} from './metrics';

/** Alarm thresholds: the operators' contract, kept together. */
export const thresholds = {
  /** Percentage of invocations of one function that failed within `period`… */
  functionErrorRatePercent: 5,
  /** …counted only from this many invocations in the period (one failure at night is not 100 %). */
  functionMinInvocations: 20,
  /** Share (0–1) of API requests answered with a 5xx within `period`… */
  apiServerErrorRate: 0.05,
  /** Share (0–1) of API requests answered with a 4xx within `period` (a client or key rolled out wrong)… */
  apiClientErrorRate: 0.25,
  /** …both counted only from this many requests in the period. */
  apiMinRequests: 50,
  /** p99 latency (ms) of the API stage, from apiMinRequests requests. */
  apiLatencyP99Ms: 3000,
  /** Requests answered 429 (stage, usage plan or web ACL limits) within `period`. */
  apiThrottledRequests: 50,
  /** Visible messages waiting on a work queue: the consumer is capped (maxConcurrency) or failing. */
  queueBacklog: { ingest: 100, match: 10_000 } as Record<string, number>,
  /** Share (0–1) of the account's Lambda concurrency in use. */
  accountConcurrencyShare: 0.8,
  /** Evaluation: datapointsToAlarm of evaluationPeriods. */
  datapointsToAlarm: 2,
  evaluationPeriods: 3,
} as const;

export interface PlatformAlarmsProps {
  readonly settings: StageSettings;
  readonly alarmAction: IAlarmAction;
  readonly resources: MonitoredResources;
}

type AlarmSpec = Omit<AlarmProps, 'evaluationPeriods' | 'alarmName'> & { readonly name: string };

/**
 * The alarms not owned by a pipeline (those live with the queue or schedule they watch): functions,
 * queues, the API, the table, the topics and the account. Each step adds one family of alarms.
 */
export class PlatformAlarms extends Construct {
  readonly alarms: readonly Alarm[];
  private readonly created: Alarm[] = [];

  constructor(
    scope: Construct,
    id: string,
    private readonly props: PlatformAlarmsProps,
  ) {
    super(scope, id);
    this.functionErrorRates();
    this.functionThrottles();
    this.queueAges();
    this.queueBacklogs();
    this.calendarGaps();
    this.apiServerErrors();
    this.apiClientErrors();
    this.apiThrottling();
    this.apiLatency();
    this.tableErrors();
    this.topicDeliveryFailures();
    this.accountConcurrency();
    this.alarms = this.created;
  }

  /** One alarm, published with its return to OK; 2 of 3 periods unless the spec says otherwise. */
  private alarm(alarmId: string, spec: AlarmSpec, evaluation = {}): Alarm {
    const { name, ...alarmProps } = spec;
    const created = new Alarm(this, alarmId, {
      alarmName: resourceName(this.props.settings.stage, name),
      treatMissingData: TreatMissingData.NOT_BREACHING,
      evaluationPeriods: thresholds.evaluationPeriods,
      datapointsToAlarm: thresholds.datapointsToAlarm,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      ...alarmProps,
      ...evaluation,
    });
    created.addAlarmAction(this.props.alarmAction);
    created.addOkAction(this.props.alarmAction);
    this.created.push(created);
    return created;
  }

  private functionErrorRates(): void {
    const min = thresholds.functionMinInvocations;
    for (const [name, fn] of Object.entries(functionsOf(this.props.resources))) {
      this.alarm(`${fn.definition.id}ErrorRateAlarm`, {
        name: `${fn.definition.id}-error-rate`,
        alarmDescription: `More than ${thresholds.functionErrorRatePercent}% of ${name} invocations failed in ${period.toMinutes()} minutes (from ${min} invocations), in 2 of 3 periods.`,
        metric: new MathExpression({
          expression: `IF(invocations >= ${min}, 100 * errors / invocations, 0)`,
          usingMetrics: {
            errors: fn.function.metricErrors({ statistic: 'Sum', period }),
            invocations: fn.function.metricInvocations({ statistic: 'Sum', period }),
          },
          label: `${name} error rate (%)`,
          period,
        }),
        threshold: thresholds.functionErrorRatePercent,
      });
    }
  }

  /** The API and authorizer throttle at their reserved concurrency; consumers should never throttle. */
  private functionThrottles(): void {
    for (const [name, fn] of Object.entries(functionsOf(this.props.resources))) {
      this.alarm(`${fn.definition.id}ThrottleAlarm`, {
        name: `${fn.definition.id}-throttles`,
        alarmDescription: `${name} invocations were throttled (reserved concurrency or account limit reached) in 2 of 3 periods.`,
        metric: fn.function.metricThrottles({ statistic: 'Sum', period }),
        threshold: 0,
      });
    }
  }

  private queueAges(): void {
    for (const [name, workQueue] of Object.entries(workQueuesOf(this.props.resources))) {
      // Older than one visibility timeout: a message has waited longer than a whole processing attempt.
      this.alarm(
        `${workQueue.definition.id}AgeAlarm`,
        {
          name: `${workQueue.definition.id}-oldest-message-age`,
          alarmDescription: `The oldest message on the ${name} queue is older than its visibility timeout (${workQueue.definition.visibilityTimeoutSeconds} s): the consumer is failing or falling behind.`,
          metric: workQueue.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period }),
          threshold: workQueue.definition.visibilityTimeoutSeconds,
        },
        { evaluationPeriods: 1, datapointsToAlarm: 1 },
      );
    }
  }

  private queueBacklogs(): void {
    for (const [name, workQueue] of Object.entries(workQueuesOf(this.props.resources))) {
      const limit = thresholds.queueBacklog[name] ?? 1000;
      this.alarm(
        `${workQueue.definition.id}BacklogAlarm`,
        {
          name: `${workQueue.definition.id}-backlog`,
          alarmDescription: `More than ${limit} messages waited on the ${name} queue for 15 minutes: the consumer is at its concurrency cap or failing.`,
          metric: workQueue.queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period }),
          threshold: limit,
        },
        { evaluationPeriods: 3, datapointsToAlarm: 3 },
      );
    }
  }

  private calendarGaps(): void {
    this.alarm(
      'CalendarYearMissingAlarm',
      {
        name: 'calendar-year-missing',
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
      },
      { evaluationPeriods: 1, datapointsToAlarm: 1 },
    );
  }

  /** A share of the stage's requests, counted only from apiMinRequests requests in the period. */
  private apiShare(count: IMetric, label: string): MathExpression {
    const stage = this.props.resources.api.restApi.deploymentStage;
    return new MathExpression({
      expression: `IF(requests >= ${thresholds.apiMinRequests}, part / requests, 0)`,
      usingMetrics: { part: count, requests: stage.metricCount({ statistic: 'Sum', period }) },
      label,
      period,
    });
  }

  private apiServerErrors(): void {
    const stage = this.props.resources.api.restApi.deploymentStage;
    this.alarm('ApiServerErrorAlarm', {
      name: 'api-5xx-rate',
      alarmDescription: `More than ${thresholds.apiServerErrorRate * 100}% of API requests were answered with a 5xx in ${period.toMinutes()} minutes (from ${thresholds.apiMinRequests} requests), in 2 of 3 periods.`,
      metric: this.apiShare(stage.metricServerError({ statistic: 'Sum', period }), '5xx share'),
      threshold: thresholds.apiServerErrorRate,
    });
  }

  private apiClientErrors(): void {
    const stage = this.props.resources.api.restApi.deploymentStage;
    this.alarm('ApiClientErrorAlarm', {
      name: 'api-4xx-rate',
      alarmDescription: `More than ${thresholds.apiClientErrorRate * 100}% of API requests were answered with a 4xx (from ${thresholds.apiMinRequests} requests), in 2 of 3 periods: a client or a key rollout is failing.`,
      metric: this.apiShare(stage.metricClientError({ statistic: 'Sum', period }), '4xx share'),
      threshold: thresholds.apiClientErrorRate,
    });
  }

  /** API Gateway has no 429 metric: a metric filter on the access log counts them. */
  private apiThrottling(): void {
    const { api } = this.props.resources;
    new MetricFilter(this, 'ApiThrottledFilter', {
      logGroup: api.accessLogGroup,
      filterPattern: FilterPattern.stringValue('$.status', '=', '429'),
      metricNamespace: metrics.namespace,
      metricName: metrics.names.apiRequestsThrottled,
      metricValue: '1',
      defaultValue: 0,
    });
    this.alarm('ApiThrottledAlarm', {
      name: 'api-429-surge',
      alarmDescription: `More than ${thresholds.apiThrottledRequests} API requests were refused with 429 in ${period.toMinutes()} minutes, in 2 of 3 periods: an agency is over its usage plan or the stage limit.`,
      metric: stackMetric(metrics.names.apiRequestsThrottled),
      threshold: thresholds.apiThrottledRequests,
    });
  }

  private apiLatency(): void {
    const stage = this.props.resources.api.restApi.deploymentStage;
    this.alarm(
      'ApiLatencyAlarm',
      {
        name: 'api-latency-p99',
        alarmDescription: `API p99 latency above ${thresholds.apiLatencyP99Ms} ms for 15 minutes (from ${thresholds.apiMinRequests} requests per period).`,
        metric: new MathExpression({
          expression: `IF(requests >= ${thresholds.apiMinRequests}, latency, 0)`,
          usingMetrics: {
            latency: stage.metricLatency({ statistic: 'p99', period }),
            requests: stage.metricCount({ statistic: 'Sum', period }),
          },
          label: 'p99 latency (ms)',
          period,
        }),
        threshold: thresholds.apiLatencyP99Ms,
      },
      { evaluationPeriods: 3, datapointsToAlarm: 3 },
    );
  }

  private tableErrors(): void {
    const { table } = this.props.resources.table;
    const operations = itemOperations;
    this.alarm('TableThrottleAlarm', {
      name: 'table-throttles',
      alarmDescription: 'DynamoDB throttled requests to the credit table in 2 of 3 periods.',
      metric: table.metricThrottledRequestsForOperations({ operations, period }),
      threshold: 0,
    });
    this.alarm('TableSystemErrorAlarm', {
      name: 'table-system-errors',
      alarmDescription:
        'DynamoDB answered requests to the credit table with system errors (HTTP 500) in 2 of 3 periods.',
      metric: table.metricSystemErrorsForOperations({ operations, period }),
      threshold: 0,
    });
  }

  private topicDeliveryFailures(): void {
    for (const [name, topic] of Object.entries(this.props.resources.topics)) {
      this.alarm(
        `${name}TopicDeliveryAlarm`,
        {
          name: `${name.toLowerCase()}-topic-delivery-failed`,
          alarmDescription: `SNS could not deliver messages of the ${name} topic to a subscriber.`,
          metric: topic.metricNumberOfNotificationsFailed({ statistic: 'Sum', period }),
          threshold: 0,
        },
        { evaluationPeriods: 1, datapointsToAlarm: 1 },
      );
    }
  }

  private accountConcurrency(): void {
    const { accountConcurrencyLimit } = this.props.settings;
    const limit = Math.floor(accountConcurrencyLimit * thresholds.accountConcurrencyShare);
    this.alarm(
      'AccountConcurrencyAlarm',
      {
        name: 'account-concurrency',
        alarmDescription: `Lambda concurrency in this account and region above ${limit} of ${accountConcurrencyLimit} for 15 minutes: functions will soon be throttled (npm run preflight shows the real limit).`,
        metric: accountConcurrency(),
        threshold: limit,
      },
      { evaluationPeriods: 3, datapointsToAlarm: 3 },
    );
  }
}

/** The DynamoDB operations the functions send (infra/constructs/credit-table.ts tableAccess). */
const itemOperations = [
  Operation.GET_ITEM,
  Operation.BATCH_GET_ITEM,
  Operation.QUERY,
  Operation.PUT_ITEM,
  Operation.UPDATE_ITEM,
  Operation.DELETE_ITEM,
  Operation.BATCH_WRITE_ITEM,
  Operation.TRANSACT_WRITE_ITEMS,
];
