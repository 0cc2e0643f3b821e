import { describe, expect, it } from 'vitest';
import type { Item } from '#lib/aws/items/items';
import { alertItem, outboxItem, personWatchItem, personWatchOf } from '#lib/aws/push-store';
import { fixedClock } from '#lib/clock/clock';
import { visiblePrefixOf } from '#lib/identifiers/masked-person';
import { rescreenLogFields } from '#lib/matching/rescreen';
import { fittingWatches, listedPerson, rescreenMaskedSubject } from '#lib/matching/rescreen-masked';
import type { PersonWatchFinder, ScreeningStore } from '#lib/matching/rescreen-ports';
import type { AlertPublisher, AlertStore } from '#lib/push/ports';
import type { Alert, OutgoingEvent } from '#lib/push/types';
import { watchRecord } from '#lib/push/watches';

const maskedId = '4407021975****4129';
const maskedKey = `MASKED#${maskedId}#张三`;
const zhangSan = '440702197501024129';
const liSi = '440702197501104129';
const today = '2026-11-24';

/** One in-memory table behind the ports, with the adapters' item shapes (alerts, outbox, the masked-ID index). */
function memoryDeps() {
  const table = new Map<string, Record<string, unknown>>();
  const at = (p: string, s: string) => `${p}|${s}`;
  const published: OutgoingEvent[] = [];
  const put = (item: Record<string, unknown>) => table.set(at(String(item.pk), String(item.sk)), item);
  const subjects: ScreeningStore = {
    screeningItems: async (key) =>
      [...table.values()].filter((item) => item.pk === `SUBJECT#${key}`).map((item) => structuredClone(item)),
    saveScreening: async (key, snapshot) => {
      put({ pk: `SUBJECT#${key}`, sk: 'SCREENING', type: 'screening', ...snapshot });
    },
  };
  const alerts: AlertStore = {
    createAlert: async (created: Alert, subjectKey: string, outboxSubjectKey = subjectKey) => {
      const alert = alertItem(created, subjectKey);
      if (table.has(at(alert.pk, alert.sk))) return false;
      put(structuredClone(alert));
      put(structuredClone(outboxItem(created, outboxSubjectKey)));
      return true;
    },
    markPublished: async (key, alertId) => {
      table.delete(at(`SUBJECT#${key}`, `OUTBOX#${alertId}`));
    },
  };
  let refuse = 0;
  const publisher: AlertPublisher = {
    publish: async (events) => {
      if (refuse > 0) {
        refuse -= 1;
        return {
          published: [],
          failed: events.map((event) => ({ id: event.id, reason: 'InternalFailure' })),
        };
      }
      published.push(...events);
      return { published: events.map((event) => event.id), failed: [] };
    },
  };
  // As the adapter: the division's partition, sk beginning with the mask's visible digits.
  const personWatches: PersonWatchFinder = {
    personWatchesFor: async (masked) =>
      [...table.values()]
        .filter(
          (item) =>
            item.pk === `WATCHED-ID#${masked.slice(0, 6)}` &&
            String(item.sk).startsWith(visiblePrefixOf(masked)),
        )
        .map(personWatchOf),
  };
  return {
    deps: { subjects, alerts, publisher, personWatches, clock: fixedClock('2026-11-24T02:00:00.000Z') },
    put,
    table,
    published,
    refuseNextPublish: () => {
      refuse = 1;
    },
    items: (type: string) => [...table.values()].filter((item) => item.type === type),
  };
}

/** A court entry as ingestion stores it in the masked partition. */
function courtEntry(entryId: string, overrides: Record<string, unknown> = {}): Item {
  return {
    pk: `SUBJECT#${maskedKey}`,
    sk: `LIST#COURT-SXBZXR#${entryId}`,
    type: 'list-entry',
    dataset: 'court-dishonest',
    entryId,
    agencyCode: 'ZYFY',
    record: {
      dataset: 'court-dishonest',
      subject: {
        key: maskedKey,
        kind: 'person',
        name: '张三',
        idType: '身份证（脱敏）',
        idNumber: maskedId,
        flags: [],
      },
      listTypeCode: 'COURT-SXBZXR',
      basis: '《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条',
      decidingDepartment: '江门市蓬江区人民法院',
      listedOn: '2026-03-02',
      validUntil: null,
      reason: '张三有履行能力而拒不履行生效法律文书确定义务',
      agencyCode: 'ZYFY',
      ...overrides,
    },
  };
}

/** An ID# watch's index item, as the adapter writes it with the watch. */
function personWatch(
  agencyCode: string,
  caseRef: string,
  residentId: string,
  personName: string,
  until?: string,
) {
  const item = personWatchItem(
    watchRecord({
      agencyCode,
      watchId: `wch-${caseRef}`,
      subjectKey: `ID#${residentId}`,
      caseRef,
      openedAt: '2026-11-01T00:00:00.000Z',
      openedBy: 'request',
      personName,
      ...(until ? { until } : {}),
    }),
  );
  if (!item) throw new Error('an ID# watch with a name has an index item');
  return item;
}

