import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestDependencies } from '#functions/ingest/dependencies';
import { packageCalendar } from '#lib/calendar/calendar';
import { clockOf, fixedClock } from '#lib/clock/clock';
import { ingestObject } from '#lib/ingest/ingest-object';
import { bucketLayout } from '#lib/platform/resources';
import { notice2027 } from '#test/support/calendar-fixtures';
import { codes, courtHeader, courtRow, csv } from '#test/support/csv-fixtures';
import { apiHandlerWithClock } from '../support/api-handler';
import { putIncoming, registerAgency, subjectPartition } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';

// biome-ignore lint/suspicious/noExplicitAny: API answers and stored items are read as loose JSON
type Json = Record<string, any>;

/**
 * A court entry marked 全部履行 without 移出日期 must be removed within 3 working days of the day the
 * platform received that state. Received on 2026-12-29, those days run into 2027, whose calendar
 * is not known yet: the deadline is pending and the entry stays in effect. Once the credit office
 * stores 2027, the deadlines run sets the deadline (2027-01-04, after 元旦) and the entry ends on it.
 */
const received = '2026-12-29T02:00:00.000Z';
let now = '2026-12-29T10:00:00+08:00';
const api = apiHandlerWithClock(clockOf(() => new Date(now)));
// No pollers: the file is ingested once, by the call below, on the day it was received.
const stack = useLocalStack({ handlers: { api }, startPollers: false });
const company = { name: '江门市恒通实业有限公司', uscc: codes.companyUscc };
const apiKeys: Record<string, string> = {};

