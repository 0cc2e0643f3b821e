import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { DeleteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { watchIdFor } from '#lib/push/watches';
import { courtHeader, courtRow, csv } from '#test/support/csv-fixtures';
import { ingestFile, registerAgency, subjectPartition } from '../support/credit-fixtures';
import { useLocalStack, waitFor } from '../support/local-stack';

// biome-ignore lint/suspicious/noExplicitAny: API answers and events are read as loose JSON
type Json = Record<string, any>;

const stack = useLocalStack();

/** Two persons whose IDs (valid check characters) fit the same court mask: 4407021975****4129. */
const zhangSan = '440702197501024129';
const liSi = '440702197501104129';
const maskedKey = 'MASKED#4407021975****4129#张三';

const apiKeys: Record<string, string> = {};

async function call(agency: string, method: string, path: string, body?: unknown) {
  const response = await stack().api.request(method, path, {
    headers: {
      authorization: `Bearer ${apiKeys[agency]}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: JSON.parse(response.body || 'null') as Json };
}

async function alertsOf(agency: string, caseRef: string): Promise<Json[]> {
  const page = await call(agency, 'GET', '/v1/alerts?limit=100');
  return page.body.items.filter((alert: Json) => alert.caseRef === caseRef);
}

const alertEvents = (caseRef: string) =>
  stack()
    .emulators.eventBridge.events()
    .filter((event) => event.detailType === 'credit.alert' && event.detail.caseRef === caseRef);

/** The match queue's message for the masked subject, as ingestion sends it, delivered again. */
async function redeliver() {
  const before = stack().pollers.match.stats.succeeded;
  await stack().clients.sqs.send(
    new SendMessageCommand({
      QueueUrl: stack().config.queues.match.url,
      MessageBody: JSON.stringify({
        kind: 'masked-subject-changed',
        subjectKey: maskedKey,
        cause: 'list-entry',
      }),
    }),
  );
  await waitFor(() => stack().pollers.match.stats.succeeded > before, {
    timeoutMs: 30_000,
    what: 'the redelivered screening',
  });
}

beforeAll(async () => {
  apiKeys.SCJG = await registerAgency(stack(), 'SCJG');
  apiKeys.SWJ = await registerAgency(stack(), 'SWJ', '11440700MB2C123480');
  await registerAgency(stack(), 'ZYFY', '11440700MB2D23451J');
});

describe('Push: a court entry published with a masked ID alerts the watched persons it may be', () => {
  it('alerts the open watch on 张三 once as a possible hit, and neither 李四 under the same mask nor a closed watch', async () => {
    // Prepare: SCJG watches 张三 and 李四 (IDs fitting one mask); SWJ watched 张三 and closed its watch
    const opened = await call('SCJG', 'POST', '/v1/watches', {
      subject: { code: zhangSan, name: '张三' },
      caseRef: 'MASK-ZS',
    });
    const other = await call('SCJG', 'POST', '/v1/watches', {
      subject: { code: liSi, name: '李四' },
      caseRef: 'MASK-LS',
    });
    const closing = await call('SWJ', 'POST', '/v1/watches', {
      subject: { code: zhangSan, name: '张三' },
      caseRef: 'MASK-CLOSED',
    });
    const closed = await call('SWJ', 'DELETE', `/v1/watches/${closing.body.watchId}`);
    expect([opened.status, other.status, closing.status, closed.status]).toEqual([201, 201, 201, 200]);
    stack().emulators.eventBridge.clear();

    // Act: the court lists 张三 with a masked ID
    const report = await ingestFile(
      stack(),
      'ZYFY',
      'court-dishonest',
      'masked-zhangsan.csv',
      csv([courtHeader, courtRow({ '被执行人姓名/名称': '张三', 案号: '（2026）粤0703执901号' })]),
    );
    const alert = await waitFor(async () => (await alertsOf('SCJG', 'MASK-ZS'))[0], {
      timeoutMs: 30_000,
      what: 'the possible alert of MASK-ZS',
    });
    await waitFor(() => alertEvents('MASK-ZS').length > 0, { timeoutMs: 30_000, what: 'its event' });

    // Assess: one possible alert for 张三's watch, masked, worded as the check's possible hits
    expect(report).toMatchObject({ counts: { accepted: 1 } });
    expect(alert).toMatchObject({
      agencyCode: 'SCJG',
      watchId: watchIdFor('SCJG', 'MASK-ZS'),
      change: 'hit-started',
      subject: { key: 'ID#4407021975****4129' },
      hit: {
        listTypeCode: 'COURT-SXBZXR',
        status: 'possible',
        possibleReason:
          'the list publishes the ID masked (4407021975****4129); it matches the watched ID with the hidden digits unknown, and the names are identical ("张*") — verify the identity before acting on it',
        listedAs: { key: 'MASKED#4407021975****4129#张*', kind: 'person', name: '张*' },
      },
    });
    const [event] = alertEvents('MASK-ZS');
    expect(event?.detail).toEqual(alert);
    for (const shown of [JSON.stringify(alert), JSON.stringify(event)]) {
      expect(shown).not.toContain(zhangSan);
      expect(shown).not.toContain('张三');
    }
    expect(await alertsOf('SCJG', 'MASK-LS')).toEqual([]);
    expect(await alertsOf('SWJ', 'MASK-CLOSED')).toEqual([]);
    expect((await subjectPartition(stack(), maskedKey)).filter((item) => item.type === 'outbox')).toEqual([]);
    // Stored under the watched person (whose access-log reference a listing of it logs)
    const stored = await stack().clients.documentClient.send(
      new GetCommand({
        TableName: stack().config.tableName,
        Key: { pk: `ALERT#${alert.alertId}`, sk: 'ALERT' },
      }),
    );
    expect(stored.Item).toMatchObject({ subjectKey: `ID#${zhangSan}`, publishedAt: expect.any(String) });
  });

  it('creates no second alert when the masked subject’s message is delivered again, even after its snapshot is lost', async () => {
    // Act: a plain redelivery, then one that finds no screening snapshot (every hit looks new)
    await redeliver();
    await stack().clients.documentClient.send(
      new DeleteCommand({
        TableName: stack().config.tableName,
        Key: { pk: `SUBJECT#${maskedKey}`, sk: 'SCREENING' },
      }),
    );
    await redeliver();
    // Assess
    expect(await alertsOf('SCJG', 'MASK-ZS')).toHaveLength(1);
    expect(alertEvents('MASK-ZS')).toHaveLength(1);
    expect(await alertsOf('SCJG', 'MASK-LS')).toEqual([]);
    expect(await alertsOf('SWJ', 'MASK-CLOSED')).toEqual([]);
  });

  it('keeps only open named person watches in the masked-ID index, and a name once given while the watch stays open', async () => {
    // Act: SCJG's case MASK-ZS is checked by code only, then its watch reopened with an until-date
    const checked = await call('SCJG', 'POST', '/v1/checks', {
      subject: { code: zhangSan },
      caseRef: 'MASK-ZS',
    });
    const reopened = await call('SCJG', 'POST', '/v1/watches', {
      subject: { code: zhangSan },
      caseRef: 'MASK-ZS',
      until: '2099-12-31',
    });
    const index = await stack().clients.documentClient.send(
      new QueryCommand({
        TableName: stack().config.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'WATCHED-ID#440702' },
      }),
    );
    // Assess: 张三's and 李四's open watches of SCJG; SWJ's closed watch left the index
    expect([checked.status, reopened.status]).toEqual([201, 201]);
    expect(
      (index.Items ?? []).map((item) => [item.agencyCode, item.caseRef, item.personName, item.until]),
    ).toEqual([
      ['SCJG', 'MASK-ZS', '张三', '2099-12-31'],
      ['SCJG', 'MASK-LS', '李四', undefined],
    ]);
  });
  it('alerts the watch again, still as possible, when the court removes the entry', async () => {
    // Act: the court sends the row again with the day it removed the entry (移出日期)
    const report = await ingestFile(
      stack(),
      'ZYFY',
      'court-dishonest',
      'masked-zhangsan-removed.csv',
      csv([
        [...courtHeader, '移出日期'],
        [...courtRow({ '被执行人姓名/名称': '张三', 案号: '（2026）粤0703执901号' }), '2026/11/30'],
      ]),
    );
    const ended = await waitFor(
      async () => (await alertsOf('SCJG', 'MASK-ZS')).find((alert) => alert.change === 'hit-ended'),
      { timeoutMs: 30_000, what: 'the hit-ended alert of MASK-ZS' },
    );
    // Assess: one more alert, the hit ended, possible as the first, and nothing for the others
    expect(report).toMatchObject({ counts: { accepted: 1 } });
    expect(ended).toMatchObject({
      watchId: watchIdFor('SCJG', 'MASK-ZS'),
      subject: { key: 'ID#4407021975****4129' },
      hit: { listTypeCode: 'COURT-SXBZXR', status: 'possible', removedOn: '2026-11-30' },
    });
    expect((await alertsOf('SCJG', 'MASK-ZS')).map((alert) => alert.change).sort()).toEqual([
      'hit-ended',
      'hit-started',
    ]);
    expect(await alertsOf('SCJG', 'MASK-LS')).toEqual([]);
    expect(await alertsOf('SWJ', 'MASK-CLOSED')).toEqual([]);
  });
});
