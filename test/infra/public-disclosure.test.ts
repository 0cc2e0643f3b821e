import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { methodSettingPath } from '#infra/constructs/public-disclosure';
import { createApp } from '#infra/create-app';
import type { JointCreditStack } from '#infra/stacks/joint-credit-stack';
import { publicDisclosure } from '#lib/platform/public-disclosure';
import { api } from '#lib/platform/resources';
import { allowedActions, arnOf, cdkJsonContext, logicalId, resourceOf, synthesize } from './support';

let stack: JointCreditStack;
let template: Template;
let nagApp: App;
let findings: { rule: string; path: string }[];

beforeAll(() => {
  ({ stack, template } = synthesize('dev'));
  // A second app with the nag packs: its validation report lists every unacknowledged finding.
  nagApp = new App({ context: { ...cdkJsonContext, stage: 'dev', 'aws:cdk:bundling-stacks': [] } });
  createApp(nagApp, { nag: true });
  try {
    nagApp.synth();
  } catch {
    // an unacknowledged error stops synthesis: the findings are in the report below
  }
  const reportFile = join(nagApp.outdir, VALIDATION_REPORT_FILE);
  const report = existsSync(reportFile)
    ? JSON.parse(readFileSync(reportFile, 'utf8'))
    : { pluginReports: [] };
  findings = report.pluginReports.flatMap(
    (plugin: { violations: { ruleName: string; violatingConstructs: { constructPath?: string }[] }[] }) =>
      plugin.violations.flatMap((violation) =>
        violation.violatingConstructs.map((construct) => ({
          rule: violation.ruleName,
          path: construct.constructPath ?? '?',
        })),
      ),
  );
}, 180_000);

