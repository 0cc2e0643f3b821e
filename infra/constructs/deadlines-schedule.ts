import { Aws, Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IAlarmAction, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Schedule as EventSchedule, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
  TimeWindow,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { defaultRegistryPath, loadAgencyRegistry } from '#lib/platform/agency-registry';
import { deadlineEvents, env, resourceName, schedules } from '#lib/platform/resources';
import type { StageSettings } from '../config';
import { acknowledge, wildcardOnArn } from '../nag';
import { CreditFunction } from './credit-function';
import { acknowledgeKeyActions, type CreditTable } from './credit-table';
import { type DataBucket, officeReportsPrefix } from './data-bucket';
import type { CreditEventBus } from './event-bus';
import { topicKey } from './topic-key';
import type { WorkQueue } from './work-queue';

/** SQS's longest retention: a failed run must still be there after a holiday week. */
const failedRunRetention = Duration.days(14);

export interface DeadlinesScheduleProps {
  readonly settings: StageSettings;
  readonly data: DataBucket;
  readonly table: CreditTable;
  readonly matchQueue: WorkQueue;
  readonly alarmAction: IAlarmAction;
  /** Where the run publishes one notice per agency with overdue items. */
  readonly events?: CreditEventBus;
  /** Registered agency codes the run covers for cadence and statistics (default: config/agencies.json). */
  readonly agencyCodes?: readonly string[];
}

/**
 * The daily deadlines job: an EventBridge Scheduler schedule (Asia/Shanghai) — or, by stage setting,
 * an EventBridge rule at the same time — invoking the deadlines function. A run that cannot be delivered (after the scheduler's retries) and a run whose function
 * invocation fails (after Lambda's asynchronous retries) both land in one dead-letter queue, alarmed.
 */
export class DeadlinesSchedule extends Construct {
  readonly function: CreditFunction;
  /** EventBridge Scheduler schedule (deadlinesTrigger=scheduler)… */
  readonly schedule?: Schedule;
  /** …or EventBridge rule (deadlinesTrigger=events-rule). */
  readonly rule?: Rule;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;
  readonly failedRunAlarm: Alarm;
  /** Agencies' overdue notices (one message per agency and run; subscribers filter on agencyCode). */
  readonly noticeTopic?: Topic;

  constructor(scope: Construct, id: string, props: DeadlinesScheduleProps) {
    super(scope, id);
    const { settings, data, table, matchQueue, alarmAction, events } = props;
    const definition = schedules.deadlines;
    const scheduleName = resourceName(settings.stage, definition.id);

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      queueName: `${scheduleName}-dlq`,
      retentionPeriod: failedRunRetention,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy: settings.removalPolicy,
    });
    acknowledge(
      this.deadLetterQueue,
      'AwsSolutions-SQS3',
      'This queue is itself a dead-letter queue: of the deadlines schedule target and of the deadlines function asynchronous invocations.',
    );
    acknowledge(
      this.deadLetterQueue,
      'Serverless-SQSRedrivePolicy',
      'This is a terminal dead-letter queue: failed runs stay here (alarmed) until an operator re-runs them.',
    );

    this.function = new CreditFunction(this, 'Function', {
      name: 'deadlines',
      settings,
      deadLetterQueue: this.deadLetterQueue,
      environment: {
        [env.tableName]: table.table.tableName,
        [env.bucketName]: data.bucket.bucketName,
        [env.matchQueueUrl]: matchQueue.queue.queueUrl,
        [env.deadlinesAgencies]: (
          props.agencyCodes ?? loadAgencyRegistry(defaultRegistryPath).agencies.map((agency) => agency.code)
        ).join(','),
      },
    });
    table.grantItems(this.function);
    data.grantObjects(this.function, ['s3:PutObject'], officeReportsPrefix);
    matchQueue.queue.grantSendMessages(this.function.role);

    if (events) this.noticeTopic = this.forwardNotices(settings, events);
    if (settings.deadlinesTrigger === 'scheduler') this.schedule = this.createSchedule(scheduleName);
    else this.rule = this.createRule(settings);

    this.deadLetterAlarm = new Alarm(this, 'DeadLetterAlarm', {
      alarmName: `${scheduleName}-dlq-not-empty`,
      alarmDescription: `A ${definition.id} run was not delivered or its invocation failed: inspect ${scheduleName}-dlq and re-run.`,
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    this.failedRunAlarm = new Alarm(this, 'FailedRunAlarm', {
      alarmName: `${scheduleName}-run-failed`,
      alarmDescription: `The ${definition.id} function reported an error: the deadlines report may be missing or incomplete.`,
      metric: this.function.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    for (const alarm of [this.deadLetterAlarm, this.failedRunAlarm]) {
      alarm.addAlarmAction(alarmAction);
      alarm.addOkAction(alarmAction);
    }
  }

  /**
   * The run puts one event per agency on the platform bus; a rule forwards them to a topic that
   * agencies' contacts subscribe to with a filter policy on the message body's agencyCode. EventBridge
   * publishes through a role only this account's rule of that name may assume (no topic policy for the
   * service principal: no confused deputy).
   */
  private forwardNotices(settings: StageSettings, events: CreditEventBus): Topic {
    const definition = schedules.deadlines;
    const ruleName = resourceName(settings.stage, 'deadline-notices');
    events.grantPublish(this.function);
    const topic = new Topic(this, 'NoticeTopic', {
      topicName: resourceName(settings.stage, 'deadline-notices'),
      displayName: 'Joint credit: overdue reporting deadlines',
      enforceSSL: true,
      masterKey: topicKey(
        this,
        'NoticeKey',
        settings,
        `Encrypts the ${settings.stage} deadline notices topic`,
        [],
      ),
    });
    const publisher = new Role(this, 'NoticePublisherRole', {
      assumedBy: new ServicePrincipal('events.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnEquals: {
            'aws:SourceArn': Stack.of(this).formatArn({
              service: 'events',
              resource: 'rule',
              resourceName: `${events.bus.eventBusName}/${ruleName}`,
            }),
          },
        },
      }),
      description: `Lets the ${ruleName} rule publish deadline notices`,
    });
    new Rule(this, 'NoticeRule', {
      ruleName,
      description: 'Deadline notices (one per agency and run) to the notices topic',
      eventBus: events.bus,
      eventPattern: { source: [deadlineEvents.source], detailType: [deadlineEvents.detailType] },
      // A notice EventBridge cannot deliver joins the failed runs in the alarmed dead-letter queue.
      targets: [
        new SnsTopic(topic, {
          message: RuleTargetInput.fromEventPath('$.detail'),
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: definition.maximumRetryAttempts,
          authorizeUsingRole: true,
          role: publisher,
        }),
      ],
    });
    if (topic.masterKey) acknowledgeKeyActions(publisher);
    return topic;
  }

  /**
   * EventBridge Scheduler in Asia/Shanghai. The scheduler's own role sits here, so its grants sit next
   * to it: invoke this function, send to this dead-letter queue.
   */
  private createSchedule(scheduleName: string): Schedule {
    const definition = schedules.deadlines;
    const schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: `Lets EventBridge Scheduler run ${scheduleName}`,
    });
    acknowledge(
      schedulerRole,
      wildcardOnArn(this.function.function.node.defaultChild as CfnFunction, ':*'),
      "grantInvoke's <function-arn>:* covers versions and aliases of this one function only.",
    );
    return new Schedule(this, 'Schedule', {
      scheduleName,
      description: this.function.definition.description,
      schedule: ScheduleExpression.expression(definition.expression, TimeZone.of(definition.timezone)),
      timeWindow: TimeWindow.off(),
      target: new LambdaInvoke(this.function.function, {
        role: schedulerRole,
        retryAttempts: definition.maximumRetryAttempts,
        maxEventAge: Duration.seconds(definition.maximumEventAgeSeconds),
        deadLetterQueue: this.deadLetterQueue,
        // Shaped like an EventBridge "Scheduled Event" (the handler reads `time`): `time` is the
        // scheduled time, not the delivery time, so a retried run covers the same day.
        input: ScheduleTargetInput.fromObject({
          version: '0',
          id: ContextAttribute.executionId,
          'detail-type': 'Scheduled Event',
          source: 'aws.scheduler',
          account: Aws.ACCOUNT_ID,
          time: ContextAttribute.scheduledTime,
          region: Aws.REGION,
          resources: [ContextAttribute.scheduleArn],
          detail: { schedule: definition.id, attemptNumber: ContextAttribute.attemptNumber },
        }),
      }),
    });
  }

  /**
   * Where Scheduler is not offered: an EventBridge rule on the default bus. Rules read cron in UTC, so
   * the Asia/Shanghai expression is shifted by the zone's fixed offset; the rule delivers a native
   * Scheduled Event whose `time` is the scheduled time, as the handler expects.
   */
  private createRule(settings: StageSettings): Rule {
    const definition = schedules.deadlines;
    return new Rule(this, 'ScheduleRule', {
      ruleName: resourceName(settings.stage, definition.id),
      description: `${this.function.definition.description} (${definition.expression} ${definition.timezone})`,
      schedule: EventSchedule.expression(utcCron(definition.expression, definition.timezone)),
      targets: [
        new LambdaFunction(this.function.function, {
          retryAttempts: definition.maximumRetryAttempts,
          maxEventAge: Duration.seconds(definition.maximumEventAgeSeconds),
          deadLetterQueue: this.deadLetterQueue,
        }),
      ],
    });
  }
}

