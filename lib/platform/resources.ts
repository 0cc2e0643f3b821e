/**
 * The one source of truth for every resource the platform owns: table keys and indexes, queue
 * settings, bucket layout and function timeouts. The CDK stack (infra/), the local stack (local/)
 * and the tests all read these; nothing here is copied elsewhere by hand.
 */

export type AttributeType = 'S' | 'N';

export interface KeyAttribute {
  readonly name: string;
  readonly type: AttributeType;
}

export interface GlobalIndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
}

export interface TableDefinition {
  /** Logical id used by CDK and the suffix of the physical name. */
  readonly id: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  readonly globalIndexes: readonly GlobalIndexDefinition[];
  readonly timeToLiveAttribute: string;
}

/** Single-table design; the access patterns are written down in docs/access-patterns.md. */
export const creditTable: TableDefinition = {
  id: 'CreditTable',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalIndexes: [
    {
      // Per-agency listings: jobs, checks, alerts (newest first by ISO timestamp).
      indexName: 'gsi1',
      partitionKey: { name: 'gsi1pk', type: 'S' },
      sortKey: { name: 'gsi1sk', type: 'S' },
    },
    {
      // Deadlines: items keyed by due date, for the scheduled checks.
      indexName: 'gsi2',
      partitionKey: { name: 'gsi2pk', type: 'S' },
      sortKey: { name: 'gsi2sk', type: 'S' },
    },
  ],
  timeToLiveAttribute: 'expiresAt',
};

/**
 * Partition-key prefixes that IAM conditions name (dynamodb:LeadingKeys): API-key hashes and agency
 * profiles, written only by the operators' admin tool. lib/aws/items/keys.ts builds the keys;
 * test/infra/table-access.test.ts checks that the two agree.
 */
export const operatorKeyPrefixes = { apiKey: 'APIKEY#', agencyProfile: 'AGENCY#' } as const;

export interface QueueDefinition {
  readonly id: string;
  /** Seconds a received message stays invisible; at least 6× the consumer's timeout. */
  readonly visibilityTimeoutSeconds: number;
  readonly retentionSeconds: number;
  readonly maxReceiveCount: number;
  readonly deadLetterRetentionSeconds: number;
  /** How the consumer polls it (Lambda event-source mapping, mirrored by the local poller). */
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
}

export interface FunctionDefinition {
  readonly id: string;
  /** Path of the handler module, relative to the repository root. */
  readonly entry: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly description: string;
}

export const functions = {
  ingest: {
    id: 'IngestFunction',
    entry: 'functions/ingest/handler.ts',
    timeoutSeconds: 300,
    memoryMb: 1024,
    description: 'Ingests agency files dropped under incoming/ and writes a result report',
  },
  match: {
    id: 'MatchFunction',
    entry: 'functions/match/handler.ts',
    timeoutSeconds: 60,
    memoryMb: 512,
    description: 'Re-screens subjects when list entries or records change and alerts watchers',
  },
  deadlines: {
    id: 'DeadlinesFunction',
    entry: 'functions/deadlines/handler.ts',
    timeoutSeconds: 300,
    memoryMb: 512,
    description: 'Scheduled check of reporting deadlines; writes the dated deadlines report',
  },
  api: {
    id: 'ApiFunction',
    entry: 'functions/api/handler.ts',
    // Below API Gateway's 29 s integration timeout, so a slow request ends in the function (logged) rather than as a gateway 504.
    timeoutSeconds: 25,
    memoryMb: 512,
    description: 'The /v1 HTTP API: credit checks and health',
  },
  authorizer: {
    id: 'AuthorizerFunction',
    entry: 'functions/authorizer/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 256,
    description: 'Resolves a Bearer API key to its agency and roles',
  },
} as const satisfies Record<string, FunctionDefinition>;

export type FunctionName = keyof typeof functions;

const DAY = 86_400;

function queueFor(id: string, consumer: FunctionDefinition, batchSize: number): QueueDefinition {
  return {
    id,
    visibilityTimeoutSeconds: consumer.timeoutSeconds * 6,
    retentionSeconds: 4 * DAY,
    // Five receives before dead-lettering: a throttled or briefly failing consumer does not dead-letter good work.
    maxReceiveCount: 5,
    deadLetterRetentionSeconds: 14 * DAY,
    batchSize,
    maxBatchingWindowSeconds: 1,
  };
}

