import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { addCalendarDays } from '#lib/calendar/calendar';
import { systemClock } from '#lib/clock/system-clock';
import { maskSubjectKey } from '#lib/push/alerts';
import { watchIdFor } from '#lib/push/watches';
import { codes } from '#test/support/csv-fixtures';
import { registerAgency, subjectPartition } from '../support/credit-fixtures';
import { useLocalStack, waitFor } from '../support/local-stack';

const stack = useLocalStack();

const companyKey = `USCC#${codes.companyUscc}`;
const personKey = `ID#${codes.personId}`;

/** A list entry as ingestion stores it (lib/aws/items/items.ts itemsForRow), written directly. */
async function putListEntry(subjectKey: string, entryId: string, record: Record<string, unknown> = {}) {
  const person = subjectKey.startsWith('ID#');
  await stack().clients.documentClient.send(
    new PutCommand({
      TableName: stack().config.tableName,
      Item: {
        pk: `SUBJECT#${subjectKey}`,
        sk: `LIST#HMD-SW-ZDSSWF#${entryId}`,
        type: 'list-entry',
        entryId,
        subjectKey,
        agencyCode: 'SWJ',
        record: {
          dataset: 'list-entry',
          subject: person
            ? { key: subjectKey, kind: 'person', name: '欧阳明华', idNumber: subjectKey.slice(3), flags: [] }
            : {
                key: subjectKey,
                kind: 'organisation',
                name: '江门市鸿运建材有限公司',
                uscc: subjectKey.slice(5),
                flags: [],
              },
          listTypeCode: 'HMD-SW-ZDSSWF',
          basis: '《重大税收违法失信主体信息公布管理办法》第六条',
          decidingDepartment: '国家税务总局江门市税务局',
          listedOn: '2026-03-18',
          validUntil: null,
          reason: '虚开增值税专用发票',
          agencyCode: 'SWJ',
          ...record,
        },
      },
    }),
  );
}

/** What ingestion and the deadlines run send: one subject-changed message per subject. */
async function subjectChanged(subjectKey: string, times = 1) {
  const before = stack().pollers.match.stats.succeeded;
  for (let i = 0; i < times; i += 1) {
    await stack().clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack().config.queues.match.url,
        MessageBody: JSON.stringify({ kind: 'subject-changed', subjectKey, cause: 'list-entry' }),
      }),
    );
  }
  await waitFor(() => stack().pollers.match.stats.succeeded >= before + times, {
    timeoutMs: 30_000,
    what: `${times} screening(s) of ${subjectKey}`,
  });
}

