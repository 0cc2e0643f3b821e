import { Aspects, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { defaultRegistryPath, loadAgencyRegistry } from '#lib/platform/agency-registry';
import { bucketLayout, env, resourceName } from '#lib/platform/resources';
import type { StageSettings } from '../config';
import { AgencyUploadAccess } from '../constructs/agency-upload-access';
import { AlarmTopic } from '../constructs/alarm-topic';
import { AuditReferenceKey } from '../constructs/audit-reference-key';
import { CreditApi } from '../constructs/credit-api';
import { CreditTable } from '../constructs/credit-table';
import { DataBucket } from '../constructs/data-bucket';
import { DeadlinesSchedule } from '../constructs/deadlines-schedule';
import { CreditEventBus } from '../constructs/event-bus';
import { IngestPipeline } from '../constructs/ingest-pipeline';
import { MatchPipeline } from '../constructs/match-pipeline';
import { PlatformAlarms } from '../constructs/monitoring/alarms';
import { OperationsDashboard } from '../constructs/monitoring/dashboard';
import { PublicDisclosure } from '../constructs/public-disclosure';
import { LibraryFunctions } from '../singletons';

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
  /** The secret that keys the access log's subject references; read by the api function. */
  readonly auditReferenceKey: AuditReferenceKey;
  readonly publicDisclosure: PublicDisclosure;
  readonly platformAlarms: PlatformAlarms;
  readonly dashboard: OperationsDashboard;
  /** Logs of the functions aws-cdk-lib adds itself (custom-resource providers), with the stage retention. */
  readonly libraryLogs: LogGroup;
  readonly agencyUploads: AgencyUploadAccess;

  constructor(scope: Construct, id: string, props: JointCreditStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const registry = loadAgencyRegistry(defaultRegistryPath);

    this.data = new DataBucket(this, 'Data', { settings });
    // One IAM policy per registered agency (config/agencies.json): its own incoming/ and reports/ prefixes.
    this.agencyUploads = new AgencyUploadAccess(this, 'AgencyUploads', {
      settings,
      data: this.data,
      registry,
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
    this.api = new CreditApi(this, 'Api', { settings, table: this.table, registry });
    // The api function writes the personal-data access log (checks, feedback, subjects, alerts, watches).
    this.auditReferenceKey = new AuditReferenceKey(this, 'AuditReferenceKey', { settings });
    this.auditReferenceKey.grantRead(this.api.apiFunction);
    this.grantCreditRepair();
    this.publicDisclosure = new PublicDisclosure(this, 'PublicDisclosure', {
      settings,
      restApi: this.api.restApi,
      apiFunction: this.api.apiFunction.function,
      accessLogBucket: this.data.accessLogBucket,
    });
    const monitored = {
      ingest: this.ingest,
      match: this.match,
      deadlines: this.deadlines,
      api: this.api,
      table: this.table,
      topics: {
        Alarms: this.alarms.topic,
        ...(this.deadlines.noticeTopic ? { Notices: this.deadlines.noticeTopic } : {}),
      },
    };
    // Construct id 'Monitoring' keeps the alarms' logical ids (and so the alarms) across deployments.
    this.platformAlarms = new PlatformAlarms(this, 'Monitoring', {
      settings,
      alarmAction,
      resources: monitored,
    });
    this.dashboard = new OperationsDashboard(this, 'Operations', {
      settings,
      resources: monitored,
      alarms: [
        this.ingest.queue.deadLetterAlarm,
        this.match.queue.deadLetterAlarm,
        this.deadlines.deadLetterAlarm,
        this.deadlines.failedRunAlarm,
        ...this.platformAlarms.alarms,
      ],
    });

    this.libraryLogs = new LogGroup(this, 'LibraryFunctionLogs', {
      logGroupName: `/aws/lambda/${resourceName(settings.stage, 'library-functions')}`,
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    });
    Aspects.of(this).add(new LibraryFunctions(settings, this.libraryLogs));

    new CfnOutput(this, 'BucketName', { value: this.data.bucket.bucketName });
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName });
    new CfnOutput(this, 'ApiUrl', { value: this.api.restApi.url });
    new CfnOutput(this, 'IngestQueueUrl', { value: this.ingest.queue.queue.queueUrl });
    new CfnOutput(this, 'MatchQueueUrl', { value: this.match.queue.queue.queueUrl });
    new CfnOutput(this, 'EventBusName', { value: this.events.bus.eventBusName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboard.dashboardName });
  }

  /**
   * Credit repair in the api function: decisions and repaired-record alerts go on the bus; the
   * applicant's materials are uploaded by presigned PUT (the function signs it) and checked with HeadObject.
   */
  private grantCreditRepair(): void {
    this.events.grantPublish(this.api.apiFunction);
    this.data.grantObjects(
      this.api.apiFunction,
      ['s3:PutObject', 's3:GetObject'],
      bucketLayout.repairMaterialsPrefix,
    );
    this.api.apiFunction.function.addEnvironment(env.bucketName, this.data.bucket.bucketName);
  }
}