export const queues = {
  /** S3 object-created notifications for incoming/ (S3 → SQS → ingest λ: redrive and a DLQ, never a dropped event). */
  ingest: queueFor('IngestQueue', functions.ingest, 1),
  /** Subjects whose list entries or records changed, to be re-screened. */
  match: queueFor('MatchQueue', functions.match, 10),
} as const;

export type QueueName = keyof typeof queues;

/** Bucket layout: the prefixes are part of the public contract with agencies. */
export const bucketLayout = {
  incomingPrefix: 'incoming/',
  reportsPrefix: 'reports/',
  incomingKey: (agencyCode: string, dataset: string, fileName: string) =>
    `incoming/${agencyCode}/${dataset}/${fileName}`,
  reportKey: (agencyCode: string, dataset: string, fileName: string) =>
    `reports/${agencyCode}/${dataset}/${fileName}.result.json`,
  deadlinesReportKey: (date: string, extension: 'json' | 'csv') =>
    `reports/_office/deadlines/${date}.${extension}`,
  /**
   * The report of an upload that was replaced while it was read: beside the file's report, under its
   * job, so that it never overwrites the report of the newer upload (the job records where it is).
   */
  replacedUploadReportKey: (reportKey: string, jobId: string) =>
    reportKey.replace(/\.result\.json$/, `.${jobId}.result.json`),
  /** Every rejected row of an ingested file, as CSV (UTF-8 with BOM, cells neutralised), next to its report. */
  rejectedRowsKey: (reportKey: string) => reportKey.replace(/\.result\.json$/, '.rejected.csv'),
  /** Intermediate results of chunked ingestion (one object per chunk), read back by the job's last chunk. */
  ingestWorkPrefix: 'work/ingest/',
  ingestChunkResultKey: (jobId: string, chunk: number) =>
    `work/ingest/${jobId}/chunk-${String(chunk).padStart(5, '0')}.json`,
  /** Credit-repair materials (commitment letter, evidence), uploaded by presigned PUT. */
  repairMaterialsPrefix: 'repair-materials/',
  repairMaterialKey: (applicationNo: string, materialId: string) =>
    `repair-materials/${applicationNo}/${materialId}`,
  /** A chunk's rejected rows as CSV lines (no BOM, no header), streamed as they are found. */
  ingestChunkRejectedKey: (jobId: string, chunk: number) =>
    `work/ingest/${jobId}/chunk-${String(chunk).padStart(5, '0')}.rejected.csv`,
} as const;

/** Chunked ingestion of large files (docs/ingestion-scale.md). */
export const ingestion = {
  /** Files at least this large are split into chunks of about this many bytes, processed in parallel. */
  chunkBytes: 16 * 1024 * 1024,
  /** Rows listed in the report JSON; every rejected row is in the rejected-rows CSV. */
  reportRejectedRowsLimit: 1000,
  /** BatchWriteItem calls in flight per worker. */
  writeConcurrency: 8,
} as const;

/** The one-click check (docs/check.md). */
export const checkLimits = {
  /**
   * Subjects a name leads to whose entries a check reads for possible hits. A common person's name
   * (王伟) is shared by thousands: past this, the check says its possible hits are incomplete and
   * asks for a code, instead of reading (and showing) every namesake.
   */
  possibleHitSubjectsByName: 50,
} as const;

export const schedules = {
  deadlines: {
    id: 'DeadlinesSchedule',
    // 01:30 Asia/Shanghai every day, after agencies' nightly batch uploads.
    expression: 'cron(30 1 * * ? *)',
    timezone: 'Asia/Shanghai',
    /** Local stack: how often the timer fires the same handler. */
    localIntervalSeconds: 3600,
    maximumRetryAttempts: 3,
    maximumEventAgeSeconds: 3600,
  },
} as const;

export const api = {
  /** Every route lives under /v1 on a stage named after the deployment stage (dev, prod). */
  basePath: '/v1',
  /** Routes that answer without an API key. */
  publicRoutes: ['GET /v1/health', 'GET /v1/openapi.json'],
  throttle: { rateLimit: 200, burstLimit: 400 },
  /** Authorizer results are cached per key for this long. */
  authorizerCacheSeconds: 300,
} as const;

