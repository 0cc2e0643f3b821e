import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { stageSettings } from '#infra/config';
import { integrationTimeout, usageKeyPrefix } from '#infra/constructs/credit-api';
import { defaultRegistryPath, loadAgencyRegistry } from '#lib/platform/agency-registry';
import { env, functions, queues } from '#lib/platform/resources';
import {
  arnOf,
  defined,
  logicalId,
  logRetentionOf,
  ref,
  resourceOf,
  type Synthesized,
  synthesize,
} from './support';

const registry = loadAgencyRegistry(defaultRegistryPath);

describe.each(['dev', 'prod'] as const)('Serverless Lens (%s)', (stage) => {
  let synth: Synthesized;
  const settings = stageSettings(stage);

  beforeAll(() => {
    synth = synthesize(stage);
  });

  const functionProperties = (fn: Parameters<typeof resourceOf>[2]) =>
    resourceOf(synth.template, 'AWS::Lambda::Function', fn).Properties;

  describe('1. Concurrency', () => {
    it.each(['ingest', 'match'] as const)('caps the %s queue consumer with maxConcurrency', (name) => {
      const mapping = resourceOf(
        synth.template,
        'AWS::Lambda::EventSourceMapping',
        synth.stack[name].eventSourceMapping,
      );
      expect(mapping.Properties.ScalingConfig).toEqual({
        MaximumConcurrency: settings.consumerMaxConcurrency[name],
      });
    });

    it('reserves concurrency for the api and the authorizer', () => {
      expect(functionProperties(synth.stack.api.apiFunction.function).ReservedConcurrentExecutions).toBe(
        settings.reservedConcurrency.api,
      );
      expect(
        functionProperties(defined(synth.stack.api.authorizerFunction, 'authorizer').function)
          .ReservedConcurrentExecutions,
      ).toBe(settings.reservedConcurrency.authorizer);
    });
  });

  describe('2. Confused deputy', () => {
    it('lets S3 send to the ingest queue only for this bucket in this account', () => {
      synth.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [ref(synth.stack.ingest.queue.queue)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 's3.amazonaws.com' },
              Condition: {
                ArnLike: { 'aws:SourceArn': arnOf(synth.stack.data.bucket) },
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              },
            }),
          ]),
        },
      });
    });

    it('gives EventBridge no topic-policy grant on the notices topic', () => {
      const topic = defined(synth.stack.deadlines.noticeTopic, 'notice topic');
      const policies = Object.values(synth.template.findResources('AWS::SNS::TopicPolicy')).filter((policy) =>
        JSON.stringify(policy.Properties.Topics).includes(logicalId(topic)),
      );
      expect(JSON.stringify(policies)).not.toContain('events.amazonaws.com');
    });

    it('publishes notices through a role only this account’s notice rule may assume', () => {
      synth.template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({
              Principal: { Service: 'events.amazonaws.com' },
              Condition: {
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
                ArnEquals: { 'aws:SourceArn': Match.anyValue() },
              },
            }),
          ],
        },
      });
    });
  });

  describe('4. Per-agency quotas', () => {
    it('takes usage-plan keys from the authorizer and requires one on the proxy method', () => {
      synth.template.hasResourceProperties('AWS::ApiGateway::RestApi', { ApiKeySourceType: 'AUTHORIZER' });
      const method = resourceOf(synth.template, 'AWS::ApiGateway::Method', synth.stack.api.proxyMethod);
      expect(method.Properties.ApiKeyRequired).toBe(true);
    });

    it('has one usage plan per registered agency, with the stage quota', () => {
      synth.template.resourceCountIs('AWS::ApiGateway::UsagePlan', registry.agencies.length);
      for (const agency of registry.agencies) {
        synth.template.hasResourceProperties('AWS::ApiGateway::ApiKey', {
          Value: `${usageKeyPrefix(stage)}${agency.code}`,
        });
      }
      synth.template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
        Throttle: {
          RateLimit: settings.agencyUsagePlan.rateLimit,
          BurstLimit: settings.agencyUsagePlan.burstLimit,
        },
        Quota: { Limit: settings.agencyUsagePlan.quotaPerDay, Period: 'DAY' },
      });
    });

    it('tells the authorizer the usage-key prefix', () => {
      const properties = functionProperties(
        defined(synth.stack.api.authorizerFunction, 'authorizer').function,
      );
      expect(properties.Environment).toMatchObject({
        Variables: { [env.usageKeyPrefix]: usageKeyPrefix(stage) },
      });
    });

    it(
      stage === 'prod' ? 'puts a WAFv2 web ACL with a per-IP rate rule on the stage' : 'has no web ACL',
      () => {
        if (stage === 'prod') {
          synth.template.hasResourceProperties('AWS::WAFv2::WebACL', {
            Scope: 'REGIONAL',
            Rules: [
              Match.objectLike({
                Action: { Block: {} },
                Statement: {
                  RateBasedStatement: { Limit: settings.webAclRateLimit, AggregateKeyType: 'IP' },
                },
              }),
            ],
          });
          synth.template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
        } else {
          synth.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
        }
      },
    );
  });

  describe('6. Keys', () => {
    // prod: one key per encrypted resource, the access log's reference-key secret included.
    const keyCount = stage === 'prod' ? 5 : 0;

    it(`has ${keyCount} customer-managed keys, each rotated`, () => {
      synth.template.resourceCountIs('AWS::KMS::Key', keyCount);
      for (const key of Object.values(synth.template.findResources('AWS::KMS::Key'))) {
        expect(key.Properties.EnableKeyRotation).toBe(true);
      }
    });

    it('encrypts the table, the data bucket and both topics with them in prod only', () => {
      const table = resourceOf(synth.template, 'AWS::DynamoDB::Table', synth.stack.table.table).Properties;
      const bucket = resourceOf(synth.template, 'AWS::S3::Bucket', synth.stack.data.bucket).Properties;
      const topics = Object.values(synth.template.findResources('AWS::SNS::Topic'));
      if (stage === 'prod') {
        expect(table.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
        expect(JSON.stringify(bucket.BucketEncryption)).toContain('aws:kms');
        expect(topics.map((topic) => topic.Properties.KmsMasterKeyId)).not.toContain(undefined);
      } else {
        expect(JSON.stringify(bucket.BucketEncryption)).toContain('AES256');
        expect(topics.map((topic) => topic.Properties.KmsMasterKeyId)).toEqual(topics.map(() => undefined));
      }
    });

    it('lets CloudWatch use the alarm topic key from this account only', () => {
      if (stage === 'dev') return;
      synth.template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            }),
          ]),
        },
      });
    });
  });

  describe('7. Retention, removal, retries, timeouts', () => {
    it("gives API Gateway's execution log group the stage retention", () => {
      const logGroup = resourceOf(synth.template, 'AWS::Logs::LogGroup', synth.stack.api.executionLogGroup);
      expect(logGroup.Properties.RetentionInDays).toBe(settings.logRetention);
      expect(JSON.stringify(logGroup.Properties.LogGroupName)).toContain('API-Gateway-Execution-Logs_');
    });

    it("sends the logs of aws-cdk-lib's own functions to a group with the stage retention", () => {
      const platform = [
        synth.stack.ingest.function,
        synth.stack.match.function,
        synth.stack.deadlines.function,
        synth.stack.api.apiFunction,
        defined(synth.stack.api.authorizerFunction, 'authorizer'),
      ].map((fn) => logicalId(fn.function));
      const library = Object.entries(synth.template.findResources('AWS::Lambda::Function'))
        .filter(([id]) => !platform.includes(id))
        .map(([, fn]) => fn);
      expect(library.length).toBeGreaterThan(0);
      for (const fn of library) {
        expect(logRetentionOf(synth.template, fn)).toBe(settings.logRetention);
      }
      // The bucket-notification handler has no log group of its own: it gets the shared one.
      expect(library.map((fn) => JSON.stringify(fn.Properties.LoggingConfig))).toContain(
        JSON.stringify({ LogGroup: ref(synth.stack.libraryLogs) }),
      );
    });

    it('expires superseded report versions after the stage window, never incoming/ versions', () => {
      const bucket = resourceOf(synth.template, 'AWS::S3::Bucket', synth.stack.data.bucket).Properties;
      expect(JSON.stringify(bucket.LifecycleConfiguration)).toContain('"Prefix":"reports/"');
      expect(bucket.LifecycleConfiguration).toMatchObject({
        Rules: expect.arrayContaining([
          expect.objectContaining({
            Prefix: 'reports/',
            NoncurrentVersionExpiration: { NoncurrentDays: settings.noncurrentVersionDays },
          }),
        ]),
      });
    });

    it.each(['ingest', 'match'] as const)('redrives %s messages after 5 receives', (name) => {
      expect(queues[name].maxReceiveCount).toBe(5);
      const queue = resourceOf(synth.template, 'AWS::SQS::Queue', synth.stack[name].queue.queue);
      expect(queue.Properties.RedrivePolicy).toMatchObject({ maxReceiveCount: 5 });
    });

    it(`${stage === 'prod' ? 'keeps' : 'deletes'} the dead-letter queues with the stack`, () => {
      for (const queue of [
        synth.stack.ingest.queue.deadLetterQueue,
        synth.stack.match.queue.deadLetterQueue,
        synth.stack.deadlines.deadLetterQueue,
      ]) {
        expect(resourceOf(synth.template, 'AWS::SQS::Queue', queue).DeletionPolicy).toBe(
          stage === 'prod' ? 'Retain' : 'Delete',
        );
      }
    });

    it('ends the api function before the 29 s integration timeout', () => {
      expect(functions.api.timeoutSeconds).toBeLessThan(integrationTimeout.toSeconds());
      const method = resourceOf(synth.template, 'AWS::ApiGateway::Method', synth.stack.api.proxyMethod);
      expect(method.Properties.Integration).toMatchObject({
        TimeoutInMillis: integrationTimeout.toMilliseconds(),
      });
    });
  });

  describe('8. Revocation', () => {
    it('caches authorizer decisions for the stage TTL only', () => {
      synth.template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
        AuthorizerResultTtlInSeconds: settings.authorizerCacheSeconds,
      });
      if (stage === 'prod') expect(settings.authorizerCacheSeconds).toBeLessThanOrEqual(60);
    });
  });
});
