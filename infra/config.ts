import { fileURLToPath } from 'node:url';
import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { type Stage, stages } from '#lib/platform/resources';

/** The repository root: function entries in `functions` are relative to it. */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Context key that selects the deployment stage (`cdk synth -c stage=prod`). */
export const stageContextKey = 'stage';
const defaultStage: Stage = 'dev';

/**
 * Context keys that override one setting of the selected stage (`-c partition=aws-cn`,
 * `-c apiAccess=private -c apiVpcEndpointIds=vpce-1,vpce-2`, `-c architecture=x86_64`, …).
 */
export const overrideContextKeys = {
  partition: 'partition',
  apiAccess: 'apiAccess',
  apiVpcEndpointIds: 'apiVpcEndpointIds',
  architecture: 'architecture',
  functionRuntime: 'functionRuntime',
  deadlinesTrigger: 'deadlinesTrigger',
  nodejsSingletonRuntime: 'nodejsSingletonRuntime',
  pythonSingletonRuntime: 'pythonSingletonRuntime',
  authorizerCacheSeconds: 'authorizerCacheSeconds',
  publicSiteOrigins: 'publicSiteOrigins',
} as const;

export class InvalidStageError extends Error {
  override name = 'InvalidStageError';
  constructor(value: unknown) {
    super(`Unknown stage ${JSON.stringify(value)}: use -c ${stageContextKey}=${stages.join('|')}`);
  }
}

export class InvalidSettingError extends Error {
  override name = 'InvalidSettingError';
}

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (stages as readonly string[]).includes(value);
}

/** Reads the stage from context (default dev) and refuses anything not listed in `stages`. */
export function stageFromContext(scope: Construct): Stage {
  const value: unknown = scope.node.tryGetContext(stageContextKey) ?? defaultStage;
  if (!isStage(value)) throw new InvalidStageError(value);
  return value;
}

export const partitions = ['aws', 'aws-cn'] as const;
export type Partition = (typeof partitions)[number];

/**
 * How machine clients reach the API:
 * - `authorizer`: public regional endpoint, per-agency API keys checked by the Lambda authorizer. In the
 *   China regions API Gateway serves such calls only for accounts with an ICP licence.
 * - `iam`: public regional endpoint, SigV4-signed calls (AWS_IAM) from one IAM role per agency; the
 *   documented path in the China regions without ICP.
 * - `private`: private endpoint, reachable only through the listed interface VPC endpoints (the
 *   government network); the Lambda authorizer still checks the API key.
 */
export const apiAccessModes = ['authorizer', 'iam', 'private'] as const;
export type ApiAccess = (typeof apiAccessModes)[number];

/** What starts the daily deadlines run: EventBridge Scheduler (time zone aware) or an EventBridge rule (UTC cron). */
export const deadlinesTriggers = ['scheduler', 'events-rule'] as const;
export type DeadlinesTrigger = (typeof deadlinesTriggers)[number];

export const architectures = ['arm64', 'x86_64'] as const;
export type FunctionArchitecture = (typeof architectures)[number];

