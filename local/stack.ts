import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createDynamoClient, createS3Client, createSqsClient } from '#lib/aws/clients';
import {
  api,
  bucketLayout,
  creditTable,
  type FunctionName,
  type QueueName,
  queues,
} from '#lib/platform/resources';
import { type ApiGateway, createApiGateway } from './api/gateway';
import type { LocalHttpRequest, LocalHttpResponse } from './api/http-types';
import { type LocalApiServer, startLocalApiServer } from './api/server';
import { ensureReferenceKeyFile } from './audit-reference-key';
import { type DynamoDbLocal, startDynamoDbLocal } from './emulators/dynamodb-local';
import {
  type EventBridgeEmulator,
  localEventBusName,
  startEventBridgeEmulator,
} from './emulators/eventbridge';
import { type PortName, resolvePorts } from './emulators/ports';
import { type S3Emulator, startS3Emulator } from './emulators/s3rver';
import { type SqsEmulator, startSqsEmulator } from './emulators/sqs-emulator';
import { applyHandlerEnvironment } from './environment';
import { type LocalHandlers, loadHandlers } from './lambda/handlers';
import { createLocalLogger, describeError, type LocalLogger } from './log';
import {
  DEFAULT_LOCAL_REGION,
  LOCAL_STAGE,
  localBucketName,
  localDeadLetterQueueName,
  localQueueName,
  localTableName,
} from './naming';
import { withOps } from './ops/ops-routes';
import { OpsRecorder } from './ops/recorder';
import { type ProvisionedQueue, provisionBucket, provisionQueues, provisionTable } from './provision';
import { forwardObjectCreatedEvents, type S3NotificationForwarder } from './s3-notifications';
import { type ScheduleName, type ScheduleRunner, startSchedules } from './schedules';
import { SqsPoller } from './sqs-poller';
import type { LocalStackConfig } from './stack-config';

export type { PortName } from './emulators/ports';
export { PortInUseError, portEnvironmentVariables } from './emulators/ports';
export type { LocalHandlers } from './lambda/handlers';
export type { ScheduleName } from './schedules';
export type { LocalStackConfig, LocalStackFile } from './stack-config';

/**
 * The embedded local stack: DynamoDB Local, s3rver and fauxqs on 127.0.0.1, the resources
 * provisioned from lib/platform/resources.ts, and the very handlers that deploy to Lambda, driven
 * by events of the real shape — S3 notifications to the ingest queue, SQS event-source mappings,
 * an API Gateway in front of the api and authorizer functions, and schedule timers.
 *
 * Handlers run in this process and read the environment at import: one stack per process.
 */