/** The API Gateway path of a Resource, built from its PathPart chain. */
function pathOf(resourceId: unknown): string {
  const resources = template.findResources('AWS::ApiGateway::Resource');
  const ref = (resourceId as { Ref?: string }).Ref;
  const resource = ref === undefined ? undefined : resources[ref];
  if (!resource) return '';
  return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart as string}`;
}

const publicMethods = () =>
  Object.values(template.findResources('AWS::ApiGateway::Method'))
    .map((method) => ({ path: pathOf(method.Properties.ResourceId), properties: method.Properties }))
    .filter((method) => method.path.startsWith(publicDisclosure.basePath));

describe('Construct: PublicDisclosure', () => {
  describe('Methods', () => {
    it('adds exactly GET /public, GET /public/{asset}, GET and POST /public/v1/{proxy+}, none behind the authorizer', () => {
      expect(
        publicMethods()
          .map(
            (method) =>
              `${method.properties.HttpMethod} ${method.path} ${method.properties.AuthorizationType}`,
          )
          .sort(),
      ).toEqual([
        'GET /public NONE',
        'GET /public/v1/{proxy+} NONE',
        'GET /public/{asset} NONE',
        'POST /public/v1/{proxy+} NONE',
      ]);
    });

    it('sends the read API to the api function (Lambda proxy)', () => {
      const method = publicMethods().find((m) => m.path === `${publicDisclosure.apiPath}/{proxy+}`);
      expect(method?.properties.Integration).toMatchObject({
        Type: 'AWS_PROXY',
        IntegrationHttpMethod: 'POST',
      });
      expect(JSON.stringify(method?.properties.Integration)).toContain(
        logicalId(stack.api.apiFunction.function),
      );
    });

    it('reads the page from the site bucket with its own role, passing ETag and If-None-Match through', () => {
      const asset = publicMethods().find((m) => m.path === `${publicDisclosure.basePath}/{asset}`);
      const integration = asset?.properties.Integration as Record<string, unknown>;
      expect(integration).toMatchObject({
        Type: 'AWS',
        IntegrationHttpMethod: 'GET',
        Credentials: arnOf(stack.publicDisclosure.siteReadRole),
        RequestParameters: {
          'integration.request.path.asset': 'method.request.path.asset',
          'integration.request.header.If-None-Match': 'method.request.header.If-None-Match',
        },
      });
      expect(JSON.stringify(integration.Uri)).toContain(':s3:path/');
      expect(integration.IntegrationResponses).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            StatusCode: '200',
            ResponseParameters: expect.objectContaining({
              'method.response.header.ETag': 'integration.response.header.ETag',
              'method.response.header.Cache-Control': 'integration.response.header.Cache-Control',
            }),
          }),
          expect.objectContaining({ StatusCode: '304', SelectionPattern: '304' }),
          expect.objectContaining({ StatusCode: '404', SelectionPattern: '4\\d{2}' }),
        ]),
      );
      const page = publicMethods().find((m) => m.path === publicDisclosure.basePath);
      expect(JSON.stringify(page?.properties.Integration.Uri)).toContain(
        `/public/${publicDisclosure.indexDocument}`,
      );
    });
  });

  describe('Throttling', () => {
    it('gives every public method its own, lower rate and burst in the stage method settings', () => {
      const settings = resourceOf(template, 'AWS::ApiGateway::Stage', stack.api.restApi.deploymentStage)
        .Properties.MethodSettings as Record<string, unknown>[];
      for (const path of ['/public/v1/{proxy+}', '/public', '/public/{asset}']) {
        expect(settings).toContainEqual(
          expect.objectContaining({
            HttpMethod: 'GET',
            ResourcePath: methodSettingPath(path),
            ThrottlingRateLimit: publicDisclosure.throttle.rateLimit,
            ThrottlingBurstLimit: publicDisclosure.throttle.burstLimit,
            DataTraceEnabled: false,
          }),
        );
      }
      // the stage-wide setting for the registered business systems is still there
      expect(settings).toContainEqual(
        expect.objectContaining({ ResourcePath: '/*', ThrottlingRateLimit: api.throttle.rateLimit }),
      );
      expect(publicDisclosure.throttle.rateLimit).toBeLessThan(api.throttle.rateLimit);
    });

    it('gives the public POST (objection filing) a lower ceiling still, and logs no bodies', () => {
      const settings = resourceOf(template, 'AWS::ApiGateway::Stage', stack.api.restApi.deploymentStage)
        .Properties.MethodSettings as Record<string, unknown>[];
      expect(settings).toContainEqual(
        expect.objectContaining({
          HttpMethod: 'POST',
          ResourcePath: methodSettingPath('/public/v1/{proxy+}'),
          ThrottlingRateLimit: publicDisclosure.commandThrottle.rateLimit,
          DataTraceEnabled: false,
        }),
      );
      expect(publicDisclosure.commandThrottle.rateLimit).toBeLessThan(publicDisclosure.throttle.rateLimit);
    });

    it('encodes method-setting paths as API Gateway wants them', () => {
      expect(methodSettingPath('/public/v1/{proxy+}')).toBe('/~1public~1v1~1{proxy+}');
    });
  });

  describe('Site bucket', () => {
    it('is private, encrypted, TLS-only, and logs its accesses', () => {
      const bucket = resourceOf(template, 'AWS::S3::Bucket', stack.publicDisclosure.siteBucket).Properties;
      expect(bucket).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        LoggingConfiguration: { LogFilePrefix: 'public-site/' },
      });
    });

    it('lets the API read public/ objects and nothing else', () => {
      const allowed = allowedActions(template, stack.publicDisclosure.siteReadRole);
      expect([...allowed.keys()].every((action) => /^s3:(GetObject|GetBucket|List)/.test(action))).toBe(true);
      expect(JSON.stringify(allowed.get('s3:GetObject*'))).toContain('/public/*');
    });

    it('deploys web/public/ under public/ with a Cache-Control header', () => {
      template.hasResourceProperties('Custom::CDKBucketDeployment', {
        DestinationBucketName: { Ref: logicalId(stack.publicDisclosure.siteBucket) },
        DestinationBucketKeyPrefix: publicDisclosure.assetPrefix,
        SystemMetadata: { 'cache-control': `public, max-age=${publicDisclosure.assetCacheSeconds}` },
        Prune: true,
      });
    });
  });

  describe('cdk-nag', () => {
    it('has no unacknowledged finding on the public disclosure or its deployment handler', () => {
      const mine = findings.filter(
        (finding) =>
          finding.path.includes('/PublicDisclosure/') || finding.path.includes('Custom::CDKBucketDeployment'),
      );
      expect(mine).toEqual([]);
    });

    it('acknowledges the public methods as public by design, with the reason', () => {
      const reasons = stack.publicDisclosure.apiMethod.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.entries(entry.data as Record<string, string>));
      expect(reasons.map(([rule]) => rule.replace(/^annotation::/i, '')).sort()).toEqual([
        'AwsSolutions-APIG4',
        'AwsSolutions-COG4',
      ]);
      for (const [, reason] of reasons) expect(reason).toContain('双公示');
    });
  });
});

describe('Stack: the public routes need no key but the rest of the API still does', () => {
  it('keeps every other method behind the authorizer', () => {
    const others = Object.values(template.findResources('AWS::ApiGateway::Method'))
      .map((method) => ({ path: pathOf(method.Properties.ResourceId), properties: method.Properties }))
      .filter((method) => method.path.startsWith(`${api.basePath}/{proxy+}`));
    expect(others.map((m) => m.properties.AuthorizationType)).toEqual(['CUSTOM']);
  });
});
