import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultRegistryPath, loadAgencyRegistry } from '#lib/platform/agency-registry';
import { deadlineEvents, env, schedules } from '#lib/platform/resources';
import {
  allowedActions,
  arnOf,
  defined,
  logicalId,
  ref,
  resourceOf,
  type Synthesized,
  synthesize,
} from './support';

const definition = schedules.deadlines;

describe('Construct: DeadlinesSchedule', () => {
  let synth: Synthesized;

  beforeAll(() => {
    synth = synthesize('dev');
  });

  const scheduleProperties = () =>
    resourceOf(
      synth.template,
      'AWS::Scheduler::Schedule',
      defined(synth.stack.deadlines.schedule, 'schedule'),
    ).Properties;
  const target = () =>
    scheduleProperties().Target as {
      Arn: unknown;
      RoleArn: unknown;
      Input: unknown;
      RetryPolicy: unknown;
      DeadLetterConfig: unknown;
    };

  it('is the only schedule', () => {
    synth.template.resourceCountIs('AWS::Scheduler::Schedule', 1);
  });

  it('runs on the expression of its definition', () => {
    expect(scheduleProperties().ScheduleExpression).toBe(definition.expression);
  });

  it('reads its expression in the Asia/Shanghai time zone', () => {
    expect(scheduleProperties().ScheduleExpressionTimezone).toBe(definition.timezone);
  });

  it('fires at the scheduled time, without a flexible window', () => {
    expect(scheduleProperties().FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
  });

  it('is enabled and named after the stage', () => {
    expect(scheduleProperties()).toMatchObject({
      State: 'ENABLED',
      Name: `joint-credit-dev-${definition.id}`,
    });
  });

  it('invokes the deadlines function', () => {
    expect(target().Arn).toEqual(arnOf(synth.stack.deadlines.function.function));
  });

  it('retries delivery as its definition says', () => {
    expect(target().RetryPolicy).toEqual({
      MaximumRetryAttempts: definition.maximumRetryAttempts,
      MaximumEventAgeInSeconds: definition.maximumEventAgeSeconds,
    });
  });

  it('dead-letters runs it could not deliver', () => {
    expect(target().DeadLetterConfig).toEqual({ Arn: arnOf(synth.stack.deadlines.deadLetterQueue) });
  });

  it('sends the scheduled time as `time`, the way the handler reads a Scheduled Event', () => {
    expect(JSON.stringify(target().Input)).toContain('\\"time\\":\\"<aws.scheduler.scheduled-time>\\"');
  });

  it('assumes a role that may only invoke that function and send to that dead-letter queue', () => {
    // Prepare
    const roleId = (target().RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const policies = Object.values(synth.template.findResources('AWS::IAM::Policy')).filter((policy) =>
      JSON.stringify(policy.Properties.Roles).includes(roleId),
    );
    // Act
    const statements = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    // Assess
    expect(statements).toEqual([
      expect.objectContaining({
        Action: 'lambda:InvokeFunction',
        Resource: [
          arnOf(synth.stack.deadlines.function.function),
          { 'Fn::Join': ['', [arnOf(synth.stack.deadlines.function.function), ':*']] },
        ],
      }),
      expect.objectContaining({
        Action: 'sqs:SendMessage',
        Resource: arnOf(synth.stack.deadlines.deadLetterQueue),
      }),
    ]);
  });

  it('sends failed asynchronous invocations of the function to the same dead-letter queue', () => {
    const fn = resourceOf(synth.template, 'AWS::Lambda::Function', synth.stack.deadlines.function.function);
    expect(fn.Properties.DeadLetterConfig).toEqual({
      TargetArn: arnOf(synth.stack.deadlines.deadLetterQueue),
    });
  });

  it('keeps failed runs for 14 days, encrypted', () => {
    expect(
      resourceOf(synth.template, 'AWS::SQS::Queue', synth.stack.deadlines.deadLetterQueue).Properties,
    ).toMatchObject({ MessageRetentionPeriod: 14 * 86_400, SqsManagedSseEnabled: true });
  });

  it('alarms when a run is dead-lettered', () => {
    expect(
      resourceOf(synth.template, 'AWS::CloudWatch::Alarm', synth.stack.deadlines.deadLetterAlarm).Properties,
    ).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [logicalId(synth.stack.deadlines.deadLetterQueue), 'QueueName'] },
        },
      ],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [ref(synth.stack.alarms.topic)],
    });
  });

  it('alarms when the deadlines function reports an error', () => {
    expect(
      resourceOf(synth.template, 'AWS::CloudWatch::Alarm', synth.stack.deadlines.failedRunAlarm).Properties,
    ).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: ref(synth.stack.deadlines.function.function) }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [ref(synth.stack.alarms.topic)],
    });
  });

  it('tells the function the event bus and lets it put events there only', () => {
    // Prepare
    const fn = resourceOf(synth.template, 'AWS::Lambda::Function', synth.stack.deadlines.function.function);
    // Act
    const actions = allowedActions(synth.template, synth.stack.deadlines.function.role);
    // Assess
    const { Variables } = fn.Properties.Environment as { Variables: Record<string, unknown> };
    expect(Variables[env.eventBusName]).toEqual(ref(synth.stack.events.bus));
    expect(actions.get('events:PutEvents')).toEqual([arnOf(synth.stack.events.bus)]);
  });

  it('tells the function every registered agency, for cadence checks and statistics', () => {
    const fn = resourceOf(synth.template, 'AWS::Lambda::Function', synth.stack.deadlines.function.function);
    const { Variables } = fn.Properties.Environment as { Variables: Record<string, unknown> };
    expect(String(Variables[env.deadlinesAgencies]).split(',')).toEqual(
      loadAgencyRegistry(defaultRegistryPath).agencies.map((agency) => agency.code),
    );
  });

  it('forwards the per-agency deadline notices from the bus to the notices topic', () => {
    synth.template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'joint-credit-dev-deadline-notices',
      EventBusName: ref(synth.stack.events.bus),
      EventPattern: { source: [deadlineEvents.source], 'detail-type': [deadlineEvents.detailType] },
      Targets: [Match.objectLike({ Arn: ref(synth.stack.deadlines.noticeTopic!), InputPath: '$.detail' })],
    });
    synth.template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'joint-credit-dev-deadline-notices',
    });
  });
});
