import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidStageError, stageFromContext } from '#infra/config';
import { createApp } from '#infra/create-app';
import { resourceOf, type Synthesized, synthesize } from './support';

describe('Stage: selection', () => {
  it('defaults to dev', () => {
    expect(stageFromContext(new App())).toBe('dev');
  });

  it('reads the stage from context', () => {
    expect(stageFromContext(new App({ context: { stage: 'prod' } }))).toBe('prod');
  });

  it('refuses a stage that is not listed in `stages`', () => {
    expect(() => createApp(new App({ context: { stage: 'staging' } }), { nag: false })).toThrow(
      InvalidStageError,
    );
  });
});

describe('Stage: dev', () => {
  let synth: Synthesized;

  beforeAll(() => {
    synth = synthesize('dev');
  });

  it('names the stack after the stage', () => {
    expect(synth.stack.stackName).toBe('joint-credit-dev-platform');
  });

  it('deletes the data bucket with the stack', () => {
    expect(resourceOf(synth.template, 'AWS::S3::Bucket', synth.stack.data.bucket)).toMatchObject({
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
    });
  });

  it('empties both buckets before deleting them', () => {
    synth.template.resourceCountIs('Custom::S3AutoDeleteObjects', 2);
  });

  it('deletes the table with the stack, without deletion protection', () => {
    const table = resourceOf(synth.template, 'AWS::DynamoDB::Table', synth.stack.table.table);
    expect(table).toMatchObject({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    expect(table.Properties.DeletionProtectionEnabled).toBe(false);
  });

  it('keeps logs for a month', () => {
    for (const logGroup of Object.values(synth.template.findResources('AWS::Logs::LogGroup'))) {
      expect(logGroup).toMatchObject({ DeletionPolicy: 'Delete', Properties: { RetentionInDays: 30 } });
    }
  });
});

describe('Stage: prod', () => {
  let synth: Synthesized;

  beforeAll(() => {
    synth = synthesize('prod');
  });

  it('names the stack and the API stage after the stage', () => {
    expect(synth.stack.stackName).toBe('joint-credit-prod-platform');
    synth.template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'prod' });
  });

  it('retains the data bucket when the stack is deleted or the bucket replaced', () => {
    expect(resourceOf(synth.template, 'AWS::S3::Bucket', synth.stack.data.bucket)).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('retains the access-log bucket', () => {
    expect(resourceOf(synth.template, 'AWS::S3::Bucket', synth.stack.data.accessLogBucket)).toMatchObject({
      DeletionPolicy: 'Retain',
    });
  });

  it('never empties a bucket automatically', () => {
    synth.template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  it('retains the table', () => {
    expect(resourceOf(synth.template, 'AWS::DynamoDB::Table', synth.stack.table.table)).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('protects the table against deletion', () => {
    expect(
      resourceOf(synth.template, 'AWS::DynamoDB::Table', synth.stack.table.table).Properties
        .DeletionProtectionEnabled,
    ).toBe(true);
  });

  it('retains logs for a year (the Cybersecurity Law asks for at least six months)', () => {
    for (const logGroup of Object.values(synth.template.findResources('AWS::Logs::LogGroup'))) {
      expect(logGroup).toMatchObject({ DeletionPolicy: 'Retain', Properties: { RetentionInDays: 365 } });
    }
  });
});
