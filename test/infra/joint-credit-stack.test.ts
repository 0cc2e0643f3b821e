import { Token } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ref, type Synthesized, synthesize } from './support';

describe('Stack: JointCreditStack', () => {
  let synth: Synthesized;

  beforeAll(() => {
    synth = synthesize('dev');
  });

  it.each([
    ['BucketName', () => ref(synth.stack.data.bucket)],
    ['TableName', () => ref(synth.stack.table.table)],
    ['IngestQueueUrl', () => ref(synth.stack.ingest.queue.queue)],
    ['MatchQueueUrl', () => ref(synth.stack.match.queue.queue)],
  ])('outputs %s', (name, value) => {
    synth.template.hasOutput(name, { Value: value() });
  });

  it('outputs the API URL of the stage', () => {
    // Act
    const output = synth.template.findOutputs('ApiUrl').ApiUrl;
    // Assess
    expect(JSON.stringify(output?.Value)).toContain(
      JSON.stringify(ref(synth.stack.api.restApi.deploymentStage)),
    );
  });

  it('is environment-agnostic, so synthesis needs no credentials', () => {
    expect(Token.isUnresolved(synth.stack.account)).toBe(true);
    expect(Token.isUnresolved(synth.stack.region)).toBe(true);
    expect(synth.stack.environment).toBe('aws://unknown-account/unknown-region');
  });

  it('synthesises without CDK warnings', () => {
    expect(Annotations.fromStack(synth.stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('synthesises without CDK errors', () => {
    expect(Annotations.fromStack(synth.stack).findError('*', Match.anyValue())).toEqual([]);
  });
});