async function call(method: string, path: string, apiKey: string | undefined, body?: unknown) {
  const response = await stack().api.request(method, path, {
    headers: {
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, headers: response.headers, body: JSON.parse(response.body || 'null') };
}

const alertEvents = () =>
  stack()
    .emulators.eventBridge.events()
    .filter((event) => event.detailType === 'credit.alert');

let scjg: string;
let swj: string;
let auditor: string;

beforeEach(async () => {
  scjg ??= await registerAgency(stack(), 'SCJG');
  swj ??= await registerAgency(stack(), 'SWJ', '11440700MB2C123480');
  auditor ??= await registerAgency(stack(), 'SJJ', '11440700MB2C123480', ['auditor']);
});

describe('Route: /v1/watches', () => {
  it('opens a watch, lists it for its agency only, and closes it', async () => {
    // Prepare
    const caseRef = 'JM-WATCH-1';
    // Act
    const opened = await call('POST', '/v1/watches', scjg, {
      subject: { code: codes.otherCompanyUscc },
      caseRef,
      until: '2099-12-31',
    });
    const listed = await call('GET', '/v1/watches', scjg);
    const othersView = await call('GET', '/v1/watches', swj);
    const closedByOther = await call('DELETE', `/v1/watches/${opened.body.watchId}`, swj);
    const closed = await call('DELETE', `/v1/watches/${opened.body.watchId}`, scjg);
    const afterClose = await call('GET', '/v1/watches', scjg);
    // Assess
    expect(opened.status).toBe(201);
    expect(opened.headers.location).toBe(`/v1/watches/${watchIdFor('SCJG', caseRef)}`);
    expect(opened.body.items).toEqual([
      expect.objectContaining({
        watchId: watchIdFor('SCJG', caseRef),
        caseRef,
        status: 'open',
        openedBy: 'request',
        until: '2099-12-31',
        subject: { key: `USCC#${codes.otherCompanyUscc}` },
      }),
    ]);
    expect(listed.body.items.map((watch: { watchId: string }) => watch.watchId)).toContain(
      opened.body.watchId,
    );
    expect(othersView.body.items).toEqual([]);
    expect(closedByOther.status).toBe(404);
    expect(closedByOther.body.code).toBe('WATCH_NOT_FOUND');
    expect(closed).toMatchObject({
      status: 200,
      body: { watchId: opened.body.watchId, closed: 1, items: 1 },
    });
    expect(
      afterClose.body.items.find((w: { watchId: string }) => w.watchId === opened.body.watchId),
    ).toMatchObject({
      status: 'closed',
      closedReason: expect.stringContaining('SCJG'),
    });
  });

  it('refuses an invalid code, a past until-date, a malformed body and the auditor role with problem details', async () => {
    // Act
    const invalid = await call('POST', '/v1/watches', scjg, {
      subject: { code: '91440703MA4W12346X' },
      caseRef: 'c',
    });
    const past = await call('POST', '/v1/watches', scjg, {
      subject: { code: codes.companyUscc },
      caseRef: 'c',
      until: '2020-01-01',
    });
    const missing = await call('POST', '/v1/watches', scjg, { subject: { code: codes.companyUscc } });
    const forbidden = await call('POST', '/v1/watches', auditor, {
      subject: { code: codes.companyUscc },
      caseRef: 'c',
    });
    const anonymous = await call('GET', '/v1/watches', undefined);
    const badCursor = await call('GET', '/v1/watches?cursor=bm90LWEta2V5', scjg);
    // Assess
    expect(invalid).toMatchObject({ status: 400, body: { code: 'INVALID_SUBJECT_CODE' } });
    expect(past).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(missing).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(missing.body.errors).toContainEqual(expect.objectContaining({ field: 'caseRef' }));
    expect(forbidden).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(anonymous.status).toBe(401);
    expect(badCursor).toMatchObject({ status: 400, body: { code: 'INVALID_CURSOR' } });
  });
});

describe('Function: match → EventBridge and Route: GET /v1/alerts', () => {
  it('publishes a credit.alert event and lists the alert for a new hit, and again when the hit ends', async () => {
    // Prepare: SCJG watches a person with no data yet (the point of a watch)
    const caseRef = 'JM-PERSON-1';
    const opened = await call('POST', '/v1/watches', scjg, { subject: { code: codes.personId }, caseRef });
    expect(opened.status).toBe(201);
    stack().emulators.eventBridge.clear();

    // Act: the person is listed, then removed from the list
    await putListEntry(personKey, 'p1');
    await subjectChanged(personKey);
    await putListEntry(personKey, 'p1', { removedOn: '2026-11-01' });
    await subjectChanged(personKey);

    // Assess: two events on the platform bus, masked, routed by agency
    const events = alertEvents();
    expect(events.map((event) => event.detail.change)).toEqual(['hit-started', 'hit-ended']);
    for (const event of events) {
      expect(event).toMatchObject({
        source: 'joint-credit.match',
        eventBusName: 'joint-credit-local-events',
      });
      expect(event.detail).toMatchObject({
        agencyCode: 'SCJG',
        watchId: watchIdFor('SCJG', caseRef),
        caseRef,
        subject: { key: maskSubjectKey(personKey), kind: 'person', name: '欧阳**' },
        hit: { entryId: 'p1', listTypeCode: 'HMD-SW-ZDSSWF', decidingDepartment: '国家税务总局江门市税务局' },
      });
      expect(JSON.stringify(event.detail)).not.toContain(codes.personId);
    }
    expect(events[1]?.detail.hit).toMatchObject({ removedOn: '2026-11-01' });
    // ...the same alerts through the API, newest first
    const alerts = await call('GET', '/v1/alerts', scjg);
    expect(alerts.status).toBe(200);
    const mine = alerts.body.items.filter((alert: { caseRef?: string }) => alert.caseRef === caseRef);
    expect(mine.map((alert: { alertId: string }) => alert.alertId)).toEqual(
      [...events].reverse().map((event) => event.detail.alertId),
    );
    // ...and nothing left in the outbox
    expect((await subjectPartition(stack(), personKey)).filter((item) => item.type === 'outbox')).toEqual([]);
  });

  it('creates no second alert and no second event when a list change is delivered twice', async () => {
    // Prepare
    await call('POST', '/v1/watches', scjg, { subject: { code: codes.companyUscc }, caseRef: 'JM-TWICE' });
    await putListEntry(companyKey, 'c1');
    stack().emulators.eventBridge.clear();
    // Act: the same change, twice
    await subjectChanged(companyKey, 2);
    await subjectChanged(companyKey);
    // Assess
    const events = alertEvents().filter((event) => event.detail.caseRef === 'JM-TWICE');
    expect(events).toHaveLength(1);
    const alerts = await call('GET', '/v1/alerts?limit=100', scjg);
    expect(
      alerts.body.items.filter((alert: { caseRef?: string }) => alert.caseRef === 'JM-TWICE'),
    ).toHaveLength(1);
  });

  it('publishes the event on the retry when the bus refused it the first time, once', async () => {
    // Prepare
    const otherKey = `USCC#${codes.otherCompanyUscc}`;
    await call('POST', '/v1/watches', swj, {
      subject: { code: codes.otherCompanyUscc },
      caseRef: 'SW-RETRY',
    });
    await putListEntry(otherKey, 'o1');
    stack().emulators.eventBridge.clear();
    stack().emulators.eventBridge.failNextPutEvents(1);
    const failedBefore = stack().pollers.match.stats.failed;
    // Act
    await subjectChanged(otherKey);
    // Assess: the first delivery failed, the redelivery published
    expect(stack().pollers.match.stats.failed).toBeGreaterThan(failedBefore);
    const events = alertEvents().filter((event) => event.detail.caseRef === 'SW-RETRY');
    expect(events).toHaveLength(1);
    expect((await subjectPartition(stack(), otherKey)).filter((item) => item.type === 'outbox')).toEqual([]);
  });

  it('shows an agency only its own alerts, newest first, page by page', async () => {
    // Act
    const swjAlerts = await call('GET', '/v1/alerts', swj);
    const auditorAlerts = await call('GET', '/v1/alerts', auditor);
    const first = await call('GET', '/v1/alerts?limit=1', scjg);
    const second = await call('GET', `/v1/alerts?limit=1&cursor=${first.body.nextCursor}`, scjg);
    const all = await call('GET', '/v1/alerts?limit=100', scjg);
    const foreignCursor = await call('GET', `/v1/alerts?cursor=${first.body.nextCursor}`, swj);
    // Assess
    expect(swjAlerts.body.items.length).toBeGreaterThan(0);
    expect(swjAlerts.body.items.every((alert: { agencyCode: string }) => alert.agencyCode === 'SWJ')).toBe(
      true,
    );
    expect(auditorAlerts.body.items).toEqual([]);
    expect(all.body.items.every((alert: { agencyCode: string }) => alert.agencyCode === 'SCJG')).toBe(true);
    expect(all.body.items.length).toBeGreaterThanOrEqual(3);
    const created = all.body.items.map((alert: { createdAt: string }) => alert.createdAt);
    expect(created).toEqual([...created].sort().reverse());
    expect([first.body.items[0], second.body.items[0]]).toEqual(all.body.items.slice(0, 2));
    expect(foreignCursor).toMatchObject({ status: 400, body: { code: 'INVALID_CURSOR' } });
  });
});

describe('Access log: GET /v1/alerts and GET /v1/watches showing a person are reads of personal data', () => {
  it('logs each page that shows a person, masked, with the reference a check of that person gets', async () => {
    // Prepare: SCJG watches a person, the person is listed (an alert), and SCJG checks the person.
    const caseRef = 'JM-AUDIT-LISTINGS';
    expect(
      (await call('POST', '/v1/watches', scjg, { subject: { code: codes.personId }, caseRef })).status,
    ).toBe(201);
    await putListEntry(personKey, 'p-audit');
    await subjectChanged(personKey);
    const checked = await call('POST', '/v1/checks', scjg, { subject: { code: codes.personId } });
    expect(checked.status).toBe(201);

    // Act
    const watches = await call('GET', '/v1/watches?limit=100', scjg);
    const alerts = await call('GET', '/v1/alerts?limit=100', scjg);
    expect(watches.body.items.some((w: { caseRef: string }) => w.caseRef === caseRef)).toBe(true);
    expect(alerts.body.items.some((a: { caseRef?: string }) => a.caseRef === caseRef)).toBe(true);

    // Assess: one entry per listing, masked, under the person's reference
    const today = systemClock.today();
    const audit = await call('GET', `/v1/audit?from=${today}&to=${addCalendarDays(today, 1)}`, auditor);
    const entries = audit.body.entries as {
      action: string;
      agencyCode: string;
      subject: string;
      subjectRef: string;
      checkId?: string;
    }[];
    const ofCheck = entries.find((entry) => entry.checkId === checked.body.checkId);
    expect(ofCheck).toBeDefined();
    for (const action of ['read-watches', 'read-alerts']) {
      expect(entries).toContainEqual(
        expect.objectContaining({
          action,
          agencyCode: 'SCJG',
          subject: '4407021975****4129',
          subjectRef: ofCheck!.subjectRef,
        }),
      );
    }
    expect(JSON.stringify(audit.body)).not.toContain(codes.personId);
  });

  it('logs nothing for a page that shows organisations only', async () => {
    const caseRef = 'JM-AUDIT-COMPANY';
    expect(
      (await call('POST', '/v1/watches', swj, { subject: { code: codes.companyUscc }, caseRef })).status,
    ).toBe(201);
    const today = systemClock.today();
    const range = `from=${today}&to=${addCalendarDays(today, 1)}`;
    const before = (await call('GET', `/v1/audit?${range}`, auditor)).body.entries.length;
    const watches = await call('GET', '/v1/watches', swj);
    expect(
      watches.body.items.every((w: { subject: { key: string } }) => w.subject.key.startsWith('USCC#')),
    ).toBe(true);
    expect((await call('GET', `/v1/audit?${range}`, auditor)).body.entries.length).toBe(before);
  });
});
