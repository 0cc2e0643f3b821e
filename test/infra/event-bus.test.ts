import { beforeAll, describe, expect, it } from 'vitest';
import { env, eventBus } from '#lib/platform/resources';
import { allowedActions, arnOf, resourceOf, type Synthesized, synthesize } from './support';

describe('Construct: CreditEventBus', () => {
  let synth: Synthesized;

  beforeAll(() => {
    synth = synthesize('dev');
  });

  it('is a custom bus named after the stage', () => {
    expect(
      resourceOf(synth.template, 'AWS::Events::EventBus', synth.stack.events.bus).Properties,
    ).toMatchObject({
      Name: 'joint-credit-dev-events',
    });
  });

  it("archives the platform's own events for the retention of its definition", () => {
    // Act
    const archive = resourceOf(synth.template, 'AWS::Events::Archive', synth.stack.events.archive).Properties;
    // Assess
    expect(archive).toMatchObject({
      SourceArn: arnOf(synth.stack.events.bus),
      RetentionDays: eventBus.archiveRetentionDays,
      EventPattern: { source: [eventBus.source] },
    });
  });

  it('lets the match function put events on this bus only', () => {
    // Act
    const allowed = allowedActions(synth.template, synth.stack.match.function.role);
    // Assess
    expect(allowed.get('events:PutEvents')).toEqual([arnOf(synth.stack.events.bus)]);
  });

  it('tells the match function the bus name in EVENT_BUS_NAME', () => {
    // Act
    const variables = (
      resourceOf(synth.template, 'AWS::Lambda::Function', synth.stack.match.function.function).Properties
        .Environment as { Variables: Record<string, unknown> }
    ).Variables;
    // Assess
    expect(variables[env.eventBusName]).toEqual({ Ref: expect.stringMatching(/^EventsBus/) });
  });

  it('gives the ingest function no right to publish', () => {
    expect(allowedActions(synth.template, synth.stack.ingest.function.role).has('events:PutEvents')).toBe(
      false,
    );
  });

  it('lets the api function put credit-repair decisions and alerts on this bus only, and tells it the bus', () => {
    const allowed = allowedActions(synth.template, synth.stack.api.apiFunction.role);
    const variables = (
      resourceOf(synth.template, 'AWS::Lambda::Function', synth.stack.api.apiFunction.function).Properties
        .Environment as { Variables: Record<string, unknown> }
    ).Variables;
    expect(allowed.get('events:PutEvents')).toEqual([arnOf(synth.stack.events.bus)]);
    expect(variables[env.eventBusName]).toEqual({ Ref: expect.stringMatching(/^EventsBus/) });
    expect(variables[env.bucketName]).toEqual({ Ref: expect.stringMatching(/^DataBucket/) });
  });
});
