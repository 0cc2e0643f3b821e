import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, RuntimeFamily, Tracing } from 'aws-cdk-lib/aws-lambda';
import { Charset, LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  env,
  type FunctionDefinition,
  type FunctionName,
  functions,
  metrics,
  resourceName,
} from '#lib/platform/resources';
import { repoRoot, type StageSettings } from '../config';
import { acknowledge } from '../nag';

/**
 * esbuild's ESM output has no `require`; some dependencies still call it for Node built-ins.
 * The alias keeps the banner from colliding with a bundled `createRequire` import.
 */
export const esmRequireBanner =
  "import { createRequire as __jointCreditCreateRequire } from 'node:module'; const require = __jointCreditCreateRequire(import.meta.url);";

/** The runtime of the platform's functions, from the stage setting (nodejs22.x unless overridden). */
export function functionRuntime(settings: StageSettings): Runtime {
  return new Runtime(settings.functionRuntime, RuntimeFamily.NODEJS, { supportsInlineCode: true });
}

const architectures = { arm64: Architecture.ARM_64, x86_64: Architecture.X86_64 } as const;

/** esbuild target matching the runtime (nodejs22.x → node22). */
function bundlingTarget(runtime: string): string {
  return runtime.replace(/^nodejs(\d+).*$/, 'node$1');
}

export interface CreditFunctionProps {
  /** Which entry of `functions` (lib/platform/resources.ts) this is. */
  readonly name: FunctionName;
  readonly settings: StageSettings;
  /** Resource-specific variables (TABLE_NAME, BUCKET_NAME, MATCH_QUEUE_URL), named by `env`. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Where failed asynchronous invocations go (only for asynchronously invoked functions). */
  readonly deadLetterQueue?: IQueue;
  /** Concurrency reserved for this function (and its cap); unreserved when undefined. */
  readonly reservedConcurrency?: number;
}

/**
 * One Lambda function of the platform with everything it owns: its bundle (local esbuild, ESM, the
 * stage's architecture), its log group with a retention, and its own execution role that starts empty. Callers
 * grant exactly what the function needs; no managed policy is attached.
 */
export class CreditFunction extends Construct {
  readonly name: FunctionName;
  readonly definition: FunctionDefinition;
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: CreditFunctionProps) {
    super(scope, id);
    const { stage, logRetention, removalPolicy, tracing } = props.settings;
    const runtime = functionRuntime(props.settings);
    this.name = props.name;
    this.definition = functions[props.name];
    const functionName = resourceName(stage, this.definition.id);

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${functionName}: only the grants its construct adds`,
    });

    this.logGroup = new LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: logRetention,
      removalPolicy,
    });
    // Instead of AWSLambdaBasicExecutionRole (logs:* on every log group): this log group only.
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      functionName,
      description: this.definition.description,
      entry: join(repoRoot, this.definition.entry),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      runtime,
      architecture: architectures[props.settings.architecture],
      timeout: Duration.seconds(this.definition.timeoutSeconds),
      memorySize: this.definition.memoryMb,
      role: this.role,
      logGroup: this.logGroup,
      // Off where X-Ray has no Lambda integration (the China regions): no xray:* grant either.
      tracing: tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      reservedConcurrentExecutions: props.reservedConcurrency,
      deadLetterQueue: props.deadLetterQueue,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.name,
        // The Powertools Tracer follows the stage: disabled, it sends nothing and patches nothing.
        POWERTOOLS_TRACE_ENABLED: String(tracing),
        POWERTOOLS_METRICS_NAMESPACE: metrics.namespace,
        [env.stage]: stage,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        // Bundle with the local esbuild (node_modules/.bin/esbuild), never in Docker.
        forceDockerBundling: false,
        logLevel: LogLevel.WARNING,
        format: OutputFormat.ESM,
        target: bundlingTarget(runtime.name),
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        charset: Charset.UTF8,
        banner: esmRequireBanner,
        // The Node.js runtimes ship AWS SDK v3.
        externalModules: ['@aws-sdk/*'],
      },
    });

    acknowledge(
      this.function,
      'AwsSolutions-L1',
      'nodejs22.x is deliberate: the nearest runtime to the Node 20 used for local development and the handlers are tested on; nodejs24.x is a separate, tested upgrade.',
    );
    acknowledge(
      this.function,
      'Serverless-LambdaLatestVersion',
      'nodejs22.x is deliberate: the nearest runtime to the Node 20 used for local development and the handlers are tested on; nodejs24.x is a separate, tested upgrade.',
    );
    if (tracing) {
      acknowledge(
        this.role,
        'AwsSolutions-IAM5[Resource::*]',
        'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions.',
      );
    } else {
      acknowledge(
        this.function,
        'Serverless-LambdaTracing',
        'X-Ray integration with Lambda is not available in this partition (China regions, see docs/deploying.md): tracing is off by stage setting; logs and metrics carry the request ids instead.',
      );
    }
  }
}
