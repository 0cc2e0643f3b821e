import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IAlarmAction, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { EventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type QueueDefinition, type QueueName, queues, resourceName } from '#lib/platform/resources';
import type { StageSettings } from '../config';
import { acknowledge } from '../nag';
import type { CreditFunction } from './credit-function';

/** AWS's guidance for SQS event sources: visibility timeout at least six times the function timeout. */
export const visibilityTimeoutFactor = 6;

export interface WorkQueueProps {
  /** Which entry of `queues` (lib/platform/resources.ts) this is. */
  readonly name: QueueName;
  readonly settings: StageSettings;
  readonly alarmAction: IAlarmAction;
}

/**
 * A queue a Lambda function consumes, with its dead-letter queue and an alarm that fires as soon as
 * one message is dead-lettered. Settings come from the shared queue definition, never from here.
 */
export class WorkQueue extends Construct {
  readonly definition: QueueDefinition;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    const { stage } = props.settings;
    this.definition = queues[props.name];
    const queueName = resourceName(stage, this.definition.id);

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      queueName: `${queueName}-dlq`,
      retentionPeriod: Duration.seconds(this.definition.deadLetterRetentionSeconds),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // A prod stack's deletion must not take unprocessed failures with it.
      removalPolicy: props.settings.removalPolicy,
    });
    acknowledge(
      this.deadLetterQueue,
      'Serverless-SQSRedrivePolicy',
      'This is the terminal dead-letter queue: messages stay here (alarmed) until an operator redrives them with npm run admin -- dlq redrive.',
    );

    this.queue = new Queue(this, 'Queue', {
      queueName,
      visibilityTimeout: Duration.seconds(this.definition.visibilityTimeoutSeconds),
      retentionPeriod: Duration.seconds(this.definition.retentionSeconds),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: this.definition.maxReceiveCount },
    });

    this.deadLetterAlarm = new Alarm(this, 'DeadLetterAlarm', {
      alarmName: `${queueName}-dlq-not-empty`,
      alarmDescription: `Messages of ${queueName} failed ${this.definition.maxReceiveCount} times and were dead-lettered: inspect, fix, then redrive.`,
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.deadLetterAlarm.addAlarmAction(props.alarmAction);
    this.deadLetterAlarm.addOkAction(props.alarmAction);
  }

  /**
   * Makes `consumer` poll this queue the way the shared definition says (batch size, batching window)
   * and report partial batch failures, so one bad message never fails its whole batch. `maxConcurrency`
   * caps the invocations the mapping starts, so a large upload cannot take the account's concurrency
   * from the API (messages wait in the queue instead of being throttled).
   */
  addConsumer(consumer: CreditFunction, maxConcurrency: number): EventSourceMapping {
    const required = consumer.definition.timeoutSeconds * visibilityTimeoutFactor;
    if (this.definition.visibilityTimeoutSeconds < required) {
      throw new Error(
        `${this.definition.id}: visibility timeout ${this.definition.visibilityTimeoutSeconds}s is below ${visibilityTimeoutFactor}× the ${consumer.definition.id} timeout (${required}s)`,
      );
    }
    consumer.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: this.definition.batchSize,
        maxBatchingWindow: Duration.seconds(this.definition.maxBatchingWindowSeconds),
        reportBatchItemFailures: true,
        maxConcurrency,
      }),
    );
    const mapping = consumer.function.node.children.find(
      (child): child is EventSourceMapping => child instanceof EventSourceMapping,
    );
    if (mapping === undefined)
      throw new Error(`${consumer.definition.id}: no event-source mapping was created`);

    acknowledge(
      mapping,
      'Serverless-LambdaEventSourceMappingDestination',
      'SQS event-source mappings do not support on-failure destinations; the queue redrive policy moves a message to the alarmed dead-letter queue after maxReceiveCount receives.',
    );
    acknowledge(
      consumer.function,
      'Serverless-LambdaDLQ',
      'Invoked synchronously by the SQS event-source mapping, never asynchronously: failed messages go to the queue dead-letter queue, not to a function DLQ.',
    );
    return mapping;
  }
}