/** Environment variable names shared by handlers, CDK and the local stack. */
export const env = {
  tableName: 'TABLE_NAME',
  bucketName: 'BUCKET_NAME',
  matchQueueUrl: 'MATCH_QUEUE_URL',
  /** Where the ingest function fans chunk messages out (its own queue); derived from the event source when unset. */
  ingestQueueUrl: 'INGEST_QUEUE_URL',
  /** Overrides ingestion.chunkBytes (tests and benchmarks). */
  ingestChunkBytes: 'INGEST_CHUNK_BYTES',
  eventBusName: 'EVENT_BUS_NAME',
  /** Agency codes the deadlines run covers besides those its rules name (comma-separated; from the registry). */
  deadlinesAgencies: 'DEADLINES_AGENCIES',
  stage: 'STAGE',
  /** Authorizer: prefix of the usage-plan key it returns per agency (usageIdentifierKey = prefix + agency code). */
  usageKeyPrefix: 'USAGE_KEY_PREFIX',
  /** Api function with SigV4 access: JSON map of caller role name → { agencyCode, roles } (from the registry). */
  iamCallers: 'IAM_CALLERS',
  /** Functions that write the access log, in AWS: the Secrets Manager secret keying its subject references. */
  auditReferenceSecretArn: 'AUDIT_REFERENCE_SECRET_ARN',
  /** The same key in the local stack: a file (under the data directory, or per run when in memory). */
  auditReferenceSecretFile: 'AUDIT_REFERENCE_SECRET_FILE',
} as const;

/**
 * The key of the access log's subject references (HMAC-SHA256, lib/audit/subject-reference.ts):
 * generated once per stack and never rotated automatically — a new key would give every person a
 * new reference and split their history in the log.
 */
export const auditReferenceSecret = {
  id: 'AuditReferenceKey',
  description: "Key of the personal-data access log's subject references (HMAC-SHA256); do not rotate",
  /** Characters of the generated key (letters and digits: ≈ 380 bits). */
  length: 64,
  /** The local stack's key file, under its data directory. */
  localFileName: 'audit-reference.key',
} as const;

/** The platform's EventBridge bus: alerts (自动推送) go out on it for agencies' systems to route. */
export const eventBus = {
  id: 'EventBus',
  /** Physical name suffix: resourceName(stage, eventBus.nameSuffix). */
  nameSuffix: 'events',
  source: 'joint-credit.match',
  detailTypes: { alert: 'credit.alert', repaired: 'credit.repaired' },
  /** Events kept in the bus archive for replay. */
  archiveRetentionDays: 30,
} as const;

/** The deadlines run's per-agency notices on the platform bus (the CDK rule matches these). */
export const deadlineEvents = {
  source: 'joint-credit.deadlines',
  detailType: 'credit.deadlines.overdue',
} as const;

/** `china`: prod-grade, in the aws-cn partition (infra/config.ts). */
export const stages = ['dev', 'prod', 'china'] as const;
export type Stage = (typeof stages)[number];

export function resourceName(stage: string, logicalName: string): string {
  return `joint-credit-${stage}-${logicalName}`;
}

/**
 * CloudWatch metrics the handlers emit (embedded metric format, Powertools Metrics) and the
 * dashboard and alarms read: one list, so that a renamed metric cannot silently empty a graph.
 */
export const metrics = {
  namespace: 'JointCredit',
  names: {
    rowsAccepted: 'RowsAccepted',
    rowsRejected: 'RowsRejected',
    rowsLate: 'RowsLate',
    jobsFailed: 'JobsFailed',
    filesRejected: 'FilesRejected',
    checksCompleted: 'ChecksCompleted',
    alertsCreated: 'AlertsCreated',
    recordsLate: 'RecordsLate',
    listEntriesExpired: 'ListEntriesExpired',
    /** Deadlines (issue 5): items overdue per run, with a `type` dimension. */
    deadlineItemsOverdue: 'DeadlineItemsOverdue',
    deadlineRunsCompleted: 'DeadlineRunsCompleted',
    /** A deadline fell in a year with no calendar data (alarmed). */
    calendarYearMissing: 'CalendarYearMissing',
    /** Per deadlines run, for the covered day: checks with measures applied, feedback given. */
    feedbackOwed: 'FeedbackOwed',
    feedbackGiven: 'FeedbackGiven',
    /** Checks with at least one list hit (with ChecksCompleted: the hit rate). */
    checksWithHits: 'ChecksWithHits',
    bytesIngested: 'BytesIngested',
    ingestDuration: 'IngestDuration',
    rowsDuplicate: 'RowsDuplicate',
    duplicateUploads: 'DuplicateUploads',
    chunksProcessed: 'ChunksProcessed',
    /** API requests answered 429, counted by a metric filter on the access log (the stack, not a handler). */
    apiRequestsThrottled: 'ApiRequestsThrottled',
  },
} as const;