describe('Function: rescreenMaskedSubject', () => {
  it('alerts the open watch on a person whose ID fits the mask under the same name, as a possible hit, once', async () => {
    // Prepare
    const memory = memoryDeps();
    memory.put(courtEntry('c1'));
    memory.put(personWatch('SCJG', 'JM-1', zhangSan, '张三'));
    // Act
    const result = await rescreenMaskedSubject(memory.deps, maskedKey, today);
    const again = await rescreenMaskedSubject(memory.deps, maskedKey, today);
    // Assess
    expect(result).toMatchObject({ started: ['c1'], alertsCreated: 1, eventsPublished: 1 });
    expect(again).toMatchObject({ started: [], alertsCreated: 0, eventsPublished: 0 });
    const [alert] = memory.items('alert');
    expect(alert).toMatchObject({
      agencyCode: 'SCJG',
      watchId: 'wch-JM-1',
      caseRef: 'JM-1',
      change: 'hit-started',
      subject: { key: 'ID#4407021975****4129' },
      hit: {
        entryId: 'c1',
        listTypeCode: 'COURT-SXBZXR',
        status: 'possible',
        possibleReason:
          'the list publishes the ID masked (4407021975****4129); it matches the watched ID with the hidden digits unknown, and the names are identical ("张*") — verify the identity before acting on it',
        listedAs: { key: 'MASKED#4407021975****4129#张*', kind: 'person', name: '张*' },
        reason: '张*有履行能力而拒不履行生效法律文书确定义务',
      },
    });
    // The alert is filed under the watched person; its outbox entry, in the masked partition, is gone once published.
    expect(alert).toMatchObject({ subjectKey: `ID#${zhangSan}` });
    expect(memory.items('outbox')).toEqual([]);
    expect(memory.published.map((event) => event.detail)).toEqual([
      expect.objectContaining({ alertId: alert?.alertId }),
    ]);
    const shown = JSON.stringify(memory.published);
    expect(shown).not.toContain(zhangSan);
    expect(shown).not.toContain('张三');
  });

  it('creates no second alert when the message is redelivered after the snapshot was lost', async () => {
    // Prepare: the first run's snapshot is gone, so the redelivery sees the hit as new again
    const memory = memoryDeps();
    memory.put(courtEntry('c1'));
    memory.put(personWatch('SCJG', 'JM-1', zhangSan, '张三'));
    await rescreenMaskedSubject(memory.deps, maskedKey, today);
    memory.table.delete(`SUBJECT#${maskedKey}|SCREENING`);
    // Act
    const redelivered = await rescreenMaskedSubject(memory.deps, maskedKey, today);
    // Assess
    expect(redelivered).toMatchObject({ started: ['c1'], alertsCreated: 0, eventsPublished: 0 });
    expect(memory.items('alert')).toHaveLength(1);
  });

  it('keeps an unpublished alert in the masked partition’s outbox and publishes it on the next screening', async () => {
    // Prepare
    const memory = memoryDeps();
    memory.put(courtEntry('c1'));
    memory.put(personWatch('SCJG', 'JM-1', zhangSan, '张三'));
    memory.refuseNextPublish();
    // Act
    const failed = await rescreenMaskedSubject(memory.deps, maskedKey, today).catch(
      (error: Error) => error.name,
    );
    const [pending] = memory.items('outbox');
    const retried = await rescreenMaskedSubject(memory.deps, maskedKey, today);
    // Assess
    expect(failed).toBe('AlertPublishError');
    expect(pending).toMatchObject({ pk: `SUBJECT#${maskedKey}` });
    expect(retried).toMatchObject({ alertsCreated: 0, eventsPublished: 1 });
    expect(memory.items('outbox')).toEqual([]);
    expect(memory.published).toHaveLength(1);
  });

  it('leaves out another name, another visible digit, another division and an expired watch', async () => {
    // Prepare
    const memory = memoryDeps();
    memory.put(courtEntry('c1'));
    memory.put(personWatch('SCJG', 'NAME', liSi, '李四'));
    memory.put(personWatch('SCJG', 'DIGIT', '440702197501024137', '张三'));
    memory.put(personWatch('SCJG', 'DIVISION', '440703197501024126', '张三'));
    memory.put(personWatch('SWJ', 'EXPIRED', zhangSan, '张三', '2026-11-23'));
    // Act
    const result = await rescreenMaskedSubject(memory.deps, maskedKey, today);
    // Assess
    expect(result).toMatchObject({ started: ['c1'], alertsCreated: 0 });
    expect(memory.items('alert')).toEqual([]);
  });

  it('alerts every fitting watch when the entry ends, as a possible hit-ended', async () => {
    // Prepare
    const memory = memoryDeps();
    memory.put(courtEntry('c1'));
    memory.put(personWatch('SCJG', 'JM-1', zhangSan, '张三'));
    memory.put(personWatch('SWJ', 'SW-1', zhangSan, '張三'));
    await rescreenMaskedSubject(memory.deps, maskedKey, today);
    memory.put(courtEntry('c1', { removedOn: '2026-11-24' }));
    // Act
    const ended = await rescreenMaskedSubject(memory.deps, maskedKey, today);
    // Assess
    expect(ended).toMatchObject({ ended: ['c1'], alertsCreated: 2 });
    const endings = memory.items('alert').filter((alert) => alert.change === 'hit-ended');
    expect(endings.map((alert) => alert.agencyCode).sort()).toEqual(['SCJG', 'SWJ']);
    for (const alert of endings) expect(alert).toMatchObject({ hit: { status: 'possible' } });
  });

  it('logs the masked subject with the name masked', () => {
    expect(
      rescreenLogFields({
        subjectKey: maskedKey,
        started: [],
        ended: [],
        alertsCreated: 0,
        eventsPublished: 0,
      }).subjectKey,
    ).toBe('MASKED#4407021975****4129#张*');
  });
});

describe('Function: fittingWatches', () => {
  it('reads the person from the key when the partition holds no entry any more', async () => {
    // Prepare
    const memory = memoryDeps();
    memory.put(personWatch('SCJG', 'JM-1', zhangSan, '张三'));
    // Act
    const listed = listedPerson(maskedKey, { subject: undefined });
    const fitting = await fittingWatches(memory.deps.personWatches, listed, today);
    // Assess
    expect(listed).toEqual({ maskedId, name: '张三' });
    expect(fitting.map((fit) => fit.watch.caseRef)).toEqual(['JM-1']);
  });
});