/** What differs between stages. Everything else is identical, so dev proves prod. */
export interface StageSettings {
  readonly stage: Stage;
  /** `aws` (global regions) or `aws-cn` (Beijing cn-north-1, Ningxia cn-northwest-1). */
  readonly partition: Partition;
  /** Bucket, table, log groups, dead-letter queues: kept on stack deletion in prod, removed in dev. */
  readonly removalPolicy: RemovalPolicy;
  /** Dev buckets are emptied on deletion so that a dev stack can be torn down; never in prod. */
  readonly autoDeleteObjects: boolean;
  readonly tableDeletionProtection: boolean;
  /** Prod keeps logs a year: the Cybersecurity Law (art. 21) asks for at least six months. */
  readonly logRetention: RetentionDays;
  /** Server access logs of the data bucket, kept as long as the function logs. */
  readonly accessLogRetentionDays: number;
  /**
   * Superseded versions of result reports (reports/) stay recoverable this long: an operations choice
   * (the recovery window), not a rule of law. Versions under incoming/ never expire (original files are kept).
   */
  readonly noncurrentVersionDays: number;
  /** X-Ray active tracing (functions and API stage) and the Powertools Tracer. */
  readonly tracing: boolean;
  readonly architecture: FunctionArchitecture;
  /** Lambda runtime identifier of the platform's functions, e.g. nodejs22.x. */
  readonly functionRuntime: string;
  /**
   * Runtimes forced onto the functions aws-cdk-lib adds itself (custom-resource providers), by runtime
   * family; unset keeps the library's choice. For regions that do not offer the library's runtime yet.
   */
  readonly singletonRuntimes: { readonly nodejs?: string; readonly python?: string };
  readonly deadlinesTrigger: DeadlinesTrigger;
  readonly apiAccess: ApiAccess;
  /** Interface VPC endpoints (execute-api) allowed to call a `private` API. */
  readonly apiVpcEndpointIds: readonly string[];
  /** Authorizer decisions are cached this long: the longest a revoked key keeps working. */
  readonly authorizerCacheSeconds: number;
  /** Concurrency reserved for (and capped at) the synchronous functions, so that queue work never starves them. */
  readonly reservedConcurrency: { readonly api: number; readonly authorizer: number };
  /** Largest number of concurrent invocations each SQS consumer may take (Lambda minimum: 2). */
  readonly consumerMaxConcurrency: { readonly ingest: number; readonly match: number };
  /** The account's Lambda concurrency limit the alarms are measured against (npm run preflight reads the real one). */
  readonly accountConcurrencyLimit: number;
  /** Customer-managed KMS keys (rotated) for the table, the data bucket and the topics. */
  readonly customerManagedKeys: boolean;
  /** Per-agency usage plan: steady rate, burst and daily quota of one agency's API key. */
  readonly agencyUsagePlan: {
    readonly rateLimit: number;
    readonly burstLimit: number;
    readonly quotaPerDay: number;
  };
  /** WAFv2 web ACL on the API stage with a rate-based rule (requests per 5 minutes per IP); none when undefined. */
  readonly webAclRateLimit?: number;
  /**
   * Origins (`https://host[:port]`) the public page is served from: browsers there may PUT repair
   * materials to the data bucket through presigned URLs (the bucket's CORS rule). None: no CORS rule,
   * so no browser upload. The page's origin (its custom domain, or the API's own) is known per
   * deployment: `-c publicSiteOrigins=https://xyb.example.gov.cn,https://…`.
   */
  readonly publicSiteOrigins: readonly string[];
}

const dev: StageSettings = {
  stage: 'dev',
  partition: 'aws',
  removalPolicy: RemovalPolicy.DESTROY,
  autoDeleteObjects: true,
  tableDeletionProtection: false,
  logRetention: RetentionDays.ONE_MONTH,
  accessLogRetentionDays: 30,
  noncurrentVersionDays: 30,
  tracing: true,
  architecture: 'arm64',
  functionRuntime: 'nodejs22.x',
  singletonRuntimes: {},
  deadlinesTrigger: 'scheduler',
  apiAccess: 'authorizer',
  apiVpcEndpointIds: [],
  authorizerCacheSeconds: 300,
  reservedConcurrency: { api: 10, authorizer: 5 },
  consumerMaxConcurrency: { ingest: 2, match: 2 },
  accountConcurrencyLimit: 1000,
  customerManagedKeys: false,
  agencyUsagePlan: { rateLimit: 20, burstLimit: 40, quotaPerDay: 50_000 },
  publicSiteOrigins: [],
};

const prod: StageSettings = {
  ...dev,
  stage: 'prod',
  removalPolicy: RemovalPolicy.RETAIN,
  autoDeleteObjects: false,
  tableDeletionProtection: true,
  logRetention: RetentionDays.ONE_YEAR,
  accessLogRetentionDays: 365,
  noncurrentVersionDays: 365,
  // A revoked key stops working within a minute (admin key revoke).
  authorizerCacheSeconds: 60,
  reservedConcurrency: { api: 50, authorizer: 20 },
  consumerMaxConcurrency: { ingest: 10, match: 5 },
  customerManagedKeys: true,
  agencyUsagePlan: { rateLimit: 50, burstLimit: 100, quotaPerDay: 500_000 },
  webAclRateLimit: 3000,
};

/**
 * What the China regions need (docs/deploying.md, with sources): no X-Ray integration with Lambda,
 * API Gateway's ICP rule (SigV4 by default), and the fallbacks for features to confirm per region
 * (npm run preflight): x86_64; the library's providers pinned to the platform's own Node.js runtime
 * and python3.12, since new runtimes reach the China regions later; an EventBridge rule instead of Scheduler.
 */
