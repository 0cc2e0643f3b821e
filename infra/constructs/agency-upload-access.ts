import { Effect, ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { AgencyRegistry, RegisteredAgency } from '#lib/platform/agency-registry';
import { bucketLayout, resourceName } from '#lib/platform/resources';
import type { StageSettings } from '../config';
import { acknowledge, wildcardOnArn } from '../nag';
import type { DataBucket } from './data-bucket';

export interface AgencyUploadAccessProps {
  readonly settings: StageSettings;
  readonly data: DataBucket;
  /** The agency registry (config/agencies.json): one policy per registered agency. */
  readonly registry: AgencyRegistry;
}

/** incoming/<agency>/<dataset>/ for every dataset the registry allows the agency. */
export function uploadPrefixes(agency: RegisteredAgency): string[] {
  return agency.datasets.map((dataset) => `${bucketLayout.incomingPrefix}${agency.code}/${dataset}/`);
}

/** reports/<agency>/: the agency's result reports. */
export function reportPrefix(agency: RegisteredAgency): string {
  return `${bucketLayout.reportsPrefix}${agency.code}/`;
}

/**
 * Per-agency upload permissions, generated from the agency registry: for each agency a customer
 * managed policy that the agency's IAM principals (its upload user or federated role, managed
 * outside this stack) are attached to. It allows
 *   - s3:PutObject only under incoming/<agency>/<dataset>/ for the datasets the agency may submit;
 *   - s3:GetObject only under reports/<agency>/ (its own result reports);
 *   - s3:ListBucket only for those two prefixes.
 * Nothing allows deleting: the bucket is versioned, so an overwrite keeps the original version, and
 * the original file is always kept. The ingest path applies the same rule to whatever does arrive.
 */
export class AgencyUploadAccess extends Construct {
  /** Policy per agency code. */
  readonly policies: ReadonlyMap<string, ManagedPolicy>;

  constructor(scope: Construct, id: string, props: AgencyUploadAccessProps) {
    super(scope, id);
    const { bucket } = props.data;
    const cfnBucket = bucket.node.defaultChild as CfnBucket;
    const policies = new Map<string, ManagedPolicy>();

    for (const agency of props.registry.agencies) {
      const uploads = uploadPrefixes(agency);
      const reports = reportPrefix(agency);
      const statements = [
        new PolicyStatement({
          sid: 'ReadOwnReports',
          effect: Effect.ALLOW,
          actions: ['s3:GetObject'],
          resources: [bucket.arnForObjects(`${reports}*`)],
        }),
        new PolicyStatement({
          sid: 'ListOwnPrefixes',
          effect: Effect.ALLOW,
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: {
            StringLike: {
              's3:prefix': [...uploads.map((prefix) => `${prefix}*`), `${reports}*`],
            },
          },
        }),
      ];
      if (uploads.length > 0) {
        statements.unshift(
          new PolicyStatement({
            sid: 'UploadOwnDatasets',
            effect: Effect.ALLOW,
            actions: ['s3:PutObject'],
            resources: uploads.map((prefix) => bucket.arnForObjects(`${prefix}*`)),
          }),
        );
      }
      const keyActions = props.data.keyActionsFor([
        's3:GetObject',
        ...(uploads.length > 0 ? ['s3:PutObject'] : []),
      ]);
      if (keyActions.length > 0 && bucket.encryptionKey) {
        statements.push(
          new PolicyStatement({
            sid: 'UseDataBucketKey',
            effect: Effect.ALLOW,
            actions: keyActions,
            resources: [bucket.encryptionKey.keyArn],
          }),
        );
      }
      const policy = new ManagedPolicy(this, `Agency${agency.code}`, {
        managedPolicyName: resourceName(props.settings.stage, `upload-${agency.code.toLowerCase()}`),
        description: `${agency.code} ${agency.name}: upload its datasets under incoming/${agency.code}/, read reports/${agency.code}/`,
        statements,
      });
      for (const prefix of [...uploads, reports]) {
        acknowledge(
          policy,
          wildcardOnArn(cfnBucket, `/${prefix}*`),
          `Agency ${agency.code} writes and reads files it names itself; ${prefix} is its own prefix from the agency registry, the narrowest scope that still lets it choose file names (no other agency's prefix, no delete).`,
        );
      }
      policies.set(agency.code, policy);
    }
    this.policies = policies;
  }
}
