import { readFileSync } from 'node:fs';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { createApp } from '#infra/create-app';
import type { JointCreditStack } from '#infra/stacks/joint-credit-stack';
import type { Stage } from '#lib/platform/resources';

/** The context `cdk synth` gets from cdk.json (feature flags), so tests synthesise what deploys. */
export const cdkJsonContext: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
).context;

export interface Synthesized {
  readonly app: App;
  readonly stack: JointCreditStack;
  readonly template: Template;
}

/**
 * Synthesises the app for `stage` without bundling (no esbuild run: assets are not needed to check
 * the template). Call it once per file, in beforeAll.
 */
export function synthesize(
  stage: Stage,
  options: { nag?: boolean; context?: Record<string, unknown> } = {},
): Synthesized {
  const app = new App({
    context: { ...cdkJsonContext, stage, 'aws:cdk:bundling-stacks': [], ...options.context },
  });
  const { stack } = createApp(app, { nag: options.nag ?? false });
  return { app, stack, template: Template.fromStack(stack) };
}

/** The logical id of a construct's CloudFormation resource (an L2 construct or the L1 itself). */
export function logicalId(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  // element.logicalId honours overrideLogicalId (Stack.getLogicalId would not).
  return Stack.of(construct).resolve(element.logicalId);
}

export const ref = (construct: IConstruct) => ({ Ref: logicalId(construct) });
export const arnOf = (construct: IConstruct) => ({ 'Fn::GetAtt': [logicalId(construct), 'Arn'] });

export interface PolicyStatementJson {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

/** Every statement of the inline policies attached to `role` (L2 Role or its logical id). */
export function statementsOf(template: Template, role: IConstruct): PolicyStatementJson[] {
  const roleId = logicalId(role);
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((policy) =>
      (policy.Properties.Roles as unknown[]).some(
        (r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId }),
      ),
    )
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as PolicyStatementJson[]);
}

export const actionsOf = (statement: PolicyStatementJson): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

export const resourcesOf = (statement: PolicyStatementJson): unknown[] =>
  Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];

/** Allowed actions of a role, each with the resources it is allowed on. */
export function allowedActions(template: Template, role: IConstruct): Map<string, unknown[]> {
  const allowed = new Map<string, unknown[]>();
  for (const statement of statementsOf(template, role).filter((s) => s.Effect === 'Allow')) {
    for (const action of actionsOf(statement)) {
      allowed.set(action, [...(allowed.get(action) ?? []), ...resourcesOf(statement)]);
    }
  }
  return allowed;
}

/**
 * Turns an `Fn::Join` of string fragments and tokens (a dashboard body, an access-log format) back
 * into text, each token replaced by `placeholder`.
 */
export function joinedText(value: unknown, placeholder = 'TOKEN'): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join === undefined) return placeholder;
  const [separator, parts] = join;
  return parts.map((part) => (typeof part === 'string' ? part : placeholder)).join(separator);
}

/** The one resource of `type` whose logical id is that of `construct`. */
export function resourceOf(template: Template, type: string, construct: IConstruct) {
  const id = logicalId(construct);
  const resource = template.findResources(type)[id];
  if (resource === undefined) throw new Error(`No ${type} with logical id ${id}`);
  return resource as {
    Properties: Record<string, unknown>;
    DeletionPolicy?: string;
    UpdateReplacePolicy?: string;
  };
}

/** `value`, or a test failure naming what is missing (for constructs a stage setting may leave out). */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not part of this stage`);
  return value;
}

/** The retention (days) of the log group a function writes to (its LoggingConfig.LogGroup, a Ref). */
export function logRetentionOf(template: Template, fn: { [key: string]: unknown }): unknown {
  const properties = fn.Properties as { LoggingConfig?: { LogGroup?: { Ref?: string } } } | undefined;
  const id = properties?.LoggingConfig?.LogGroup?.Ref;
  if (id === undefined) return undefined;
  return template.findResources('AWS::Logs::LogGroup')[id]?.Properties?.RetentionInDays;
}
