import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '#lib/clock/system-clock';
import { watchIdFor } from '#lib/push/watches';
import { codes, courtHeader, courtRow, csv, penaltyCsv } from '#test/support/csv-fixtures';
import { runPersonWatchBackfill } from '#tools/person-watch-backfill';
import { ingestFile, registerAgency } from '../support/credit-fixtures';
import { useLocalStack, waitFor } from '../support/local-stack';

// biome-ignore lint/suspicious/noExplicitAny: API answers are read as loose JSON
type Json = Record<string, any>;

const stack = useLocalStack();

/** 王小明, known to the platform by a penalty; another person fitting the same court mask, unknown. */
const personId = codes.personId;
const personName = '王小明';
const unnamedId = '440702197501104129';

const apiKeys: Record<string, string> = {};

async function call(method: string, path: string, body?: unknown) {
  const response = await stack().api.request(method, path, {
    headers: {
      authorization: `Bearer ${apiKeys.SCJG}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: JSON.parse(response.body || 'null') as Json };
}

const indexKey = (id: string, caseRef: string) => ({
  pk: `WATCHED-ID#${id.slice(0, 6)}`,
  sk: `${id}#SCJG#${watchIdFor('SCJG', caseRef)}`,
});

async function indexItem(id: string, caseRef: string) {
  const result = await stack().clients.documentClient.send(
    new GetCommand({ TableName: stack().config.tableName, Key: indexKey(id, caseRef) }),
  );
  return result.Item;
}

async function alertsOf(caseRef: string): Promise<Json[]> {
  const page = await call('GET', '/v1/alerts?limit=100');
  return page.body.items.filter((alert: Json) => alert.caseRef === caseRef);
}

function backfill(lines: string[]) {
  const { documentClient } = stack().clients;
  return runPersonWatchBackfill(
    { documentClient, tableName: stack().config.tableName },
    systemClock,
    { pageSize: 2, segments: 2 },
    (line) => lines.push(line),
  );
}

beforeAll(async () => {
  apiKeys.SCJG = await registerAgency(stack(), 'SCJG');
  await registerAgency(stack(), 'ZYFY', '11440700MB2D23451J');
});

describe('Command: admin watch backfill', () => {
  let stored: Record<string, unknown> | undefined;

  it('gives an open person watch opened before the masked-ID index its index item, under the name the platform knows, once', async () => {
    // Prepare: 王小明 known by a penalty; watches by code only, as before the index (its item removed)
    const report = await ingestFile(
      stack(),
      'SCJG',
      'admin-penalty',
      'person-penalty.csv',
      penaltyCsv([
        {
          CF_WSH: '江市监罚〔2026〕121号',
          CF_XDR_MC: personName,
          CF_XDR_LB: '自然人',
          CF_XDR_SHXYM: '',
          CF_XDR_ZJLX: '身份证',
          CF_XDR_ZJHM: personId,
        },
      ]),
    );
    const opened = await call('POST', '/v1/watches', { subject: { code: personId }, caseRef: 'OLD-1' });
    const closing = await call('POST', '/v1/watches', { subject: { code: personId }, caseRef: 'OLD-CLOSED' });
    const closed = await call('DELETE', `/v1/watches/${closing.body.watchId}`);
    const unnamed = await call('POST', '/v1/watches', {
      subject: { code: unnamedId },
      caseRef: 'OLD-NONAME',
    });
    expect(report).toMatchObject({ counts: { accepted: 1 } });
    expect([opened.status, closing.status, closed.status, unnamed.status]).toEqual([201, 201, 200, 201]);
    stored = await indexItem(personId, 'OLD-1');
    expect(stored).toMatchObject({ personName, residentId: personId, caseRef: 'OLD-1' });
    await stack().clients.documentClient.send(
      new DeleteCommand({ TableName: stack().config.tableName, Key: indexKey(personId, 'OLD-1') }),
    );
    const lines: string[] = [];

    // Act: the backfill, then again
    const first = await backfill(lines);
    const afterFirst = await indexItem(personId, 'OLD-1');
    const again = await backfill(lines);

    // Assess: the same index item as opening it writes today; nothing new the second time
    expect(first).toMatchObject({
      watches: 3,
      indexed: 1,
      alreadyIndexed: 0,
      skippedClosed: 1,
      skippedNoName: 1,
    });
    expect(afterFirst).toEqual(stored);
    expect(again).toMatchObject({
      watches: 3,
      indexed: 0,
      alreadyIndexed: 1,
      skippedClosed: 1,
      skippedNoName: 1,
    });
    expect(await indexItem(personId, 'OLD-1')).toEqual(stored);
    expect(await indexItem(personId, 'OLD-CLOSED')).toBeUndefined();
    expect(await indexItem(unnamedId, 'OLD-NONAME')).toBeUndefined();
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^segment 1\/2: .*; resume with --from-segment 1$/);
    for (const line of lines) {
      expect(line).not.toContain(personId);
      expect(line).not.toContain(unnamedId);
      expect(line).not.toContain(personName);
    }
  });

  it('lets the backfilled watch get a possible alert when a court lists the person by masked ID and name', async () => {
    // Act: the court lists 王小明 as 4407021975****4129 (which both watched IDs fit)
    const report = await ingestFile(
      stack(),
      'ZYFY',
      'court-dishonest',
      'masked-wangxiaoming.csv',
      csv([courtHeader, courtRow({ '被执行人姓名/名称': personName, 案号: '（2026）粤0703执902号' })]),
    );
    const alert = await waitFor(async () => (await alertsOf('OLD-1'))[0], {
      timeoutMs: 30_000,
      what: 'the possible alert of OLD-1',
    });
    // Assess: one possible alert for the backfilled watch; none for the closed or the unnamed one
    expect(report).toMatchObject({ counts: { accepted: 1 } });
    expect(alert).toMatchObject({
      watchId: watchIdFor('SCJG', 'OLD-1'),
      change: 'hit-started',
      subject: { key: 'ID#4407021975****4129' },
      hit: { listTypeCode: 'COURT-SXBZXR', status: 'possible' },
    });
    expect(JSON.stringify(alert)).not.toContain(personName);
    expect(await alertsOf('OLD-1')).toHaveLength(1);
    expect(await alertsOf('OLD-CLOSED')).toEqual([]);
    expect(await alertsOf('OLD-NONAME')).toEqual([]);
  });
});
