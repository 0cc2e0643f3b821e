import { env } from '#lib/platform/resources';
import { LOCAL_STAGE } from './naming';

/** What the handlers need to find the local resources; the same shape as the stack.json file. */
export interface HandlerEnvironmentInput {
  region: string;
  endpoints: { dynamodb: string; s3: string; sqs: string };
  tableName: string;
  bucketName: string;
  matchQueueUrl: string;
  /** The local EventBridge (local/emulators/eventbridge.ts) and its bus; omitted = not set. */
  eventBridge?: { endpoint: string; busName: string };
  /** Handlers' Powertools log level unless POWERTOOLS_LOG_LEVEL is already set. */
  logLevel?: string;
  /** The access log's reference key file (local/audit-reference-key.ts); omitted = not set. */
  auditReferenceSecretFile?: string;
}

/**
 * The environment of a local invocation: the variables CDK sets on the functions, the standard
 * AWS_ENDPOINT_URL_* variables that lib/aws/clients.ts reads, dummy credentials (the emulators accept
 * any) and Powertools settings for a laptop: no X-Ray, no metrics on stdout unless asked for.
 */
export function handlerEnvironment(
  input: HandlerEnvironmentInput,
  current = process.env,
): Record<string, string> {
  const keep = (name: string, fallback: string) => current[name] ?? fallback;
  return {
    [env.tableName]: input.tableName,
    [env.bucketName]: input.bucketName,
    [env.matchQueueUrl]: input.matchQueueUrl,
    [env.stage]: LOCAL_STAGE,
    AWS_REGION: input.region,
    AWS_DEFAULT_REGION: input.region,
    AWS_ENDPOINT_URL_DYNAMODB: input.endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: input.endpoints.s3,
    AWS_ENDPOINT_URL_SQS: input.endpoints.sqs,
    ...(input.eventBridge
      ? {
          [env.eventBusName]: input.eventBridge.busName,
          AWS_ENDPOINT_URL_EVENTBRIDGE: input.eventBridge.endpoint,
        }
      : {}),
    ...(input.auditReferenceSecretFile
      ? { [env.auditReferenceSecretFile]: input.auditReferenceSecretFile }
      : {}),
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: keep('POWERTOOLS_METRICS_DISABLED', 'true'),
    POWERTOOLS_LOG_LEVEL: keep('POWERTOOLS_LOG_LEVEL', input.logLevel ?? 'INFO'),
    // The SDK's advice to move to Node 22 (known, see docs) would otherwise open every run.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: keep(
      'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
      'true',
    ),
  };
}

/** Sets the environment in this process (handlers run in-process) and drops what would interfere. */
export function applyHandlerEnvironment(input: HandlerEnvironmentInput): void {
  // A session token or profile from the developer's shell must not mix with the dummy keys.
  for (const name of ['AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_ENDPOINT_URL']) delete process.env[name];
  Object.assign(process.env, handlerEnvironment(input));
}
