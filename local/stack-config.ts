import type { QueueName } from '#lib/platform/resources';

/** What a running local stack publishes (.local/stack.json): enough for any tool to reach it. */
export interface LocalStackConfig {
  apiBaseUrl: string;
  region: string;
  stage: string;
  endpoints: { dynamodb: string; s3: string; sqs: string; eventbridge: string };
  eventBusName: string;
  bucketName: string;
  tableName: string;
  queues: Record<QueueName, { url: string; dlqUrl: string }>;
  /** The key file of the access log's subject references (local/audit-reference-key.ts). */
  auditReferenceSecretFile?: string;
  demo?: { agencyCode: string; apiKey: string };
}

/** The file `npm start` writes: the config plus the process that serves it. */
export interface LocalStackFile extends LocalStackConfig {
  pid: number;
  startedAt: string;
}
