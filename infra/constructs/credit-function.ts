import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
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
} from '../../lib/platform/resources';
import { repoRoot, type StageSettings } from '../config';
import { acknowledge } from '../nag';

/**
 * esbuild's ESM output has no `require`; some dependencies still call it for Node built-ins.
 * The alias keeps the banner from colliding with a bundled `createRequire` import.
 */
export const esmRequireBanner =
  "import { createRequire as __jointCreditCreateRequire } from 'node:module'; const require = __jointCreditCreateRequire(import.meta.url);";

export const functionRuntime = Runtime.NODEJS_22_X;

export interface CreditFunctionProps {
  /** Which entry of `functions` (lib/platform/resources.ts) this is. */
  readonly name: FunctionName;
  readonly settings: StageSettings;
  /** Resource-specific variables (TABLE_NAME, BUCKET_NAME, MATCH_QUEUE_URL), named by `env`. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Where failed asynchronous invocations go (only for asynchronously invoked functions). */
  readonly deadLetterQueue?: IQueue;
}

/**
 * One Lambda function of the platform with everything it owns: its bundle (local esbuild, ESM,
 * arm64), its log group with a retention, and its own execution role that starts empty. Callers
 * grant exactly what the function needs; no managed policy is attached.
 */
export class CreditFunction extends Construct {
  readonly definition: FunctionDefinition;
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: CreditFunctionProps) {
    super(scope, id);
    const { stage, logRetention, removalPolicy } = props.settings;
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
      runtime: functionRuntime,
      architecture: Architecture.ARM_64,
      timeout: Duration.seconds(this.definition.timeoutSeconds),
      memorySize: this.definition.memoryMb,
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      deadLetterQueue: props.deadLetterQueue,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.name,
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
        target: 'node22',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        charset: Charset.UTF8,
        banner: esmRequireBanner,
        // The nodejs22.x runtime ships AWS SDK v3.
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
    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions.',
    );
  }
}
