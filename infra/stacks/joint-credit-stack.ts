import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { defaultRegistryPath, loadAgencyRegistry } from '../../lib/platform/agency-registry';
import type { StageSettings } from '../config';
import { AgencyUploadAccess } from '../constructs/agency-upload-access';
import { AlarmTopic } from '../constructs/alarm-topic';
import { CreditApi } from '../constructs/credit-api';
import { CreditTable } from '../constructs/credit-table';
import { DataBucket } from '../constructs/data-bucket';
import { DeadlinesSchedule } from '../constructs/deadlines-schedule';
import { CreditEventBus } from '../constructs/event-bus';
import { IngestPipeline } from '../constructs/ingest-pipeline';
import { MatchPipeline } from '../constructs/match-pipeline';
import { Monitoring } from '../constructs/monitoring';
import { PublicDisclosure } from '../constructs/public-disclosure';

export interface JointCreditStackProps extends StackProps {
  readonly settings: StageSettings;
}

/** The whole platform for one stage: storage, the ingest and match pipelines, the API, the schedule, monitoring. */
export class JointCreditStack extends Stack {
  readonly data: DataBucket;
  readonly table: CreditTable;
  readonly alarms: AlarmTopic;
  readonly match: MatchPipeline;
  readonly events: CreditEventBus;
  readonly ingest: IngestPipeline;
  readonly deadlines: DeadlinesSchedule;
  readonly api: CreditApi;
  readonly publicDisclosure: PublicDisclosure;
  readonly monitoring: Monitoring;
  readonly agencyUploads: AgencyUploadAccess;

  constructor(scope: Construct, id: string, props: JointCreditStackProps) {
    super(scope, id, props);
    const { settings } = props;

    this.data = new DataBucket(this, 'Data', { settings });
    // One IAM policy per registered agency (config/agencies.json): its own incoming/ and reports/ prefixes.
    this.agencyUploads = new AgencyUploadAccess(this, 'AgencyUploads', {
      settings,
      data: this.data,
      registry: loadAgencyRegistry(defaultRegistryPath),
    });
    this.table = new CreditTable(this, 'CreditTable', { settings });
    this.alarms = new AlarmTopic(this, 'Alarms', { settings });
    const alarmAction = this.alarms.action;

    this.match = new MatchPipeline(this, 'Match', { settings, table: this.table, alarmAction });
    this.events = new CreditEventBus(this, 'Events', { settings });
    this.events.grantPublish(this.match.function);
    this.ingest = new IngestPipeline(this, 'Ingest', {
      settings,
      data: this.data,
      table: this.table,
      matchQueue: this.match.queue,
      alarmAction,
    });
    this.deadlines = new DeadlinesSchedule(this, 'Deadlines', {
      settings,
      data: this.data,
      table: this.table,
      matchQueue: this.match.queue,
      alarmAction,
      events: this.events,
    });
    this.api = new CreditApi(this, 'Api', { settings, table: this.table });
    this.publicDisclosure = new PublicDisclosure(this, 'PublicDisclosure', {
      settings,
      restApi: this.api.restApi,
      apiFunction: this.api.apiFunction.function,
      accessLogBucket: this.data.accessLogBucket,
    });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      settings,
      alarmAction,
      ingest: this.ingest,
      match: this.match,
      deadlines: this.deadlines,
      api: this.api,
    });

    new CfnOutput(this, 'BucketName', { value: this.data.bucket.bucketName });
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName });
    new CfnOutput(this, 'ApiUrl', { value: this.api.restApi.url });
    new CfnOutput(this, 'IngestQueueUrl', { value: this.ingest.queue.queue.queueUrl });
    new CfnOutput(this, 'MatchQueueUrl', { value: this.match.queue.queue.queueUrl });
    new CfnOutput(this, 'EventBusName', { value: this.events.bus.eventBusName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });
  }
}
