import { Aws, Stack } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { EventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import {
  type BucketNotificationDestinationConfig,
  BucketNotificationDestinationType,
  EventType,
  type IBucket,
  type IBucketNotificationDestination,
} from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { bucketLayout, env } from '#lib/platform/resources';
import type { StageSettings } from '../config';
import { acknowledge } from '../nag';
import { CreditFunction } from './credit-function';
import type { CreditTable } from './credit-table';
import { type DataBucket, officeReportsPrefix } from './data-bucket';
import { WorkQueue } from './work-queue';

/**
 * S3 → SQS notification destination like aws-cdk-lib's SqsDestination, whose queue policy also
 * requires aws:SourceAccount: S3 may send only for this bucket (aws:SourceArn) owned by this account,
 * so no other account's bucket of the same name can use the grant (confused deputy).
 */
export class AccountBoundQueueDestination implements IBucketNotificationDestination {
  constructor(private readonly queue: IQueue) {}

  bind(_scope: Construct, bucket: IBucket): BucketNotificationDestinationConfig {
    const result = this.queue.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('s3.amazonaws.com')],
        actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        resources: [this.queue.queueArn],
        conditions: {
          ArnLike: { 'aws:SourceArn': bucket.bucketArn },
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        },
      }),
    );
    return {
      arn: this.queue.queueArn,
      type: BucketNotificationDestinationType.QUEUE,
      dependencies: result.policyDependable ? [result.policyDependable] : undefined,
    };
  }
}

export interface IngestPipelineProps {
  readonly settings: StageSettings;
  readonly data: DataBucket;
  readonly table: CreditTable;
  /** Subjects whose records changed are sent here to be re-screened. */
  readonly matchQueue: WorkQueue;
  readonly alarmAction: IAlarmAction;
}

/**
 * Agency files → results. S3 object-created events under `incoming/` go to the ingest queue (not
 * straight to Lambda: S3's asynchronous invocation drops an event after two retries, a queue redrives
 * it and dead-letters it, alarmed), and the ingest function consumes that queue one file at a time.
 */
export class IngestPipeline extends Construct {
  readonly queue: WorkQueue;
  readonly function: CreditFunction;
  readonly eventSourceMapping: EventSourceMapping;

  constructor(scope: Construct, id: string, props: IngestPipelineProps) {
    super(scope, id);
    const { settings, data, table, matchQueue, alarmAction } = props;

    this.queue = new WorkQueue(this, 'Queue', { name: 'ingest', settings, alarmAction });

    this.function = new CreditFunction(this, 'Function', {
      name: 'ingest',
      settings,
      environment: {
        [env.tableName]: table.table.tableName,
        [env.bucketName]: data.bucket.bucketName,
        [env.matchQueueUrl]: matchQueue.queue.queueUrl,
      },
    });
    // Reads the dropped file (by version when the event carries one), writes its result report.
    data.grantObjects(this.function, ['s3:GetObject', 's3:GetObjectVersion'], bucketLayout.incomingPrefix);
    data.grantObjects(this.function, ['s3:PutObject'], bucketLayout.reportsPrefix);
    // Large files: chunk results are written and read back by the delivery that assembles the report.
    data.grantObjects(this.function, ['s3:GetObject', 's3:PutObject'], bucketLayout.ingestWorkPrefix);
    // reports/_office/ belongs to the deadlines job, not to agency ingestion.
    data.denyObjects(this.function, ['s3:PutObject'], officeReportsPrefix);
    table.grantItems(this.function);
    matchQueue.queue.grantSendMessages(this.function.role);

    this.eventSourceMapping = this.queue.addConsumer(this.function, settings.consumerMaxConcurrency.ingest);
    // Large files are cut into byte ranges fanned out through this same queue.
    this.function.function.addEnvironment(env.ingestQueueUrl, this.queue.queue.queueUrl);
    this.queue.queue.grantSendMessages(this.function.role);

    data.bucket.addEventNotification(
      EventType.OBJECT_CREATED,
      new AccountBoundQueueDestination(this.queue.queue),
      {
        prefix: bucketLayout.incomingPrefix,
      },
    );
    // aws-cdk-lib writes notification configurations through one stack-level custom resource.
    const notificationsHandler = Stack.of(this).node.children.find((child) =>
      child.node.id.startsWith('BucketNotificationsHandler'),
    );
    if (notificationsHandler !== undefined) {
      acknowledge(
        notificationsHandler,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        "aws-cdk-lib's deploy-time custom resource that writes the bucket notification configuration; its role and managed logging policy are generated by the library and it runs only during deployments.",
      );
    }
  }
}
