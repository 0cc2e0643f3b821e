import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { auditReferenceSecret, env, resourceName } from '#lib/platform/resources';
import type { StageSettings } from '../config';
import { acknowledge } from '../nag';
import type { CreditFunction } from './credit-function';

export interface AuditReferenceKeyProps {
  readonly settings: StageSettings;
}

/**
 * The key of the personal-data access log's subject references (HMAC-SHA256): a Secrets Manager
 * secret generated at deployment, so that it never appears in the template, the code or a build.
 * Functions that write the log read it (once per container) through `grantRead`.
 */
export class AuditReferenceKey extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string, props: AuditReferenceKeyProps) {
    super(scope, id);
    const { stage, removalPolicy, customerManagedKeys } = props.settings;
    const encryptionKey = customerManagedKeys
      ? new Key(this, 'Key', {
          description: `Encrypts ${resourceName(stage, auditReferenceSecret.id)} (access-log reference key)`,
          enableKeyRotation: true,
          removalPolicy,
        })
      : undefined;
    this.secret = new Secret(this, 'Secret', {
      secretName: resourceName(stage, auditReferenceSecret.id),
      description: auditReferenceSecret.description,
      generateSecretString: {
        passwordLength: auditReferenceSecret.length,
        excludePunctuation: true,
        includeSpace: false,
      },
      ...(encryptionKey ? { encryptionKey } : {}),
      removalPolicy,
    });
    acknowledge(
      this.secret,
      'AwsSolutions-SMG4',
      "Not rotated on purpose: the key makes the access log's subject references, and a new key would give every person a new reference and split their history in the log (查询使用登记). It is read only by the functions that write the log.",
    );
  }

  /** Lets a function read the key and tells it where the key is (AUDIT_REFERENCE_SECRET_ARN). */
  grantRead(fn: CreditFunction): void {
    this.secret.grantRead(fn.role);
    fn.function.addEnvironment(env.auditReferenceSecretArn, this.secret.secretArn);
  }
}
