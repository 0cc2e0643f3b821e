import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '#infra/create-app';
import { applyNagPacks } from '#infra/nag';
import type { Stage } from '#lib/platform/resources';
import { cdkJsonContext } from './support';

interface Finding {
  readonly severity: string;
  readonly rule: string;
  readonly path: string;
}

interface ValidationReport {
  readonly pluginReports: {
    readonly pluginName: string;
    readonly violations: {
      readonly ruleName: string;
      readonly severity: string;
      readonly violatingConstructs: { readonly constructPath?: string }[];
    }[];
  }[];
}

/**
 * Synthesises `app` with its validation plugins and returns every finding of the CDK validation
 * report (errors stop synthesis, warnings do not: both are collected).
 */
function synthesizeWithNag(app: App): { findings: Finding[]; error: unknown } {
  let error: unknown;
  try {
    app.synth();
  } catch (caught) {
    error = caught;
  }
  const reportFile = join(app.outdir, VALIDATION_REPORT_FILE);
  const report: ValidationReport = existsSync(reportFile)
    ? JSON.parse(readFileSync(reportFile, 'utf8'))
    : { pluginReports: [] };
  const findings = report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((violation) =>
      violation.violatingConstructs.map((construct) => ({
        severity: violation.severity,
        rule: violation.ruleName,
        path: construct.constructPath ?? '?',
      })),
    ),
  );
  return { findings, error };
}

/** Every acknowledgement recorded in the construct tree: rule id → reason. */
function acknowledgements(root: IConstruct): Map<string, string> {
  const found = new Map<string, string>();
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.set(`${construct.node.path} ${id.replace(/^annotation::/i, '')}`, reason);
      }
    }
  }
  return found;
}

describe('cdk-nag: harness', () => {
  it('reports findings of both packs on a non-compliant stack (so zero findings means something)', () => {
    // Prepare
    const app = new App();
    const stack = new Stack(app, 'NonCompliant');
    new Queue(stack, 'Queue', { retentionPeriod: Duration.days(1) });
    new LambdaFunction(stack, 'Function', {
      runtime: Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: Code.fromInline('exports.handler = async () => {}'),
    });
    applyNagPacks(app);
    // Act
    const { findings, error } = synthesizeWithNag(app);
    // Assess
    expect(error).toBeDefined();
    const rules = findings.map((finding) => finding.rule);
    expect(rules).toEqual(
      expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4', 'AwsSolutions-L1']),
    );
    expect(rules).toEqual(
      expect.arrayContaining([
        'Serverless-LambdaDefaultMemorySize',
        'Serverless-LambdaTracing',
        'Serverless-SQSRedrivePolicy',
      ]),
    );
  });
});

const commonRules = [
  'AwsSolutions-APIG4',
  'AwsSolutions-COG4',
  'AwsSolutions-IAM4',
  'AwsSolutions-IAM5',
  'AwsSolutions-L1',
  'AwsSolutions-S1',
  // The access log's reference key is not rotated: a new key would split every person's history.
  'AwsSolutions-SMG4',
  'AwsSolutions-SQS3',
  'Serverless-LambdaDLQ',
  'Serverless-LambdaEventSourceMappingDestination',
  'Serverless-LambdaLatestVersion',
  // The public site's BucketDeployment handler (aws-cdk-lib's) has no tracing setting.
  'Serverless-LambdaTracing',
  'Serverless-SQSRedrivePolicy',
];

/**
 * The rules acknowledged per stage: dev has no web ACL (APIG3); the China stage has no X-Ray
 * on the API stage. (APIG4 stays: the public disclosure routes answer without authorisation by design.)
 */
const reviewedRules: Record<Stage, string[]> = {
  dev: [...commonRules, 'AwsSolutions-APIG3'],
  prod: commonRules,
  china: [...commonRules, 'Serverless-APIGWXrayEnabled'],
};

describe.each(['dev', 'prod', 'china'] as Stage[])(
  'cdk-nag: AwsSolutions and Serverless packs (%s)',
  (stage) => {
    let app: App;
    let findings: Finding[];
    let error: unknown;

    beforeAll(() => {
      // With the public page's origin set, so that the data bucket's CORS rule is checked too.
      const context = { publicSiteOrigins: 'https://xyb.example.gov.cn' };
      app = new App({ context: { ...cdkJsonContext, stage, 'aws:cdk:bundling-stacks': [], ...context } });
      createApp(app, { nag: true });
      ({ findings, error } = synthesizeWithNag(app));
    });

    it('has no unacknowledged error (synthesis succeeds)', () => {
      expect(findings.filter((finding) => finding.severity === 'error')).toEqual([]);
      expect(error).toBeUndefined();
    });

    it('has no unacknowledged warning', () => {
      expect(findings.filter((finding) => finding.severity !== 'error')).toEqual([]);
    });

    it('gives every acknowledgement a specific reason', () => {
      // Act
      const reasons = [...acknowledgements(app).entries()];
      // Assess
      expect(reasons.length).toBeGreaterThan(0);
      for (const [where, reason] of reasons) {
        expect({ where, reason: reason.length >= 60 }).toEqual({ where, reason: true });
      }
    });

    it('acknowledges only the reviewed rules', () => {
      const rules = new Set(
        [...acknowledgements(app).keys()].map((key) => key.split(' ')[1]?.replace(/\[.*$/, '')),
      );
      expect([...rules].sort()).toEqual(reviewedRules[stage].sort());
    });
  },
);
