import { ListEventBusesCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventBridgeClient, EventBridgePublisher } from '#lib/aws/event-publisher';
import {
  type EventBridgeEmulator,
  localEventBusName,
  startEventBridgeEmulator,
} from '#local/emulators/eventbridge';

// The emulator alone, through the real SDK client: no other emulator is needed.
let emulator: EventBridgeEmulator;
beforeAll(async () => {
  // The emulator accepts any credentials; the SDK still wants some (the local stack sets the same).
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  emulator = await startEventBridgeEmulator();
});
afterAll(async () => {
  await emulator.stop();
});

const publisher = (bus: string) =>
  new EventBridgePublisher(createEventBridgeClient(emulator.endpoint, 'cn-north-1'), bus);

describe('Emulator: local EventBridge', () => {
  it('records what the SDK puts on the bus, with its source, detail-type, detail and time', async () => {
    // Act
    const outcome = await publisher(localEventBusName).publish([
      {
        id: 'a1',
        source: 'joint-credit.match',
        detailType: 'credit.alert',
        detail: { alertId: 'a1', agencyCode: 'SCJG' },
        time: new Date('2026-11-24T02:00:00.000Z'),
      },
    ]);
    // Assess
    expect(outcome).toEqual({ published: ['a1'], failed: [] });
    expect(emulator.events().at(-1)).toMatchObject({
      eventBusName: localEventBusName,
      source: 'joint-credit.match',
      detailType: 'credit.alert',
      detail: { alertId: 'a1', agencyCode: 'SCJG' },
      time: '2026-11-24T02:00:00.000Z',
    });
    const served = (await (await fetch(`${emulator.endpoint}/_local/events`)).json()) as unknown[];
    expect(served).toHaveLength(emulator.events().length);
  });

  it('refuses entries for a bus that does not exist, per entry, as EventBridge does', async () => {
    // Prepare
    const before = emulator.events().length;
    // Act
    const outcome = await publisher('no-such-bus').publish([
      { id: 'x', source: 's', detailType: 'd', detail: {} },
    ]);
    // Assess
    expect(outcome.failed).toEqual([{ id: 'x', reason: expect.stringMatching(/^NotFoundException/) }]);
    expect(emulator.events()).toHaveLength(before);
  });

  it('fails every entry of the next calls when told to, then accepts again', async () => {
    // Prepare
    emulator.failNextPutEvents(1);
    const event = { id: 'y', source: 's', detailType: 'd', detail: { n: 1 } };
    // Act
    const refused = await publisher(localEventBusName).publish([event]);
    const accepted = await publisher(localEventBusName).publish([event]);
    // Assess
    expect(refused.failed).toEqual([{ id: 'y', reason: expect.stringMatching(/^InternalFailure/) }]);
    expect(accepted.published).toEqual(['y']);
  });

  it('lists its buses: default and the platform bus', async () => {
    // Act
    const buses = await createEventBridgeClient(emulator.endpoint, 'cn-north-1').send(
      new ListEventBusesCommand({}),
    );
    // Assess
    expect(buses.EventBuses?.map((bus) => bus.Name)).toEqual(['default', localEventBusName]);
  });
});
