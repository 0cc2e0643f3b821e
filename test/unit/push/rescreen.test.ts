import { describe, expect, it } from 'vitest';
import type { Item } from '#lib/aws/items/items';
import { alertItem, outboxItem } from '#lib/aws/push-store';
import { fixedClock } from '#lib/clock/clock';
import { AlertPublishError, diffHits, rescreenLogFields, rescreenSubject } from '#lib/matching/rescreen';
import type { ScreeningStore } from '#lib/matching/rescreen-ports';
import type { AlertPublisher, AlertStore } from '#lib/push/ports';
import type { Alert, OutgoingEvent, PublishOutcome } from '#lib/push/types';
import { codes } from '#test/support/csv-fixtures';

const subjectKey = `USCC#${codes.companyUscc}`;
const pk = `SUBJECT#${subjectKey}`;
const today = '2026-11-24';

/** One in-memory table behind the three ports, with the adapters' item shapes and conditions. */
function memoryDeps() {
  const table = new Map<string, Record<string, unknown>>();
  const at = (p: string, s: string) => `${p}|${s}`;
  const published: OutgoingEvent[] = [];
  let failNext = 0;
  const subjects: ScreeningStore = {
    // As the adapter: never the subject's records or their versions.
    screeningItems: async (key: string) =>
      [...table.values()]
        .filter((item) => item.pk === `SUBJECT#${key}` && !/^(RECORD|HISTORY)#/.test(String(item.sk)))
        .map((item) => structuredClone(item)),
    saveScreening: async (key, snapshot) => {
      const item = { pk: `SUBJECT#${key}`, sk: 'SCREENING', type: 'screening', ...snapshot };
      table.set(at(item.pk, item.sk), item);
    },
  };
  const alerts: AlertStore = {
    createAlert: async (created: Alert, subjectKey: string) => {
      const alert = alertItem(created, subjectKey);
      const outbox = outboxItem(created, subjectKey);
      if (table.has(at(alert.pk, alert.sk))) return false;
      table.set(at(alert.pk, alert.sk), structuredClone(alert));
      table.set(at(outbox.pk, outbox.sk), structuredClone(outbox));
      return true;
    },
    markPublished: async (key: string, alertId: string, publishedAt: string) => {
      const alert = table.get(at(`ALERT#${alertId}`, 'ALERT'));
      if (alert) alert.publishedAt ??= publishedAt;
      table.delete(at(`SUBJECT#${key}`, `OUTBOX#${alertId}`));
    },
  };
  const publisher: AlertPublisher = {
    publish: async (events): Promise<PublishOutcome> => {
      if (failNext > 0) {
        failNext -= 1;
        return {
          published: [],
          failed: events.map((event) => ({ id: event.id, reason: 'InternalFailure' })),
        };
      }
      published.push(...events);
      return { published: events.map((event) => event.id), failed: [] };
    },
  };
  return {
    deps: { subjects, alerts, publisher, clock: fixedClock('2026-11-24T02:00:00.000Z') },
    table,
    published,
    failNextPublish: () => {
      failNext = 1;
    },
    put: (item: Item) => table.set(at(item.pk, item.sk), item),
    items: (type: string) => [...table.values()].filter((item) => item.type === type),
  };
}

function listEntry(entryId: string, overrides: Record<string, unknown> = {}): Item {
  return {
    pk,
    sk: `LIST#HMD-SW-ZDSSWF#${entryId}`,
    type: 'list-entry',
    entryId,
    agencyCode: 'SWJ',
    record: {
      dataset: 'list-entry',
      subject: { key: subjectKey, kind: 'organisation', name: '江门市鸿运建材有限公司', flags: [] },
      listTypeCode: 'HMD-SW-ZDSSWF',
      basis: '第六条',
      decidingDepartment: '国家税务总局江门市税务局',
      listedOn: '2026-03-18',
      validUntil: null,
      reason: '虚开增值税专用发票',
      agencyCode: 'SWJ',
      ...overrides,
    },
  };
}

function watch(agencyCode: string, watchId: string, overrides: Record<string, unknown> = {}): Item {
  return {
    pk,
    sk: `WATCH#${agencyCode}#${watchId}`,
    type: 'watch',
    status: 'open',
    watchId,
    agencyCode,
    caseRef: `${agencyCode}-CASE`,
    ...overrides,
  };
}

describe('Function: diffHits', () => {
  it('reports entries that started and ended between two screenings', () => {
    expect(diffHits(['a', 'b'], ['b', 'c'])).toEqual({ started: ['c'], ended: ['a'] });
    expect(diffHits([], [])).toEqual({ started: [], ended: [] });
  });
});

describe('Function: rescreenSubject', () => {
  it('alerts each active watch once for a new hit and publishes one event per alert', async () => {
    // Prepare
    const memory = memoryDeps();
    memory.put(listEntry('e1'));
    memory.put(watch('SCJG', 'wch-a'));
    memory.put(watch('ZYFY', 'wch-b'));
    // Act
    const result = await rescreenSubject(memory.deps, subjectKey, today);
    // Assess
    expect(result).toMatchObject({ started: ['e1'], ended: [], alertsCreated: 2, eventsPublished: 2 });
    expect(
      memory.published.map((event) => (event.detail as { agencyCode: string }).agencyCode).sort(),
    ).toEqual(['SCJG', 'ZYFY']);
    expect(memory.items('outbox')).toEqual([]);
    expect(memory.items('alert').every((alert) => alert.publishedAt)).toBe(true);
  });

  it('writes and publishes nothing again when the same change is delivered twice', async () => {
    // Prepare
    const memory = memoryDeps();
    memory.put(listEntry('e1'));
    memory.put(watch('SCJG', 'wch-a'));
    await rescreenSubject(memory.deps, subjectKey, today);
    // Act
    const again = await rescreenSubject(memory.deps, subjectKey, today);
    // Assess
    expect(again).toMatchObject({ started: [], alertsCreated: 0, eventsPublished: 0 });
    expect(memory.items('alert')).toHaveLength(1);
    expect(memory.published).toHaveLength(1);
  });

  it('alerts an ended hit when the entry is removed', async () => {
    // Prepare
    const memory = memoryDeps();
    memory.put(listEntry('e1'));
    memory.put(watch('SCJG', 'wch-a'));
    await rescreenSubject(memory.deps, subjectKey, today);
    memory.put(listEntry('e1', { removedOn: '2026-11-23' }));
    // Act
    const result = await rescreenSubject(memory.deps, subjectKey, today);
    // Assess
    expect(result).toMatchObject({ started: [], ended: ['e1'], alertsCreated: 1, eventsPublished: 1 });
    expect(memory.published.at(-1)?.detail).toMatchObject({
      change: 'hit-ended',
      hit: { entryId: 'e1', removedOn: '2026-11-23' },
    });
  });

  it('ignores closed and expired watches, and alerts a watch until its last day', async () => {
    // Prepare
    const memory = memoryDeps();
    memory.put(listEntry('e1'));
    memory.put(watch('SCJG', 'wch-closed', { status: 'closed' }));
    memory.put(watch('SWJ', 'wch-expired', { until: '2026-11-23' }));
    memory.put(watch('ZYFY', 'wch-last-day', { until: today }));
    // Act
    const result = await rescreenSubject(memory.deps, subjectKey, today);
    // Assess
    expect(result.alertsCreated).toBe(1);
    expect(memory.items('alert').map((alert) => alert.watchId)).toEqual(['wch-last-day']);
  });

  it('fails when publishing fails, keeps the outbox entry, and its retry publishes the alert once', async () => {
    // Prepare
    const memory = memoryDeps();
    memory.put(listEntry('e1'));
    memory.put(watch('SCJG', 'wch-a'));
    memory.failNextPublish();
    // Act
    const first = rescreenSubject(memory.deps, subjectKey, today);
    await expect(first).rejects.toBeInstanceOf(AlertPublishError);
    const outboxAfterFailure = memory.items('outbox').length;
    const retry = await rescreenSubject(memory.deps, subjectKey, today);
    // Assess: the retry sees no new change but publishes what the outbox holds
    expect(outboxAfterFailure).toBe(1);
    expect(retry).toMatchObject({ started: [], alertsCreated: 0, eventsPublished: 1 });
    expect(memory.published).toHaveLength(1);
    expect(memory.items('outbox')).toEqual([]);
    expect(memory.items('alert')).toHaveLength(1);
  });

  it('writes the first snapshot of a subject with no data and no watch, alerting nobody', async () => {
    // Prepare
    const memory = memoryDeps();
    // Act
    const result = await rescreenSubject(memory.deps, subjectKey, today);
    // Assess
    expect(result).toMatchObject({ started: [], ended: [], alertsCreated: 0, eventsPublished: 0 });
    expect(memory.items('screening')).toEqual([
      { pk, sk: 'SCREENING', type: 'screening', activeEntryIds: [], screenedOn: today },
    ]);
  });
});

describe('Function: rescreenLogFields', () => {
  it('logs a person by masked ID only, an organisation as it is', () => {
    const result = { started: [], ended: [], alertsCreated: 0, eventsPublished: 0 };
    const person = rescreenLogFields({ ...result, subjectKey: `ID#${codes.personId}` });
    expect(JSON.stringify(person)).not.toContain(codes.personId);
    expect(person.subjectKey).toBe('ID#4407021975****4129');
    expect(rescreenLogFields({ ...result, subjectKey }).subjectKey).toBe(subjectKey);
  });
});
