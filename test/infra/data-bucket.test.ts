import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { officeReportsPrefix } from '#infra/constructs/data-bucket';
import { bucketLayout } from '#lib/platform/resources';
import { arnOf, ref, resourceOf, type Synthesized, synthesize } from './support';

describe('Construct: DataBucket', () => {
  let synth: Synthesized;

  beforeAll(() => {
    synth = synthesize('dev');
  });

  const bucketProperties = () =>
    resourceOf(synth.template, 'AWS::S3::Bucket', synth.stack.data.bucket).Properties;

  it('is versioned', () => {
    expect(bucketProperties().VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  it('encrypts objects at rest with S3-managed keys', () => {
    expect(bucketProperties().BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
  });

  it('blocks every kind of public access', () => {
    expect(bucketProperties().PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  it('denies every request that is not made over TLS', () => {
    // Assess
    synth.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: ref(synth.stack.data.bucket),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('denies TLS versions below 1.2', () => {
    synth.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: ref(synth.stack.data.bucket),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
  });

  it('writes server access logs to the separate access-log bucket', () => {
    expect(bucketProperties().LoggingConfiguration).toEqual({
      DestinationBucketName: ref(synth.stack.data.accessLogBucket),
      LogFilePrefix: 'data/',
    });
  });

  it('keeps the access-log bucket private, encrypted and TLS-only too', () => {
    const properties = resourceOf(
      synth.template,
      'AWS::S3::Bucket',
      synth.stack.data.accessLogBucket,
    ).Properties;
    expect(properties.PublicAccessBlockConfiguration).toMatchObject({ BlockPublicPolicy: true });
    expect(properties.BucketEncryption).toBeDefined();
    synth.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: ref(synth.stack.data.accessLogBucket),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('sends object-created events under incoming/ (and only there) to the ingest queue', () => {
    // Assess
    synth.template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: ref(synth.stack.data.bucket),
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            QueueArn: arnOf(synth.stack.ingest.queue.queue),
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: bucketLayout.incomingPrefix }] } },
          },
        ],
      },
    });
  });

  it('expires the scratch results of chunked ingestion under work/ingest/, and nothing else', () => {
    const { Rules: rules } = bucketProperties().LifecycleConfiguration as {
      Rules: { Prefix?: string; ExpirationInDays?: number }[];
    };
    const expiring = rules.filter((rule) => rule.ExpirationInDays !== undefined);
    expect(expiring).toEqual([
      expect.objectContaining({ Prefix: bucketLayout.ingestWorkPrefix, ExpirationInDays: 7 }),
    ]);
  });

  it('sends no event notification straight to a Lambda function', () => {
    synth.template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: Match.objectEquals({ QueueConfigurations: Match.anyValue() }),
    });
  });

  it('derives the office reports prefix from the shared key layout', () => {
    expect(officeReportsPrefix).toBe('reports/_office/');
    expect(bucketLayout.deadlinesReportKey('2026-01-05', 'json').startsWith(officeReportsPrefix)).toBe(true);
  });

  it('has no CORS rule when the stage names no public page origin', () => {
    expect(bucketProperties().CorsConfiguration).toBeUndefined();
  });

  it('lets browsers on the public page origins PUT (repair materials through presigned URLs), nothing else', () => {
    const origins = 'https://xyb.example.gov.cn,https://credit.example.gov.cn:8443';
    const withOrigins = synthesize('prod', { context: { publicSiteOrigins: origins } });
    const properties = resourceOf(withOrigins.template, 'AWS::S3::Bucket', withOrigins.stack.data.bucket)
      .Properties as { CorsConfiguration?: unknown };
    expect(properties.CorsConfiguration).toEqual({
      CorsRules: [
        {
          Id: 'repair-material-uploads',
          AllowedMethods: ['PUT'],
          AllowedOrigins: ['https://xyb.example.gov.cn', 'https://credit.example.gov.cn:8443'],
          AllowedHeaders: ['content-type', 'x-amz-*'],
          ExposedHeaders: ['ETag'],
          MaxAge: 3000,
        },
      ],
    });
  });

  it('refuses an origin that is not scheme, host and port', () => {
    expect(() =>
      synthesize('dev', { context: { publicSiteOrigins: 'https://xyb.example.gov.cn/public/' } }),
    ).toThrow(/not an origin/);
  });
});