/** Fixed UTC offsets (hours) of the zones a schedule may name; Asia/Shanghai has had no DST since 1991. */
const utcOffsetHours: Readonly<Record<string, number>> = { 'Asia/Shanghai': 8 };

/**
 * `cron(m h * * ? *)` read in `timezone` → the same daily time as a UTC cron. Only daily expressions
 * (fixed minute and hour, every day) are shifted: a day-of-month or weekday would move with the hour.
 */
export function utcCron(expression: string, timezone: string): string {
  const fields = /^cron\((.*)\)$/.exec(expression)?.[1]?.split(' ');
  const offset = utcOffsetHours[timezone];
  if (fields?.length !== 6 || offset === undefined)
    throw new Error(`Cannot shift ${expression} (${timezone}) to UTC`);
  const [minute, hour, dayOfMonth, month, dayOfWeek, year] = fields;
  if (
    !/^\d+$/.test(minute ?? '') ||
    !/^\d+$/.test(hour ?? '') ||
    dayOfMonth !== '*' ||
    month !== '*' ||
    dayOfWeek !== '?'
  ) {
    throw new Error(`Only daily cron expressions can be shifted to UTC: ${expression}`);
  }
  const utcHour = (((Number(hour) - offset) % 24) + 24) % 24;
  return `cron(${minute} ${utcHour} * * ? ${year})`;
}