async function call(key: string, method: string, path: string, body?: unknown) {
  const response = await stack().api.request(method, path, {
    headers: { authorization: `Bearer ${apiKeys[key]}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: JSON.parse(response.body || '{}') as Json };
}

/** The deadlines function's run of `runDate` (its 01:30 Asia/Shanghai schedule, the day before in UTC). */
async function runDeadlines(runDate: string): Promise<Json> {
  const utcDay = new Date(Date.parse(`${runDate}T01:30:00+08:00`)).toISOString();
  return (await stack().handlers.deadlines({ time: utcDay } as never, {} as never)) as Json;
}

/** A court row marked 全部履行 without 移出日期 for a company (item 1: no other end). */
const performedRow = (subject: { name: string; uscc: string }, caseNumber = '（2026）粤0703执567号') =>
  courtRow({
    '被执行人姓名/名称': subject.name,
    '身份证号码/组织机构代码': subject.uscc,
    被执行人的履行情况: '全部履行',
    发布时间: '2026/03/02',
    案号: caseNumber,
  });

/** Ingests a court file as the ingest function would on `at` (its composition root, clock pinned). */
async function ingestCourtFile(rows: string[][], name = 'performed.csv', at = received) {
  const body = csv([courtHeader, ...rows]);
  await putIncoming(stack(), 'ZYFY', 'court-dishonest', name, body);
  const key = bucketLayout.incomingKey('ZYFY', 'court-dishonest', name);
  const head = await stack().clients.s3.send(
    new HeadObjectCommand({ Bucket: stack().config.bucketName, Key: key }),
  );
  return ingestObject(
    { ...ingestDependencies(), clock: fixedClock(at) },
    {
      bucket: stack().config.bucketName,
      key,
      eTag: String(head.ETag).replaceAll('"', ''),
      size: Buffer.byteLength(body),
      eventTime: at,
    },
  );
}

async function courtEntry(uscc: string = company.uscc): Promise<Json | undefined> {
  const items = await subjectPartition(stack(), `USCC#${uscc}`);
  return items.find((item) => item.dataset === 'court-dishonest');
}

/** The court-list hits of a one-click check of the company (on the API's pinned day). */
async function courtHits(): Promise<Json[]> {
  const answer = await call('SCJG', 'POST', '/v1/checks', { subject: { code: company.uscc } });
  expect(answer.status).toBe(201);
  return answer.body.hits.filter((hit: Json) => hit.listTypeCode === 'COURT-SXBZXR');
}

beforeAll(async () => {
  apiKeys.SCJG = await registerAgency(stack(), 'SCJG');
  apiKeys.XYB = await registerAgency(stack(), 'XYB', codes.agencyUscc, ['credit-office', 'case-officer']);
  await registerAgency(stack(), 'ZYFY', '11440700MB2D23451J');
});

describe('Court removal deadlines that waited for a calendar year', () => {
  it('stays in effect while 2027 is unknown, and ends on the deadline the run sets once 2027 is stored', async () => {
    // Prepare: the package has no 2027
    expect(packageCalendar.hasYear(2027)).toBe(false);
    // Act 1: ingestion, a check and a run without the 2027 calendar
    const result = await ingestCourtFile([performedRow(company)]);
    const pending = await courtEntry();
    const hitsBefore = await courtHits();
    const runWithout = await runDeadlines('2026-12-31');
    // Assess 1
    expect(result).toMatchObject({ status: 'ingested' });
    expect(pending?.record).toMatchObject({
      removalDueBy: null,
      removalFrom: '2026-12-29',
      removalWorkingDays: 3,
      validUntil: null,
    });
    expect(pending).toMatchObject({ gsi1pk: 'PENDING-REMOVAL' });
    expect(pending?.gsi2pk).toBeUndefined();
    expect(hitsBefore).toHaveLength(1);
    expect(runWithout.courtRemovals).toEqual({ settled: [], stillPending: 1, limitReached: false });

    // Act 2: the credit office stores 2027; the next runs set the deadline, once
    const stored = await call('XYB', 'PUT', '/v1/calendar/years/2027', { days: notice2027 });
    const settledRun = await runDeadlines('2026-12-31');
    const again = await runDeadlines('2026-12-31');
    const settled = await courtEntry();
    // Assess 2: 12-30 day 1, 12-31 day 2, 2027-01-01…03 off, 01-04 day 3
    expect(stored.status).toBe(200);
    expect(settledRun.courtRemovals).toEqual({
      settled: [
        {
          agencyCode: 'ZYFY',
          caseNumber: '（2026）粤0703执567号',
          removalFrom: '2026-12-29',
          removalDueBy: '2027-01-04',
          validUntil: '2027-01-04',
          ended: false,
        },
      ],
      stillPending: 0,
      limitReached: false,
    });
    expect(again.courtRemovals.settled).toEqual([]);
    expect(settled?.record).toMatchObject({ removalDueBy: '2027-01-04', validUntil: '2027-01-04' });
    expect(settled).toMatchObject({ gsi2pk: 'EXPIRES#2027-01-04' });
    expect(settled?.gsi1pk).toBeUndefined();

    // Act 3: in effect on its last day; the run after it expires the entry
    now = '2027-01-04T10:00:00+08:00';
    const hitsOnLastDay = await courtHits();
    const expiryRun = await runDeadlines('2027-01-05');
    now = '2027-01-05T10:00:00+08:00';
    const hitsAfter = await courtHits();
    // Assess 3
    expect(hitsOnLastDay).toHaveLength(1);
    expect(expiryRun.expiredListEntries).toBe(1);
    expect(expiryRun.ended.listEntries).toEqual([
      {
        agencyCode: 'ZYFY',
        dataset: 'court-dishonest',
        reference: '（2026）粤0703执567号',
        lastDay: '2027-01-04',
      },
    ]);
    expect(await courtEntry()).toMatchObject({ status: 'expired', expiredOn: '2027-01-05' });
    expect(hitsAfter).toEqual([]);
  });

  it('keeps the removal clock of the first arrival of 全部履行 when the court sends its list again', async () => {
    // Prepare: first received Tue 2026-12-01 → 3 working days end Fri 2026-12-04
    const other = { name: '江门市恒信贸易有限公司', uscc: codes.otherCompanyUscc };
    const first = await ingestCourtFile(
      [performedRow(other, '（2026）粤0703执901号')],
      'first.csv',
      '2026-12-01T02:00:00.000Z',
    );
    // Act: the court's next list, two days later, carries the same entry (and another)
    const again = await ingestCourtFile(
      [performedRow(other, '（2026）粤0703执901号'), performedRow(company, '（2026）粤0703执902号')],
      'second.csv',
      '2026-12-03T02:00:00.000Z',
    );
    const entry = await courtEntry(other.uscc);
    // Assess: not 2026-12-08 (three working days from the second list)
    expect(first).toMatchObject({ status: 'ingested' });
    expect(again).toMatchObject({ status: 'ingested' });
    expect(entry?.record).toMatchObject({
      removalFrom: '2026-12-01',
      removalDueBy: '2026-12-04',
      validUntil: '2026-12-04',
    });
    expect(entry).toMatchObject({ gsi2pk: 'EXPIRES#2026-12-04' });
  });
});
