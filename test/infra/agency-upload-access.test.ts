import { beforeAll, describe, expect, it } from 'vitest';
import { loadAgencyRegistry } from '#lib/platform/agency-registry';
import {
  actionsOf,
  joinedText,
  logicalId,
  type PolicyStatementJson,
  resourceOf,
  resourcesOf,
  type Synthesized,
  synthesize,
} from './support';

const registry = loadAgencyRegistry();

/** A statement resource as text, the bucket ARN token written as BUCKET. */
const resourceText = (resource: unknown) => joinedText(resource, 'BUCKET');

describe('Construct: AgencyUploadAccess', () => {
  let synth: Synthesized;

  beforeAll(() => {
    synth = synthesize('dev');
  });

  const statementsFor = (code: string): PolicyStatementJson[] => {
    const policy = synth.stack.agencyUploads.policies.get(code);
    if (!policy) throw new Error(`no policy for ${code}`);
    const { PolicyDocument } = resourceOf(synth.template, 'AWS::IAM::ManagedPolicy', policy).Properties as {
      PolicyDocument: { Statement: PolicyStatementJson[] };
    };
    return PolicyDocument.Statement;
  };

  it('creates one managed policy per registered agency, named after the stage and the agency', () => {
    // Assess
    const policies = synth.template.findResources('AWS::IAM::ManagedPolicy');
    const names = Object.values(policies).map((policy) => policy.Properties.ManagedPolicyName);
    for (const agency of registry.agencies) {
      expect(names).toContain(`joint-credit-dev-upload-${agency.code.toLowerCase()}`);
    }
    expect([...synth.stack.agencyUploads.policies.keys()].sort()).toEqual(
      registry.agencies.map((agency) => agency.code).sort(),
    );
  });

  it.each(registry.agencies.map((agency) => [agency.code, agency] as const))(
    '%s may put objects only under incoming/<its code>/<its allowed datasets>/',
    (code, agency) => {
      // Act
      const puts = statementsFor(code).filter((statement) => actionsOf(statement).includes('s3:PutObject'));
      // Assess
      expect(puts.every((statement) => statement.Effect === 'Allow')).toBe(true);
      const resources = puts.flatMap(resourcesOf).map(resourceText).sort();
      expect(resources).toEqual(
        agency.datasets.map((dataset) => `BUCKET/incoming/${code}/${dataset}/*`).sort(),
      );
    },
  );

  it.each(registry.agencies.map((agency) => [agency.code] as const))(
    '%s may read only its own reports and list only its own prefixes',
    (code) => {
      // Act
      const statements = statementsFor(code);
      const gets = statements.filter((statement) => actionsOf(statement).includes('s3:GetObject'));
      const lists = statements.filter((statement) => actionsOf(statement).includes('s3:ListBucket'));
      // Assess
      expect(gets.flatMap(resourcesOf).map(resourceText)).toEqual([`BUCKET/reports/${code}/*`]);
      expect(lists).toHaveLength(1);
      const prefixes = (lists[0]!.Condition as { StringLike: Record<string, string[]> }).StringLike[
        's3:prefix'
      ];
      expect(
        prefixes?.every((prefix) => prefix.startsWith(`incoming/${code}/`) || prefix === `reports/${code}/*`),
      ).toBe(true);
    },
  );

  it('grants nothing but PutObject, GetObject and ListBucket: no delete, no wildcard action', () => {
    // Act
    const actions = registry.agencies.flatMap((agency) => statementsFor(agency.code).flatMap(actionsOf));
    // Assess
    expect([...new Set(actions)].sort()).toEqual(['s3:GetObject', 's3:ListBucket', 's3:PutObject']);
  });

  it("no agency's policy reaches another agency's prefix", () => {
    for (const agency of registry.agencies) {
      const text = JSON.stringify(
        statementsFor(agency.code).map((statement) => ({
          resources: resourcesOf(statement).map(resourceText),
          condition: statement.Condition ?? null,
        })),
      );
      for (const other of registry.agencies.filter((candidate) => candidate.code !== agency.code)) {
        expect(text).not.toMatch(new RegExp(`(incoming|reports)/${other.code}/`));
      }
    }
  });
});

describe('Invariant: the original file is always kept', () => {
  let synth: Synthesized;

  beforeAll(() => {
    synth = synthesize('prod');
  });

  it('keeps every version of incoming/ objects: versioned bucket, no lifecycle rule that expires them', () => {
    // Prepare
    const bucket = resourceOf(synth.template, 'AWS::S3::Bucket', synth.stack.data.bucket).Properties;
    const rules = ((bucket.LifecycleConfiguration as { Rules?: Record<string, unknown>[] } | undefined)
      ?.Rules ?? []) as Record<string, unknown>[];
    // Assess
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    const expiring = rules.filter(
      (rule) =>
        rule.ExpirationInDays !== undefined ||
        rule.ExpirationDate !== undefined ||
        rule.NoncurrentVersionExpiration !== undefined ||
        rule.NoncurrentVersionExpirationInDays !== undefined ||
        rule.ExpiredObjectDeleteMarker !== undefined,
    );
    // A rule without a prefix applies to incoming/ too; one with a prefix must not cover incoming/.
    const coversIncoming = (rule: Record<string, unknown>) => {
      const prefix = String(rule.Prefix ?? '');
      return prefix === '' || prefix.startsWith('incoming/') || 'incoming/'.startsWith(prefix);
    };
    expect(expiring.filter(coversIncoming)).toEqual([]);
  });

  it('allows no principal in the stack to delete objects under incoming/', () => {
    // Prepare
    const bucketId = logicalId(synth.stack.data.bucket);
    const documents = [
      ...Object.values(synth.template.findResources('AWS::IAM::Policy')),
      ...Object.values(synth.template.findResources('AWS::IAM::ManagedPolicy')),
    ].map((resource) => resource.Properties.PolicyDocument as { Statement: PolicyStatementJson[] });
    // Act
    const deletes = documents
      .flatMap((document) => document.Statement)
      .filter((statement) => statement.Effect === 'Allow')
      .filter((statement) => actionsOf(statement).some((action) => /^s3:(\*|Delete)/.test(action)))
      .filter((statement) =>
        resourcesOf(statement).some((resource) => {
          const text = JSON.stringify(resource);
          if (!text.includes(bucketId)) return false;
          const path = resourceText(resource);
          return path === 'BUCKET/*' || path.startsWith('BUCKET/incoming/');
        }),
      );
    // Assess: only the dev-stage auto-delete custom resource may empty the bucket, and prod has none.
    expect(deletes).toEqual([]);
  });
});
