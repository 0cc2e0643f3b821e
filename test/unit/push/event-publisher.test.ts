import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { EventBridgePublisher, type OutgoingEvent } from '#lib/aws/event-publisher';

function events(count: number): OutgoingEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `alt-${i}`,
    source: 'joint-credit.match',
    detailType: 'credit.alert',
    detail: { alertId: `alt-${i}` },
  }));
}

/** A client whose PutEvents answers are scripted per call; records what it was sent. */
function scriptedClient(answer: (entries: { Detail?: string }[], call: number) => unknown) {
  const calls: { Entries: { EventBusName?: string; Detail?: string }[] }[] = [];
  const client = {
    send: async (command: { input: { Entries: { Detail?: string }[] } }) => {
      calls.push(command.input as never);
      const result = answer(command.input.Entries, calls.length);
      if (result instanceof Error) throw result;
      return result;
    },
  } as unknown as EventBridgeClient;
  return { client, calls };
}

const accepted = (entries: unknown[]) => ({
  FailedEntryCount: 0,
  Entries: entries.map((_, i) => ({ EventId: `ev-${i}` })),
});

describe('Class: EventBridgePublisher', () => {
  it('puts events on its bus ten per call, as JSON detail', async () => {
    // Prepare
    const { client, calls } = scriptedClient((entries) => accepted(entries));
    // Act
    const outcome = await new EventBridgePublisher(client, 'joint-credit-dev-events').publish(events(23));
    // Assess
    expect(calls.map((call) => call.Entries.length)).toEqual([10, 10, 3]);
    expect(calls[0]?.Entries[0]).toMatchObject({
      EventBusName: 'joint-credit-dev-events',
      Source: 'joint-credit.match',
      DetailType: 'credit.alert',
      Detail: '{"alertId":"alt-0"}',
    });
    expect(outcome).toEqual({ published: events(23).map((event) => event.id), failed: [] });
  });

  it('reports the entries EventBridge refused (FailedEntryCount) and keeps the others', async () => {
    // Prepare
    const { client } = scriptedClient((entries) => ({
      FailedEntryCount: 1,
      Entries: entries.map((_, i) =>
        i === 1 ? { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' } : { EventId: `ev-${i}` },
      ),
    }));
    // Act
    const outcome = await new EventBridgePublisher(client, 'bus').publish(events(3));
    // Assess
    expect(outcome).toEqual({
      published: ['alt-0', 'alt-2'],
      failed: [{ id: 'alt-1', reason: 'InternalFailure: try again' }],
    });
  });

  it('fails only the ten events of a call that failed as a whole', async () => {
    // Prepare
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const { client } = scriptedClient((entries, call) => (call === 2 ? throttled : accepted(entries)));
    // Act
    const outcome = await new EventBridgePublisher(client, 'bus').publish(events(12));
    // Assess
    expect(outcome.published).toHaveLength(10);
    expect(outcome.failed).toEqual([
      { id: 'alt-10', reason: 'ThrottlingException: Rate exceeded' },
      { id: 'alt-11', reason: 'ThrottlingException: Rate exceeded' },
    ]);
  });
});
