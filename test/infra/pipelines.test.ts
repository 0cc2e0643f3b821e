import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { visibilityTimeoutFactor } from '#infra/constructs/work-queue';
import { functions, type QueueName, queues } from '#lib/platform/resources';
import { arnOf, logicalId, ref, resourceOf, type Synthesized, synthesize } from './support';

const pipelines: readonly QueueName[] = ['ingest', 'match'];

describe('Construct: IngestPipeline and MatchPipeline', () => {
  let synth: Synthesized;

  beforeAll(() => {
    synth = synthesize('dev');
  });

  const pipeline = (name: QueueName) => synth.stack[name];
  const queueProperties = (name: QueueName) =>
    resourceOf(synth.template, 'AWS::SQS::Queue', pipeline(name).queue.queue).Properties;
  const deadLetterProperties = (name: QueueName) =>
    resourceOf(synth.template, 'AWS::SQS::Queue', pipeline(name).queue.deadLetterQueue).Properties;

  describe.each(pipelines)('Queue: %s', (name) => {
    const definition = queues[name];

    it('has the visibility timeout of its definition', () => {
      expect(queueProperties(name).VisibilityTimeout).toBe(definition.visibilityTimeoutSeconds);
    });

    it(`has a visibility timeout of at least ${visibilityTimeoutFactor}× its consumer's timeout`, () => {
      // Prepare
      const consumerTimeout = functions[name].timeoutSeconds;
      // Act
      const visibility = queueProperties(name).VisibilityTimeout as number;
      // Assess
      expect(visibility).toBeGreaterThanOrEqual(visibilityTimeoutFactor * consumerTimeout);
    });

    it('keeps messages for the retention of its definition', () => {
      expect(queueProperties(name).MessageRetentionPeriod).toBe(definition.retentionSeconds);
    });

    it('redrives to its own dead-letter queue after maxReceiveCount receives', () => {
      expect(queueProperties(name).RedrivePolicy).toEqual({
        deadLetterTargetArn: arnOf(pipeline(name).queue.deadLetterQueue),
        maxReceiveCount: definition.maxReceiveCount,
      });
    });

    it('keeps dead letters longer than the source queue keeps messages', () => {
      const deadLetterRetention = deadLetterProperties(name).MessageRetentionPeriod as number;
      expect(deadLetterRetention).toBe(definition.deadLetterRetentionSeconds);
      expect(deadLetterRetention).toBeGreaterThan(queueProperties(name).MessageRetentionPeriod as number);
    });

    it('encrypts the queue and its dead-letter queue with SQS-managed keys', () => {
      expect(queueProperties(name).SqsManagedSseEnabled).toBe(true);
      expect(deadLetterProperties(name).SqsManagedSseEnabled).toBe(true);
    });

    it('denies every request to the queue that is not made over TLS', () => {
      synth.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [ref(pipeline(name).queue.queue)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('denies every request to the dead-letter queue that is not made over TLS', () => {
      synth.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [ref(pipeline(name).queue.deadLetterQueue)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('is polled by its function with the batch size and batching window of its definition', () => {
      expect(
        resourceOf(synth.template, 'AWS::Lambda::EventSourceMapping', pipeline(name).eventSourceMapping),
      ).toMatchObject({
        Properties: {
          EventSourceArn: arnOf(pipeline(name).queue.queue),
          FunctionName: ref(pipeline(name).function.function),
          BatchSize: definition.batchSize,
          MaximumBatchingWindowInSeconds: definition.maxBatchingWindowSeconds,
        },
      });
    });

    it('reports partial batch failures, so one bad message does not fail its batch', () => {
      const mapping = resourceOf(
        synth.template,
        'AWS::Lambda::EventSourceMapping',
        pipeline(name).eventSourceMapping,
      );
      expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    });

    it('alarms as soon as one message is dead-lettered, to the alarm topic', () => {
      const alarm = resourceOf(
        synth.template,
        'AWS::CloudWatch::Alarm',
        pipeline(name).queue.deadLetterAlarm,
      );
      expect(alarm.Properties).toMatchObject({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Dimensions: [
          {
            Name: 'QueueName',
            Value: { 'Fn::GetAtt': [logicalId(pipeline(name).queue.deadLetterQueue), 'QueueName'] },
          },
        ],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        AlarmActions: [ref(synth.stack.alarms.topic)],
      });
    });
  });

  it('lets S3 send to the ingest queue only for events of the data bucket', () => {
    synth.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [ref(synth.stack.ingest.queue.queue)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: Match.arrayWith(['sqs:SendMessage']),
            Condition: { ArnLike: { 'aws:SourceArn': arnOf(synth.stack.data.bucket) } },
          }),
        ]),
      },
    });
  });

  it('lets nothing but the stack send to the match queue (no resource policy grants)', () => {
    const policy = Object.values(synth.template.findResources('AWS::SQS::QueuePolicy')).find(
      (candidate) =>
        JSON.stringify(candidate.Properties.Queues) === JSON.stringify([ref(synth.stack.match.queue.queue)]),
    );
    expect(policy).toBeDefined();
    const allows = (policy!.Properties.PolicyDocument.Statement as { Effect: string }[]).filter(
      (statement) => statement.Effect === 'Allow',
    );
    expect(allows).toEqual([]);
  });

  it('has exactly one event-source mapping per pipeline', () => {
    synth.template.resourceCountIs('AWS::Lambda::EventSourceMapping', pipelines.length);
  });
});
