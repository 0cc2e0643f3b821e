import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * The rule packs every synthesis is checked against (`cdk synth` and the infrastructure tests).
 * cdk-nag 3 runs them as CDK policy-validation plugins: an unacknowledged error fails synthesis.
 */
export function applyNagPacks(scope: IConstruct): void {
  Validations.of(scope).addPlugins(
    new AwsSolutionsChecks(scope, { verbose: true }),
    new ServerlessChecks(scope, { verbose: true }),
  );
}

/** Acknowledges one rule on one construct (and its children), with the reason that makes it acceptable. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * The finding id cdk-nag gives a wildcard on a resource's ARN, e.g.
 * `AwsSolutions-IAM5[Resource::<DataBucket1234.Arn>/incoming/*]`, so that exactly that wildcard is
 * acknowledged and any other one still fails.
 */
export function wildcardOnArn(resource: CfnElement, suffix: string, attribute = 'Arn'): string {
  return `AwsSolutions-IAM5[Resource::<${Stack.of(resource).getLogicalId(resource)}.${attribute}>${suffix}]`;
}
