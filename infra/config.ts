import { fileURLToPath } from 'node:url';
import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { type Stage, stages } from '../lib/platform/resources';

/** The repository root: function entries in `functions` are relative to it. */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Context key that selects the deployment stage (`cdk synth -c stage=prod`). */
export const stageContextKey = 'stage';
const defaultStage: Stage = 'dev';

export class InvalidStageError extends Error {
  override name = 'InvalidStageError';
  constructor(value: unknown) {
    super(`Unknown stage ${JSON.stringify(value)}: use -c ${stageContextKey}=${stages.join('|')}`);
  }
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

/** What differs between stages. Everything else is identical, so dev proves prod. */
export interface StageSettings {
  readonly stage: Stage;
  /** Bucket, table and log groups: kept on stack deletion in prod, removed in dev. */
  readonly removalPolicy: RemovalPolicy;
  /** Dev buckets are emptied on deletion so that a dev stack can be torn down; never in prod. */
  readonly autoDeleteObjects: boolean;
  readonly tableDeletionProtection: boolean;
  /** Prod keeps logs a year: the Cybersecurity Law (art. 21) asks for at least six months. */
  readonly logRetention: RetentionDays;
  /** Server access logs of the data bucket, kept as long as the function logs. */
  readonly accessLogRetentionDays: number;
}

const settings: Record<Stage, StageSettings> = {
  dev: {
    stage: 'dev',
    removalPolicy: RemovalPolicy.DESTROY,
    autoDeleteObjects: true,
    tableDeletionProtection: false,
    logRetention: RetentionDays.ONE_MONTH,
    accessLogRetentionDays: 30,
  },
  prod: {
    stage: 'prod',
    removalPolicy: RemovalPolicy.RETAIN,
    autoDeleteObjects: false,
    tableDeletionProtection: true,
    logRetention: RetentionDays.ONE_YEAR,
    accessLogRetentionDays: 365,
  },
};

export function stageSettings(stage: Stage): StageSettings {
  return settings[stage];
}