const chinaProfile: Partial<StageSettings> = {
  partition: 'aws-cn',
  tracing: false,
  architecture: 'x86_64',
  singletonRuntimes: { nodejs: 'nodejs22.x', python: 'python3.12' },
  deadlinesTrigger: 'events-rule',
  apiAccess: 'iam',
};

/** The `china` stage: prod's durability and keys, in the aws-cn partition. */
const china: StageSettings = { ...prod, ...chinaProfile, stage: 'china' };

const settings: Record<Stage, StageSettings> = { dev, prod, china };

export function stageSettings(stage: Stage): StageSettings {
  return settings[stage];
}

function oneOf<T extends string>(key: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new InvalidSettingError(`-c ${key}=${String(value)}: use ${allowed.join('|')}`);
}

function list(value: unknown): string[] {
  const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
  return items.map((item) => item.trim()).filter(Boolean);
}

function cacheSeconds(key: string, value: unknown): number {
  const seconds = Number(value);
  // API Gateway accepts 0 (no cache) to 3600 seconds.
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 3600)
    throw new InvalidSettingError(`-c ${key}=${String(value)}: use 0–3600`);
  return seconds;
}

/** A list of web origins: scheme, host and optional port, nothing else (S3 compares them exactly). */
function origins(key: string, value: unknown): string[] {
  const items = list(value);
  const bad = items.find((item) => !/^https?:\/\/[a-z0-9.-]+(:[0-9]{1,5})?$/i.test(item));
  if (bad !== undefined)
    throw new InvalidSettingError(`-c ${key}: ${bad} is not an origin (https://host[:port])`);
  return items;
}

type OverrideParser = (key: string, value: unknown, current: StageSettings) => Partial<StageSettings>;

/** One parser per context key, applied in this order (the partition profile first, then single settings). */
const overrideParsers: Record<keyof typeof overrideContextKeys, OverrideParser> = {
  partition: (key, value) =>
    oneOf(key, value, partitions) === 'aws-cn' ? chinaProfile : { partition: 'aws' },
  apiAccess: (key, value) => ({ apiAccess: oneOf(key, value, apiAccessModes) }),
  apiVpcEndpointIds: (_key, value) => ({ apiVpcEndpointIds: list(value) }),
  architecture: (key, value) => ({ architecture: oneOf(key, value, architectures) }),
  functionRuntime: (_key, value) => ({ functionRuntime: String(value) }),
  deadlinesTrigger: (key, value) => ({ deadlinesTrigger: oneOf(key, value, deadlinesTriggers) }),
  nodejsSingletonRuntime: (_key, value, current) => ({
    singletonRuntimes: { ...current.singletonRuntimes, nodejs: String(value) },
  }),
  pythonSingletonRuntime: (_key, value, current) => ({
    singletonRuntimes: { ...current.singletonRuntimes, python: String(value) },
  }),
  authorizerCacheSeconds: (key, value) => ({ authorizerCacheSeconds: cacheSeconds(key, value) }),
  publicSiteOrigins: (key, value) => ({ publicSiteOrigins: origins(key, value) }),
};

/** `base` with the overrides given in context, each validated. */
function withContextOverrides(scope: Construct, base: StageSettings): StageSettings {
  let current = base;
  for (const [name, parse] of Object.entries(overrideParsers)) {
    const key = overrideContextKeys[name as keyof typeof overrideContextKeys];
    const value: unknown = scope.node.tryGetContext(key);
    if (value !== undefined) current = { ...current, ...parse(key, value, current) };
  }
  return current;
}

/** Refuses combinations that cannot deploy. */
function validated(result: StageSettings): StageSettings {
  if (result.apiAccess === 'private' && result.apiVpcEndpointIds.length === 0) {
    throw new InvalidSettingError(
      `apiAccess=private needs the interface VPC endpoints that may call it: -c ${overrideContextKeys.apiVpcEndpointIds}=vpce-…`,
    );
  }
  for (const [name, value] of Object.entries(result.consumerMaxConcurrency)) {
    if (value < 2 || value > 1000)
      throw new InvalidSettingError(`consumerMaxConcurrency.${name}=${value}: Lambda accepts 2–1000`);
  }
  return result;
}

/** The selected stage's settings with the context overrides applied (what the app synthesises). */
export function settingsFromContext(scope: Construct): StageSettings {
  return validated(withContextOverrides(scope, stageSettings(stageFromContext(scope))));
}
