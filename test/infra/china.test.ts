import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidSettingError, settingsFromContext, stageSettings } from '#infra/config';
import { agencyCallerRoleName } from '#infra/constructs/credit-api';
import { utcCron } from '#infra/constructs/deadlines-schedule';
import { createApp } from '#infra/create-app';
import { defaultRegistryPath, loadAgencyRegistry } from '#lib/platform/agency-registry';
import { env, schedules } from '#lib/platform/resources';
import {
  allowedActions,
  arnOf,
  cdkJsonContext,
  logicalId,
  logRetentionOf,
  resourceOf,
  type Synthesized,
  synthesize,
} from './support';

const registry = loadAgencyRegistry(defaultRegistryPath);

describe('Settings: the China target', () => {
  it('makes the china stage prod-grade, in the aws-cn partition', () => {
    const china = stageSettings('china');
    const prod = stageSettings('prod');
    expect(china).toMatchObject({
      partition: 'aws-cn',
      removalPolicy: prod.removalPolicy,
      tableDeletionProtection: true,
      customerManagedKeys: true,
      tracing: false,
      architecture: 'x86_64',
      deadlinesTrigger: 'events-rule',
      apiAccess: 'iam',
    });
  });

  it('applies the China profile to any stage with -c partition=aws-cn', () => {
    const settings = settingsFromContext(new App({ context: { stage: 'dev', partition: 'aws-cn' } }));
    expect(settings).toMatchObject({ stage: 'dev', partition: 'aws-cn', tracing: false, apiAccess: 'iam' });
  });

  it('lets single settings be overridden in context, validated', () => {
    const settings = settingsFromContext(
      new App({ context: { stage: 'china', architecture: 'arm64', deadlinesTrigger: 'scheduler' } }),
    );
    expect(settings).toMatchObject({ architecture: 'arm64', deadlinesTrigger: 'scheduler' });
    const runtimes = settingsFromContext(
      new App({ context: { stage: 'china', nodejsSingletonRuntime: 'nodejs24.x' } }),
    ).singletonRuntimes;
    expect(runtimes).toEqual({ nodejs: 'nodejs24.x', python: 'python3.12' });
    expect(() =>
      settingsFromContext(new App({ context: { stage: 'china', architecture: 'sparc' } })),
    ).toThrow(InvalidSettingError);
  });

  it('refuses a private API without the VPC endpoints that may call it', () => {
    expect(() => settingsFromContext(new App({ context: { stage: 'china', apiAccess: 'private' } }))).toThrow(
      InvalidSettingError,
    );
  });
});

describe('utcCron: Scheduler time zones for EventBridge rules (UTC)', () => {
  it('moves 01:30 Asia/Shanghai to 17:30 UTC (the previous day)', () => {
    expect(utcCron('cron(30 1 * * ? *)', 'Asia/Shanghai')).toBe('cron(30 17 * * ? *)');
  });

  it('keeps the day when the UTC hour does not wrap', () => {
    expect(utcCron('cron(0 12 * * ? *)', 'Asia/Shanghai')).toBe('cron(0 4 * * ? *)');
  });

  it('refuses expressions whose day would shift with the hour, and unknown zones', () => {
    expect(() => utcCron('cron(30 1 1 * ? *)', 'Asia/Shanghai')).toThrow();
    expect(() => utcCron('cron(30 1 * * ? *)', 'Europe/Paris')).toThrow();
  });
});

