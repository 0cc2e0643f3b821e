import { posix } from 'node:path';
import { Aws, Duration } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  type CorsRule,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { bucketLayout, resourceName } from '#lib/platform/resources';
import type { StageSettings } from '../config';
import { acknowledge, wildcardOnArn } from '../nag';
import type { CreditFunction } from './credit-function';

/**
 * `reports/_office/`: the office's own reports (the dated deadlines report lives under it), derived
 * from the shared key layout rather than written out a second time.
 */
export const officeReportsPrefix = `${posix.dirname(posix.dirname(bucketLayout.deadlinesReportKey('date', 'json')))}/`;

export interface DataBucketProps {
  readonly settings: StageSettings;
}

/**
 * Browser uploads of repair materials: the public page PUTs to presigned URLs, which the api function
 * only signs for keys under repair-materials/ (and its role may write nowhere else), so PUT from the
 * page's origins is all the rule allows. S3 CORS rules cannot name a key prefix; the signature and the
 * role's grant confine the uploads. None without origins.
 */
export function repairUploadCors(origins: readonly string[]): CorsRule[] {
  if (origins.length === 0) return [];
  return [
    {
      id: 'repair-material-uploads',
      allowedMethods: [HttpMethods.PUT],
      allowedOrigins: [...origins],
      // The presigned PUT signs content-type; the browser may add the checksum and SDK headers.
      allowedHeaders: ['content-type', 'x-amz-*'],
      exposedHeaders: ['ETag'],
      maxAge: 3000,
    },
  ];
}

/** Bucket names are global: the account and region make the stage name unique. */
function globalBucketName(stage: string, logicalName: string): string {
  return `${resourceName(stage, logicalName)}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

/**
 * The bucket agencies drop files into (`incoming/`) and reports are written to (`reports/`), with a
 * separate bucket for its server access logs. Private, TLS-only, encrypted and versioned, so that an
 * overwritten or deleted agency file can still be recovered.
 */
export class DataBucket extends Construct {
  readonly bucket: Bucket;
  readonly accessLogBucket: Bucket;

  constructor(scope: Construct, id: string, props: DataBucketProps) {
    super(scope, id);
    const { stage, removalPolicy, autoDeleteObjects, accessLogRetentionDays, customerManagedKeys } =
      props.settings;
    const noncurrentVersionExpiration = Duration.days(props.settings.noncurrentVersionDays);

    this.accessLogBucket = new Bucket(this, 'AccessLogBucket', {
      bucketName: globalBucketName(stage, 'access-logs'),
      // Server access log delivery supports SSE-S3 only.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(accessLogRetentionDays) }],
      removalPolicy,
      autoDeleteObjects,
    });
    acknowledge(
      this.accessLogBucket,
      'AwsSolutions-S1',
      'This is the server access log bucket of the data bucket; logging it would need a third bucket and log the log delivery itself.',
    );

    this.bucket = new Bucket(this, 'Bucket', {
      bucketName: globalBucketName(stage, 'data'),
      versioned: true,
      ...(customerManagedKeys
        ? {
            encryption: BucketEncryption.KMS,
            encryptionKey: new Key(this, 'Key', {
              description: `Encrypts the ${stage} data bucket (agency files and reports with personal credit data)`,
              enableKeyRotation: true,
              removalPolicy,
            }),
            // One data key per bucket, not per object: far fewer KMS calls for large ingests.
            bucketKeyEnabled: true,
          }
        : { encryption: BucketEncryption.S3_MANAGED }),
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'data/',
      cors: repairUploadCors(props.settings.publicSiteOrigins),
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
        // Chunk results of large-file ingestion are scratch: the job's report is what is kept.
        {
          id: 'expire-ingest-work',
          prefix: bucketLayout.ingestWorkPrefix,
          expiration: Duration.days(7),
          noncurrentVersionExpiration: Duration.days(1),
        },
        // Superseded result reports stay recoverable for the stage's window. incoming/ has no such rule:
        // every version of an agency's original file is kept (the invariant the upload tests assert).
        { id: 'expire-old-reports', prefix: bucketLayout.reportsPrefix, noncurrentVersionExpiration },
      ],
      removalPolicy,
      autoDeleteObjects,
    });
  }

  /**
   * Lets `grantee` perform exactly `actions` on objects under `keyPrefix` and nowhere else in the
   * bucket (no bucket-level or list actions). The prefix wildcard is acknowledged for that prefix only.
   */
  grantObjects(grantee: CreditFunction, actions: readonly string[], keyPrefix: string): void {
    grantee.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...actions], resources: [this.bucket.arnForObjects(`${keyPrefix}*`)] }),
    );
    const keyActions = this.keyActionsFor(actions);
    if (keyActions.length > 0 && this.bucket.encryptionKey) {
      grantee.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: keyActions, resources: [this.bucket.encryptionKey.keyArn] }),
      );
    }
    acknowledge(
      grantee.role,
      wildcardOnArn(this.bucket.node.defaultChild as CfnBucket, `/${keyPrefix}*`),
      `Object keys under ${keyPrefix} are per agency, dataset and file, unknown at deploy time; the key prefix is the narrowest scope (no other prefix, no bucket actions).`,
    );
  }

  /**
   * With a customer-managed key, what S3 needs of the caller: Decrypt to read; GenerateDataKey (and
   * Decrypt, for multipart uploads) to write. Empty with S3-managed keys.
   */
  keyActionsFor(actions: readonly string[]): string[] {
    if (this.bucket.encryptionKey === undefined) return [];
    const reads = actions.some((action) => action.startsWith('s3:GetObject'));
    const writes = actions.includes('s3:PutObject');
    return [...(reads || writes ? ['kms:Decrypt'] : []), ...(writes ? ['kms:GenerateDataKey'] : [])];
  }

  /** An explicit deny that no other grant can widen (e.g. agency ingestion writing office reports). */
  denyObjects(grantee: CreditFunction, actions: readonly string[], keyPrefix: string): void {
    grantee.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.DENY,
        actions: [...actions],
        resources: [this.bucket.arnForObjects(`${keyPrefix}*`)],
      }),
    );
  }
}
