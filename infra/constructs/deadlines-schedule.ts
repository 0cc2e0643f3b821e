import { Aws, Duration, TimeZone } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IAlarmAction, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { SnsTopic } from 'aws-cdk-lib/aws-events-targets';
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
import { deadlineEvents } from '../../lib/deadlines/events';
import { defaultRegistryPath, loadAgencyRegistry } from '../../lib/platform/agency-registry';
import { env, resourceName, schedules } from '../../lib/platform/resources';
import type { StageSettings } from '../config';
import { acknowledge, wildcardOnArn } from '../nag';
import { CreditFunction } from './credit-function';
import type { CreditTable } from './credit-table';
import { type DataBucket, officeReportsPrefix } from './data-bucket';
import type { CreditEventBus } from './event-bus';
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
 * The daily deadlines job: an EventBridge Scheduler schedule (Asia/Shanghai) invoking the deadlines
 * function. A run that cannot be delivered (after the scheduler's retries) and a run whose function
 * invocation fails (after Lambda's asynchronous retries) both land in one dead-letter queue, alarmed.
 */
export class DeadlinesSchedule extends Construct {
  readonly function: CreditFunction;
  readonly schedule: Schedule;
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
    table.grantReadWrite(this.function);
    data.grantObjects(this.function, ['s3:PutObject'], officeReportsPrefix);
    matchQueue.queue.grantSendMessages(this.function.role);

    if (events) {
      // The run puts one event per agency on the platform bus; a rule forwards them to a topic that
      // agencies' contacts subscribe to with a filter policy on the message body's agencyCode.
      events.grantPublish(this.function);
      this.noticeTopic = new Topic(this, 'NoticeTopic', {
        topicName: resourceName(settings.stage, 'deadline-notices'),
        displayName: 'Joint credit: overdue reporting deadlines',
        enforceSSL: true,
      });
      new Rule(this, 'NoticeRule', {
        ruleName: resourceName(settings.stage, 'deadline-notices'),
        description: 'Deadline notices (one per agency and run) to the notices topic',
        eventBus: events.bus,
        eventPattern: { source: [deadlineEvents.source], detailType: [deadlineEvents.detailType] },
        // A notice EventBridge cannot deliver joins the failed runs in the alarmed dead-letter queue.
        targets: [
          new SnsTopic(this.noticeTopic, {
            message: RuleTargetInput.fromEventPath('$.detail'),
            deadLetterQueue: this.deadLetterQueue,
            retryAttempts: definition.maximumRetryAttempts,
          }),
        ],
      });
    }

    // The scheduler's own role, here rather than a stack-level one, so its grants sit next to it:
    // invoke this function, send to this dead-letter queue.
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

    this.schedule = new Schedule(this, 'Schedule', {
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
}