describe('Stage: china', () => {
  let synth: Synthesized;

  beforeAll(() => {
    synth = synthesize('china');
  });

  const platformFunctions = () => [
    synth.stack.ingest.function,
    synth.stack.match.function,
    synth.stack.deadlines.function,
    synth.stack.api.apiFunction,
  ];

  describe('X-Ray (no Lambda integration in the China regions)', () => {
    it('turns active tracing off on every function', () => {
      for (const fn of platformFunctions()) {
        const properties = resourceOf(synth.template, 'AWS::Lambda::Function', fn.function).Properties;
        expect([undefined, 'PassThrough']).toContain(
          (properties.TracingConfig as { Mode?: string } | undefined)?.Mode,
        );
      }
    });

    it('grants no xray:* action to any function', () => {
      for (const fn of platformFunctions()) {
        const actions = [...allowedActions(synth.template, fn.role).keys()];
        expect(actions.filter((action) => action.startsWith('xray:'))).toEqual([]);
      }
    });

    it('disables the Powertools Tracer', () => {
      for (const fn of platformFunctions()) {
        const properties = resourceOf(synth.template, 'AWS::Lambda::Function', fn.function).Properties;
        expect(properties.Environment).toMatchObject({ Variables: { POWERTOOLS_TRACE_ENABLED: 'false' } });
      }
    });

    it('turns X-Ray off on the API stage', () => {
      const stage = resourceOf(
        synth.template,
        'AWS::ApiGateway::Stage',
        synth.stack.api.restApi.deploymentStage,
      );
      expect(stage.Properties.TracingEnabled).toBe(false);
    });
  });

  describe('Runtimes and architecture (fallbacks)', () => {
    it('runs the platform functions on x86_64', () => {
      for (const fn of platformFunctions()) {
        const properties = resourceOf(synth.template, 'AWS::Lambda::Function', fn.function).Properties;
        expect(properties.Architectures).toEqual(['x86_64']);
        expect(properties.Runtime).toBe('nodejs22.x');
      }
    });

    it("pins aws-cdk-lib's own functions to the stage's runtimes and logs them with a retention", () => {
      const library = Object.entries(synth.template.findResources('AWS::Lambda::Function')).filter(
        ([id]) => !platformFunctions().some((fn) => logicalId(fn.function) === id),
      );
      expect(library.length).toBeGreaterThan(0);
      for (const [, resource] of library) {
        expect(['nodejs22.x', 'python3.12']).toContain(resource.Properties.Runtime);
        expect(resource.Properties.Architectures ?? ['x86_64']).toEqual(['x86_64']);
        expect(logRetentionOf(synth.template, resource)).toBe(365);
      }
    });
  });

  describe('Deadlines trigger: an EventBridge rule instead of Scheduler', () => {
    it('has no Scheduler schedule', () => {
      synth.template.resourceCountIs('AWS::Scheduler::Schedule', 0);
      expect(synth.stack.deadlines.schedule).toBeUndefined();
    });

    it('runs daily at 01:30 Asia/Shanghai, written as 17:30 UTC', () => {
      const rule = synth.stack.deadlines.rule;
      expect(rule).toBeDefined();
      expect(schedules.deadlines.expression).toBe('cron(30 1 * * ? *)');
      synth.template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'cron(30 17 * * ? *)',
        State: 'ENABLED',
        Targets: [
          Match.objectLike({
            Arn: arnOf(synth.stack.deadlines.function.function),
            RetryPolicy: {
              MaximumRetryAttempts: schedules.deadlines.maximumRetryAttempts,
              MaximumEventAgeInSeconds: schedules.deadlines.maximumEventAgeSeconds,
            },
            DeadLetterConfig: { Arn: arnOf(synth.stack.deadlines.deadLetterQueue) },
          }),
        ],
      });
    });
  });

  describe('API access without ICP: SigV4 with one role per agency', () => {
    it('requires AWS_IAM on every method (no unauthenticated route without ICP) and has no Lambda authorizer', () => {
      for (const apiMethod of [synth.stack.api.proxyMethod, ...synth.stack.api.publicMethods]) {
        const method = resourceOf(synth.template, 'AWS::ApiGateway::Method', apiMethod);
        expect(method.Properties.AuthorizationType).toBe('AWS_IAM');
      }
      synth.template.resourceCountIs('AWS::ApiGateway::Authorizer', 0);
      expect(synth.stack.api.authorizerFunction).toBeUndefined();
    });

    it.each(registry.agencies.map((agency) => [agency.code]))(
      'lets the %s caller role invoke this stage and nothing else',
      (code) => {
        synth.template.hasResourceProperties('AWS::IAM::Role', {
          RoleName: agencyCallerRoleName('china', code),
          Policies: [
            {
              PolicyName: 'invoke',
              PolicyDocument: Match.objectLike({
                Statement: [Match.objectLike({ Action: 'execute-api:Invoke', Effect: 'Allow' })],
              }),
            },
          ],
        });
      },
    );

    it('tells the api function which role is which agency, with the roles the registry gives it', () => {
      const properties = resourceOf(
        synth.template,
        'AWS::Lambda::Function',
        synth.stack.api.apiFunction.function,
      ).Properties;
      const variables = (properties.Environment as { Variables: Record<string, string> }).Variables;
      const callers = JSON.parse(variables[env.iamCallers] ?? '{}');
      for (const agency of registry.agencies) {
        expect(callers[agencyCallerRoleName('china', agency.code)]).toEqual({
          agencyCode: agency.code,
          roles: agency.roles,
        });
      }
    });
  });

  it('has no KmsKeyIdentifier on the EventBridge archive (aws-cdk#37847)', () => {
    const archive = resourceOf(synth.template, 'AWS::Events::Archive', synth.stack.events.archive);
    expect(archive.Properties).not.toHaveProperty('KmsKeyIdentifier');
  });
});

describe('Stage setting: private API endpoint', () => {
  it('answers only the listed interface VPC endpoints', () => {
    const app = new App({
      context: {
        ...cdkJsonContext,
        stage: 'china',
        apiAccess: 'private',
        apiVpcEndpointIds: 'vpce-0a1b2c3d4e5f60718,vpce-1a1b2c3d4e5f60718',
        'aws:cdk:bundling-stacks': [],
      },
    });
    const { stack } = createApp(app, { nag: false });
    const restApi = app.synth().getStackByName(stack.stackName).template.Resources[
      logicalId(stack.api.restApi)
    ];
    expect(restApi.Properties.EndpointConfiguration).toEqual({ Types: ['PRIVATE'] });
    expect(restApi.Properties.Policy.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'execute-api:Invoke',
        Condition: {
          StringEquals: { 'aws:SourceVpce': ['vpce-0a1b2c3d4e5f60718', 'vpce-1a1b2c3d4e5f60718'] },
        },
      }),
    ]);
    // The Lambda authorizer still checks the API key behind the private endpoint.
    expect(stack.api.authorizer).toBeDefined();
  });
});
