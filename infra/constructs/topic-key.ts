import { Aws } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import type { StageSettings } from '../config';

/**
 * A customer-managed key (rotated) for an SNS topic, with what the publishing services need: SNS
 * encrypts with it on their behalf, so CloudWatch (alarm actions) and EventBridge (rule targets) must
 * be allowed to generate data keys and decrypt, only from this account. Undefined unless the stage
 * uses customer-managed keys.
 */
export function topicKey(
  scope: Construct,
  id: string,
  settings: StageSettings,
  description: string,
  publishers: readonly ('cloudwatch.amazonaws.com' | 'events.amazonaws.com')[],
): Key | undefined {
  if (!settings.customerManagedKeys) return undefined;
  const key = new Key(scope, id, {
    description,
    enableKeyRotation: true,
    removalPolicy: settings.removalPolicy,
  });
  if (publishers.length === 0) return key;
  key.addToResourcePolicy(
    new PolicyStatement({
      principals: publishers.map((service) => new ServicePrincipal(service)),
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }),
  );
  return key;
}