export interface LocalStackOptions {
  /** Ports to listen on; 0 (the default) picks a free one. */
  ports?: Partial<Record<PortName, number>>;
  /** Persist DynamoDB (<dataDir>/dynamodb) and S3 (<dataDir>/s3) here; omitted = in memory. Queues never persist. */
  dataDir?: string;
  /** Wipe the data directory's DynamoDB and S3 data first. */
  fresh?: boolean;
  /** Calls loadDemoData() from local/demo.ts once the stack runs; its result becomes config.demo. */
  loadDemo?: boolean;
  /** Only warnings and errors from the stack; handlers log at WARN unless POWERTOOLS_LOG_LEVEL is set. */
  quiet?: boolean;
  region?: string;
  /** Replace handlers (tests); the rest are imported from functions/<name>/handler.ts. */
  handlers?: Partial<LocalHandlers>;
  /** Local-only: seconds before a failed SQS message is retried (default 2); null keeps the visibility timeout. */
  failedMessageRetryDelaySeconds?: number | null;
  /** Start the SQS pollers (default true). */
  startPollers?: boolean;
  /** Long-poll wait of the pollers (default 20, as Lambda). */
  pollerWaitTimeSeconds?: number;
  /** Overrides schedules.*.localIntervalSeconds; 0 disables the timers (fireSchedule still works). */
  scheduleIntervalSeconds?: number;
  /** Authorizer result cache TTL, default api.authorizerCacheSeconds as in the cloud; 0 disables it. */
  authorizerCacheSeconds?: number;
  /** DynamoDB Local's JVM with C1 only: faster start-up (default true). */
  fastJvmStartup?: boolean;
  logger?: LocalLogger;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface LocalStackHandle {
  /** What .local/stack.json holds. */
  readonly config: LocalStackConfig;
  /** Milliseconds from the call to a ready stack. */
  readonly startupMs: number;
  readonly clients: {
    dynamodb: DynamoDBClient;
    documentClient: DynamoDBDocumentClient;
    s3: S3Client;
    sqs: SQSClient;
  };
  readonly queues: Record<QueueName, ProvisionedQueue>;
  readonly pollers: Record<QueueName, SqsPoller>;
  readonly handlers: LocalHandlers;
  readonly emulators: {
    dynamodb: DynamoDbLocal;
    s3: S3Emulator;
    sqs: SqsEmulator;
    /** PutEvents on the platform bus, recorded (events()); on its own free port. */
    eventBridge: EventBridgeEmulator;
  };
  readonly s3Notifications: S3NotificationForwarder;
  readonly api: {
    readonly url: string;
    /** The gateway pipeline without the socket (and without the start-up 503). */
    dispatch(request: LocalHttpRequest): Promise<LocalHttpResponse>;
    /** A request through the gateway pipeline, e.g. request('POST', '/v1/checks', { headers, body }). */
    request(
      method: string,
      path: string,
      init?: { headers?: Record<string, string>; body?: string | Buffer },
    ): Promise<ApiResponse>;
    clearAuthorizerCache(): void;
  };
  /** Fires a schedule's handler now with a fresh scheduled event and returns its result. */
  fireSchedule(name: ScheduleName): Promise<unknown>;
  readonly schedules: ScheduleRunner;
  /** What the operator page at /ops shows (local/ops). */
  readonly ops: OpsRecorder;
  stop(): Promise<void>;
}

const DEFAULT_PORTS: Record<PortName, number> = { api: 0, dynamodb: 0, s3: 0, sqs: 0 };

/** Stops what has started, last first, collecting errors instead of stopping at the first. */
class Teardown {
  readonly #steps: { name: string; run: () => Promise<void> | void }[] = [];
  add(name: string, run: () => Promise<void> | void): void {
    this.#steps.push({ name, run });
  }
  async run(logger: LocalLogger): Promise<void> {
    for (const step of this.#steps.splice(0).reverse()) {
      try {
        await step.run();
      } catch (error) {
        logger.error(`Stopping ${step.name} failed`, describeError(error));
      }
    }
  }
}

interface Storage {
  s3Directory: string;
  dynamoDbPath?: string;
}

/** Where S3 and DynamoDB keep their data: the data directory, or a temporary S3 directory. */
async function prepareStorage(options: LocalStackOptions, teardown: Teardown): Promise<Storage> {
  if (!options.dataDir) {
    const s3Directory = await mkdtemp(join(tmpdir(), 'joint-credit-s3-'));
    teardown.add('the temporary S3 directory', () => rm(s3Directory, { recursive: true, force: true }));
    return { s3Directory };
  }
  const storage = {
    s3Directory: join(options.dataDir, 's3'),
    dynamoDbPath: join(options.dataDir, 'dynamodb'),
  };
  if (options.fresh) {
    await rm(storage.s3Directory, { recursive: true, force: true });
    await rm(storage.dynamoDbPath, { recursive: true, force: true });
  }
  return storage;
}

interface Emulators {
  dynamodb: DynamoDbLocal;
  s3: S3Emulator;
  sqs: SqsEmulator;
}

/** Emulators and handler imports in parallel; each one started is registered for teardown. */
async function startEmulatorsAndHandlers(
  options: LocalStackOptions,
  context: { ports: Record<PortName, number>; region: string; storage: Storage; logger: LocalLogger },
  teardown: Teardown,
): Promise<{ emulators: Emulators; handlers: LocalHandlers }> {
  const { ports, region, storage } = context;
  const started = await Promise.allSettled([
    startDynamoDbLocal({
      port: ports.dynamodb,
      region,
      ...(storage.dynamoDbPath ? { dbPath: storage.dynamoDbPath } : {}),
      fastStartup: options.fastJvmStartup ?? true,
    }).then((emulator) => {
      teardown.add('DynamoDB Local', () => emulator.stop());
      return emulator;
    }),
    startS3Emulator({ port: ports.s3, directory: storage.s3Directory }).then((emulator) => {
      teardown.add('the S3 emulator', () => emulator.stop());
      return emulator;
    }),
    startSqsEmulator({ port: ports.sqs, region }).then((emulator) => {
      teardown.add('the SQS emulator', () => emulator.stop());
      return emulator;
    }),
    loadHandlers(options.handlers, context.logger),
  ]);
  const failure = started.find((result) => result.status === 'rejected');
  if (failure) throw (failure as PromiseRejectedResult).reason;
  const [dynamodb, s3, sqs, handlers] = started.map(
    (result) => (result as PromiseFulfilledResult<unknown>).value,
  ) as [DynamoDbLocal, S3Emulator, SqsEmulator, LocalHandlers];
  return { emulators: { dynamodb, s3, sqs }, handlers };
}

/** The operator page's figures (local/ops): handlers timed in place, Powertools EMF captured in-process. */
function instrumentHandlers(handlers: LocalHandlers, teardown: Teardown): OpsRecorder {
  const ops = new OpsRecorder();
  ops.captureFunctionMetrics();
  for (const name of Object.keys(handlers) as FunctionName[])
    handlers[name] = ops.instrument(name, handlers[name]);
  teardown.add('the operations recorder', () => ops.stop());
  return ops;
}

function createClients(teardown: Teardown): LocalStackHandle['clients'] {
  const clients = {
    dynamodb: createDynamoClient(),
    documentClient: createDocumentClient(),
    s3: createS3Client(),
    sqs: createSqsClient(),
  };
  teardown.add('the SDK clients', () => {
    clients.documentClient.destroy();
    clients.dynamodb.destroy();
    clients.s3.destroy();
    clients.sqs.destroy();
  });
  return clients;
}

/** The table, the bucket and the queues of lib/platform/resources.ts; the match queue where the handlers expect it. */
async function provisionResources(
  clients: LocalStackHandle['clients'],
  matchQueueUrl: string,
): Promise<Record<QueueName, ProvisionedQueue>> {
  const [, , provisionedQueues] = await Promise.all([
    provisionTable(clients.dynamodb, localTableName, creditTable),
    provisionBucket(clients.s3, localBucketName),
    provisionQueues(clients.sqs, (queue) => ({
      name: localQueueName(queue),
      dlqName: localDeadLetterQueueName(queue),
    })),
  ]);
  if (provisionedQueues.match.url !== matchQueueUrl) {
    throw new Error(
      `The match queue URL is ${provisionedQueues.match.url}, not the ${matchQueueUrl} given to the handlers`,
    );
  }
  return provisionedQueues;
}

/** One poller per queue, as Lambda's event-source mappings, started unless the options say not to. */
function startPollers(
  options: LocalStackOptions,
  context: {
    region: string;
    handlers: LocalHandlers;
    sqs: SQSClient;
    provisionedQueues: Record<QueueName, ProvisionedQueue>;
    logger: LocalLogger;
  },
  teardown: Teardown,
): Record<QueueName, SqsPoller> {
  const consumers: Record<QueueName, FunctionName> = { ingest: 'ingest', match: 'match' };
  const pollers = Object.fromEntries(
    (Object.keys(queues) as QueueName[]).map((queue) => {
      const definition = queues[queue];
      const poller = new SqsPoller({
        queue,
        functionName: consumers[queue],
        handler: context.handlers[consumers[queue]],
        sqs: context.sqs,
        queueUrl: context.provisionedQueues[queue].url,
        queueArn: context.provisionedQueues[queue].arn,
        region: context.region,
        batchSize: definition.batchSize,
        maxBatchingWindowSeconds: definition.maxBatchingWindowSeconds,
        ...(options.failedMessageRetryDelaySeconds !== undefined
          ? { failedMessageRetryDelaySeconds: options.failedMessageRetryDelaySeconds }
          : {}),
        ...(options.pollerWaitTimeSeconds !== undefined
          ? { waitTimeSeconds: options.pollerWaitTimeSeconds }
          : {}),
        logger: context.logger,
      });
      return [queue, poller];
    }),
  ) as Record<QueueName, SqsPoller>;
  if (options.startPollers !== false) for (const poller of Object.values(pollers)) poller.start();
  teardown.add('the SQS pollers', async () => {
    await Promise.all(Object.values(pollers).map((poller) => poller.stop()));
  });
  return pollers;
}

/** What drives the handlers: S3 notifications to the ingest queue, and the pollers, sampled for /ops. */
function startEventSources(
  options: LocalStackOptions,
  context: {
    region: string;
    handlers: LocalHandlers;
    emulators: Emulators;
    clients: LocalStackHandle['clients'];
    provisionedQueues: Record<QueueName, ProvisionedQueue>;
    ops: OpsRecorder;
    logger: LocalLogger;
  },
  teardown: Teardown,
): { s3Notifications: S3NotificationForwarder; pollers: Record<QueueName, SqsPoller> } {
  const { region, clients, provisionedQueues, logger } = context;
  const s3Notifications = forwardObjectCreatedEvents(context.emulators.s3, {
    region,
    bucketName: localBucketName,
    prefix: bucketLayout.incomingPrefix,
    queueUrl: provisionedQueues.ingest.url,
    sqs: clients.sqs,
    s3: clients.s3,
    logger,
  });
  teardown.add('S3 notifications', () => s3Notifications.flush());
  const pollers = startPollers(
    options,
    { region, handlers: context.handlers, sqs: clients.sqs, provisionedQueues, logger },
    teardown,
  );
  context.ops.startQueueSampling(
    clients.sqs,
    (Object.keys(provisionedQueues) as QueueName[]).map((queue) => ({
      ...provisionedQueues[queue],
      name: queue,
    })),
  );
  return { s3Notifications, pollers };
}

function describeStack(context: {
  apiBaseUrl: string;
  region: string;
  emulators: Emulators;
  eventBridge: EventBridgeEmulator;
  provisionedQueues: Record<QueueName, ProvisionedQueue>;
  referenceKeyFile: string;
}): LocalStackConfig {
  const { emulators, provisionedQueues } = context;
  return {
    apiBaseUrl: context.apiBaseUrl,
    region: context.region,
    stage: LOCAL_STAGE,
    endpoints: {
      dynamodb: emulators.dynamodb.endpoint,
      s3: emulators.s3.endpoint,
      sqs: emulators.sqs.endpoint,
      eventbridge: context.eventBridge.endpoint,
    },
    eventBusName: localEventBusName,
    bucketName: localBucketName,
    tableName: localTableName,
    queues: Object.fromEntries(
      (Object.keys(provisionedQueues) as QueueName[]).map((queue) => [
        queue,
        { url: provisionedQueues[queue].url, dlqUrl: provisionedQueues[queue].dlqUrl },
      ]),
    ) as LocalStackConfig['queues'],
    auditReferenceSecretFile: context.referenceKeyFile,
  };
}

/** A request through the gateway pipeline, as a client would send it to the API server. */
function gatewayRequester(
  gateway: ApiGateway,
  apiServer: LocalApiServer,
): LocalStackHandle['api']['request'] {
  return async (method, path, init = {}) => {
    const body = init.body === undefined ? undefined : Buffer.from(init.body);
    const response = await gateway.dispatch({
      method,
      url: path,
      headers: [['Host', new URL(apiServer.url).host], ...Object.entries(init.headers ?? {})],
      ...(body ? { body } : {}),
      sourceIp: '127.0.0.1',
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of response.headers) {
      const key = name.toLowerCase();
      headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`;
    }
    return { status: response.statusCode, headers, body: response.body.toString('utf8') };
  };
}

/**
 * Starts the stack: ports, API server (answering 503 until ready), storage, the handler environment,
 * emulators and handlers, resources, S3 notifications, pollers, schedules and the gateway; demo data
 * last. Whatever started is stopped again when a step fails.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStackHandle> {
  const startedAt = Date.now();
  const logger = options.logger ?? createLocalLogger({ quiet: options.quiet });
  const region = options.region ?? DEFAULT_LOCAL_REGION;
  const teardown = new Teardown();

  try {
    const ports = await resolvePorts({ ...DEFAULT_PORTS, ...options.ports });
    const apiServer: LocalApiServer = await startLocalApiServer({ port: ports.api, logger });
    teardown.add('the API server', () => apiServer.stop());
    const storage = await prepareStorage(options, teardown);
    const { eventBridge, matchQueueUrl, referenceKeyFile } = await configureHandlerEnvironment(
      options,
      ports,
      region,
      teardown,
    );
    const { emulators, handlers } = await startEmulatorsAndHandlers(
      options,
      { ports, region, storage, logger },
      teardown,
    );
    const ops = instrumentHandlers(handlers, teardown);
    const clients = createClients(teardown);
    const provisionedQueues = await provisionResources(clients, matchQueueUrl);

    const { s3Notifications, pollers } = startEventSources(
      options,
      { region, handlers, emulators, clients, provisionedQueues, ops, logger },
      teardown,
    );
    const scheduleRunner = startSchedules({
      region,
      handlers,
      logger,
      ...(options.scheduleIntervalSeconds !== undefined
        ? { intervalSeconds: options.scheduleIntervalSeconds }
        : {}),
    });
    teardown.add('the schedules', () => scheduleRunner.stop());
    const gateway = createApiGateway({
      region,
      stage: LOCAL_STAGE,
      apiHandler: handlers.api,
      authorizerHandler: handlers.authorizer,
      authorizerCacheSeconds: options.authorizerCacheSeconds ?? api.authorizerCacheSeconds,
      port: () => apiServer.port,
      logger,
    });

    let stopping: Promise<void> | undefined;
    const handle: LocalStackHandle = {
      config: describeStack({
        apiBaseUrl: apiServer.url,
        region,
        emulators,
        eventBridge,
        provisionedQueues,
        referenceKeyFile,
      }),
      startupMs: 0,
      clients,
      queues: provisionedQueues,
      pollers,
      handlers,
      emulators: { ...emulators, eventBridge },
      s3Notifications,
      api: {
        url: apiServer.url,
        dispatch: gateway.dispatch,
        request: gatewayRequester(gateway, apiServer),
        clearAuthorizerCache: gateway.clearAuthorizerCache,
      },
      fireSchedule: (name) => scheduleRunner.fire(name),
      schedules: scheduleRunner,
      ops,
      stop: () => {
        stopping ??= teardown.run(logger);
        return stopping;
      },
    };

    if (options.loadDemo) await loadDemo(handle);
    apiServer.setReady(withOps(gateway.dispatch, ops, gateway.clearAuthorizerCache));
    (handle as { startupMs: number }).startupMs = Date.now() - startedAt;
    return handle;
  } catch (error) {
    await teardown.run(logger);
    throw error;
  }
}

/**
 * The EventBridge emulator (in-process, instant) and the environment the handlers read at import:
 * endpoints from the chosen ports, and the match queue URL, known before the queue exists because
 * fauxqs builds it from region, port and name.
 */
async function configureHandlerEnvironment(
  options: LocalStackOptions,
  ports: Record<PortName, number>,
  region: string,
  teardown: Teardown,
): Promise<{ eventBridge: EventBridgeEmulator; matchQueueUrl: string; referenceKeyFile: string }> {
  const eventBridge = await startEventBridgeEmulator({ busNames: [localEventBusName] });
  teardown.add('the EventBridge emulator', () => eventBridge.stop());
  const referenceKey = await ensureReferenceKeyFile(options.dataDir);
  if (referenceKey.dispose) teardown.add('the temporary reference key', referenceKey.dispose);
  const matchQueueUrl = `http://sqs.${region}.localhost:${ports.sqs}/000000000000/${localQueueName('match')}`;
  applyHandlerEnvironment({
    region,
    endpoints: {
      dynamodb: `http://127.0.0.1:${ports.dynamodb}`,
      s3: `http://127.0.0.1:${ports.s3}`,
      sqs: `http://127.0.0.1:${ports.sqs}`,
    },
    tableName: localTableName,
    bucketName: localBucketName,
    matchQueueUrl,
    eventBridge: { endpoint: eventBridge.endpoint, busName: localEventBusName },
    logLevel: options.quiet ? 'WARN' : 'INFO',
    auditReferenceSecretFile: referenceKey.path,
  });
  return { eventBridge, matchQueueUrl, referenceKeyFile: referenceKey.path };
}

/** local/demo.ts drops the demo files and waits for their reports; the demo key goes into the config. */
async function loadDemo(handle: LocalStackHandle): Promise<void> {
  const { loadDemoData } = await import('./demo');
  const { agencyCode, apiKey } = await loadDemoData(handle);
  handle.config.demo = { agencyCode, apiKey };
}
