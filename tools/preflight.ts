/**
 * Read-only checks of the target account and region before `cdk deploy`:
 *
 *   npm run preflight -- --stage china [--region cn-northwest-1] [-c key=value …]
 *
 * It synthesises the stage offline (same settings and -c overrides as `cdk synth`), then asks the
 * account — with the usual AWS credentials, read-only calls only — whether what the template needs is
 * there: the partition and region, the CDK bootstrap stack, Lambda concurrency for the reservations,
 * every runtime/architecture pair the template uses (the platform's and aws-cdk-lib's own functions),
 * and EventBridge Scheduler when the stage uses it. Each failed check names the setting that falls
 * back (docs/deploying.md). Exit code 1 when a check fails.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  type Architecture,
  GetAccountSettingsCommand,
  LambdaClient,
  ListLayersCommand,
  type Runtime,
} from '@aws-sdk/client-lambda';
import { ListScheduleGroupsCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { App } from 'aws-cdk-lib';
import { type StageSettings, settingsFromContext } from '#infra/config';
import { createApp } from '#infra/create-app';

export type Outcome = 'ok' | 'warn' | 'fail';

export interface Check {
  readonly name: string;
  readonly outcome: Outcome;
  readonly detail: string;
}

/** Lambda keeps at least this much concurrency unreserved (PutFunctionConcurrency refuses to go lower). */
export const minimumUnreservedConcurrency = 100;

/** What the template asks of the region: runtime/architecture pairs of every function. */
export interface TemplateNeeds {
  readonly functions: readonly { readonly runtime: string; readonly architecture: string }[];
}

/** The stage's template, synthesised offline (no bundling), reduced to what the checks need. */
export function templateNeeds(context: Record<string, unknown>): {
  settings: StageSettings;
  needs: TemplateNeeds;
} {
  const cdkContext = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')).context;
  const app = new App({ context: { ...cdkContext, ...context, 'aws:cdk:bundling-stacks': [] } });
  const settings = settingsFromContext(app);
  const { stack } = createApp(app, { nag: false });
  const resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> = app
    .synth()
    .getStackByName(stack.stackName).template.Resources;
  const pairs = new Map<string, { runtime: string; architecture: string }>();
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const runtime = String(resource.Properties?.Runtime ?? '');
    const architecture = String(
      (resource.Properties?.Architectures as string[] | undefined)?.[0] ?? 'x86_64',
    );
    pairs.set(`${runtime}/${architecture}`, { runtime, architecture });
  }
  return { settings, needs: { functions: [...pairs.values()] } };
}

/** The partition of a region name (cn-* regions are aws-cn). */
export function partitionOfRegion(region: string): string {
  return region.startsWith('cn-') ? 'aws-cn' : 'aws';
}

export function checkPartition(settings: StageSettings, callerArn: string, region: string): Check {
  const credentials = callerArn.split(':')[1] ?? '?';
  const regional = partitionOfRegion(region);
  const ok = credentials === settings.partition && regional === settings.partition;
  return {
    name: 'partition',
    outcome: ok ? 'ok' : 'fail',
    detail: ok
      ? `${settings.partition}: credentials and region ${region} match the stage`
      : `stage ${settings.stage} is ${settings.partition}; credentials are ${credentials}, region ${region} is ${regional} (aws-cn needs China-region credentials and a cn-* region)`,
  };
}

export function checkConcurrency(settings: StageSettings, accountLimit: number, unreserved: number): Check[] {
  const reserved = settings.reservedConcurrency.api + settings.reservedConcurrency.authorizer;
  const left = unreserved - reserved;
  const checks: Check[] = [
    {
      name: 'reserved concurrency',
      outcome: left >= minimumUnreservedConcurrency ? 'ok' : 'fail',
      detail: `${reserved} reserved (api + authorizer) leaves ${left} of ${unreserved} unreserved; Lambda keeps at least ${minimumUnreservedConcurrency} (ask for a higher limit, or lower reservedConcurrency)`,
    },
  ];
  checks.push({
    name: 'account concurrency alarm',
    outcome: accountLimit === settings.accountConcurrencyLimit ? 'ok' : 'warn',
    detail: `account limit ${accountLimit}; the alarm assumes ${settings.accountConcurrencyLimit} (set accountConcurrencyLimit in infra/config.ts)`,
  });
  return checks;
}

/**
 * Whether Lambda in this region accepts the runtime/architecture pair: ListLayers validates both
 * filters against what the region offers (read-only, returns layers or nothing).
 */
async function checkRuntime(lambda: LambdaClient, runtime: string, architecture: string): Promise<Check> {
  const name = `runtime ${runtime} on ${architecture}`;
  try {
    await lambda.send(
      new ListLayersCommand({
        CompatibleRuntime: runtime as Runtime,
        CompatibleArchitecture: architecture as Architecture,
        MaxItems: 1,
      }),
    );
    return {
      name,
      outcome: 'ok',
      detail: 'accepted by the Lambda API in this region (the deployment is the final word)',
    };
  } catch (error) {
    return {
      name,
      outcome: 'fail',
      detail: `${(error as Error).name}: ${(error as Error).message} — fall back with -c architecture=x86_64, -c functionRuntime=…, -c nodejsSingletonRuntime=… or -c pythonSingletonRuntime=…`,
    };
  }
}

async function checkScheduler(region: string): Promise<Check> {
  const scheduler = new SchedulerClient({ region });
  try {
    await scheduler.send(new ListScheduleGroupsCommand({ MaxResults: 1 }));
    return { name: 'EventBridge Scheduler', outcome: 'ok', detail: 'reachable in this region' };
  } catch (error) {
    return {
      name: 'EventBridge Scheduler',
      outcome: 'fail',
      detail: `${(error as Error).name}: ${(error as Error).message} — use -c deadlinesTrigger=events-rule`,
    };
  } finally {
    scheduler.destroy();
  }
}

async function checkBootstrap(region: string): Promise<Check> {
  const cloudFormation = new CloudFormationClient({ region });
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: 'CDKToolkit' }));
    const version = Stacks?.[0]?.Outputs?.find(
      (output) => output.OutputKey === 'BootstrapVersion',
    )?.OutputValue;
    return {
      name: 'CDK bootstrap',
      outcome: 'ok',
      detail: `CDKToolkit present (bootstrap version ${version ?? '?'})`,
    };
  } catch (error) {
    return {
      name: 'CDK bootstrap',
      outcome: 'fail',
      detail: `${(error as Error).message} — run npx cdk bootstrap aws-cn://<account>/<region> (or aws://…)`,
    };
  } finally {
    cloudFormation.destroy();
  }
}

/** Every check against the account, in order. */
export async function runChecks(
  settings: StageSettings,
  needs: TemplateNeeds,
  region: string,
): Promise<Check[]> {
  const sts = new STSClient({ region });
  const lambda = new LambdaClient({ region });
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    const checks: Check[] = [
      checkPartition(settings, identity.Arn ?? '', region),
      await checkBootstrap(region),
    ];
    const account = await lambda.send(new GetAccountSettingsCommand({}));
    checks.push(
      ...checkConcurrency(
        settings,
        account.AccountLimit?.ConcurrentExecutions ?? 0,
        account.AccountLimit?.UnreservedConcurrentExecutions ?? 0,
      ),
    );
    for (const { runtime, architecture } of needs.functions) {
      checks.push(await checkRuntime(lambda, runtime, architecture));
    }
    if (settings.deadlinesTrigger === 'scheduler') checks.push(await checkScheduler(region));
    return checks;
  } finally {
    sts.destroy();
    lambda.destroy();
  }
}

/** `-c key=value` pairs, as `cdk synth` takes them. */
function contextOf(pairs: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`-c ${pair}: use key=value`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      stage: { type: 'string', default: 'dev' },
      region: { type: 'string' },
      context: { type: 'string', short: 'c', multiple: true, default: [] },
    },
  });
  const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('set --region or AWS_REGION (e.g. cn-north-1, cn-northwest-1)');
  const { settings, needs } = templateNeeds({ stage: values.stage, ...contextOf(values.context) });
  console.log(`preflight: stage ${settings.stage} (${settings.partition}) in ${region}`);
  const checks = await runChecks(settings, needs, region);
  for (const check of checks) console.log(`${check.outcome.padEnd(4)}  ${check.name}: ${check.detail}`);
  if (checks.some((check) => check.outcome === 'fail')) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? `error: ${error.message}` : error);
    process.exitCode = 1;
  });
}
