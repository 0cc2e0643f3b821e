import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { clockOf } from '#lib/clock/clock';
import { codes } from '#test/support/csv-fixtures';
import { penaltiesFile } from '../public/fixtures';
import { apiHandlerWithClock } from '../support/api-handler';
import { ingestFile, registerAgency, subjectPartition } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';

// biome-ignore lint/suspicious/noExplicitAny: API answers are read as loose JSON
type Json = Record<string, any>;

/** The api function with its clock pinned through the composition root (moved by `at`). */
let now = '2026-04-30T02:00:00Z';
const api = apiHandlerWithClock(clockOf(() => new Date(now)));
/** 10:00 in Shanghai on a day. */
const at = (day: string) => {
  now = `${day}T02:00:00Z`;
};

const stack = useLocalStack({ handlers: { api: api as never } });
const keys: Record<string, string> = {};
const records: Record<string, string> = {};
const company = codes.companyUscc;

async function call(
  method: string,
  path: string,
  options: { key?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const response = await stack().api.request(method, path, {
    headers: {
      ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
      ...(options.body ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body ? { body: JSON.stringify(options.body) } : {}),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: JSON.parse(response.body || '{}') as Json,
  };
}

function filing(recordId: string, claim: Json = {}) {
  return {
    subjectCode: company,
    contact: { name: '陈小明', phone: '13800138000' },
    record: { dataset: 'admin-penalty', recordId },
    claim: { field: 'CF_NR_FK', currentValue: '8', assertedValue: '0.8', ...claim },
    evidence: '缴款书显示罚款为0.8万元',
  };
}

async function publicRecord(recordId: string) {
  return call('GET', `/public/v1/subjects/${company}/records/${recordId}`);
}

async function checkRecords(): Promise<Json[]> {
  const check = await call('POST', '/v1/checks', { key: keys.SCJG, body: { subject: { code: company } } });
  expect(check.status).toBe(201);
  return check.body.records;
}

beforeAll(async () => {
  keys.XYB = await registerAgency(stack(), 'XYB', '11440700MB2E345657', ['credit-office']);
  keys.SCJG = await registerAgency(stack(), 'SCJG');
  keys.SWJ = await registerAgency(stack(), 'SWJ', '11440700MB2C123480');
  keys.AUDIT = await registerAgency(stack(), 'AUD', '11440700MB2E345657', ['auditor']);
  const file = penaltiesFile([
    { CF_WSH: '江市监罚〔2026〕31号', CF_JDRQ: '2026/03/10' },
    { CF_WSH: '江市监罚〔2026〕32号', CF_JDRQ: '2026/03/11' },
    { CF_WSH: '江市监罚〔2026〕33号', CF_JDRQ: '2026/03/12' },
  ]);
  const report = await ingestFile(stack(), 'SCJG', 'admin-penalty', 'objections.csv', file);
  expect(report.counts).toMatchObject({ accepted: 3 });
  for (const item of await subjectPartition(stack(), `USCC#${company}`)) {
    if (String(item.sk).startsWith('RECORD#'))
      records[(item.record as Json).documentNumber] = item.recordId as string;
  }
}, 180_000);

describe('Objections (异议) through the local stack', () => {
  let applicationNo = '';
  let secret = '';

  it('files without a key on 2026-04-30: the record shows 异议处理中 at once, in the public view and in the check', async () => {
    at('2026-04-30');
    const recordId = records['江市监罚〔2026〕31号']!;

    const filed = await call('POST', '/public/v1/objections', { body: filing(recordId) });

    expect(filed.status).toBe(201);
    expect(filed.headers['cache-control']).toBe('no-store');
    expect(filed.body).toMatchObject({
      status: 'SUBMITTED',
      receivedOn: '2026-04-30',
      acceptDueDate: '2026-05-07',
    });
    ({ applicationNo, secret } = filed.body as { applicationNo: string; secret: string });
    expect((await publicRecord(recordId)).body.record).toMatchObject({
      underObjection: true,
      notice: '异议处理中',
    });
    expect((await checkRecords()).find((r) => r.recordId === recordId)).toMatchObject({
      underObjection: true,
      objectionNotice: '异议处理中',
    });
    const stored = (await subjectPartition(stack(), `USCC#${company}`)).find(
      (i) => i.recordId === recordId && String(i.sk).startsWith('RECORD#'),
    );
    expect(stored).toMatchObject({ objectionOpen: true, openObjections: [applicationNo] });
  });

  it('shows the filer its status with the secret only, masked; the same 404 without it', async () => {
    const status = await call('GET', `/public/v1/applications/${applicationNo}`, {
      headers: { 'x-application-secret': secret },
    });
    const wrong = await call('GET', `/public/v1/applications/${applicationNo}`, {
      headers: { 'x-application-secret': 'guess' },
    });

    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      status: 'SUBMITTED',
      nextStepDueDate: '2026-05-07',
      contact: { phone: '138****8000' },
    });
    expect(JSON.stringify(status.body)).not.toMatch(/secretHash|SCJG|keyId|13800138000/);
    expect([wrong.status, wrong.body.code]).toEqual([404, 'OBJECTION_NOT_FOUND']);
  });

  it('accepts (idempotent replay) and forwards: the source agency answers by 2026-05-18 across 劳动节', async () => {
    const accept = () =>
      call('POST', `/v1/objections/${applicationNo}/acceptance`, {
        key: keys.XYB,
        headers: { 'idempotency-key': 'accept-1' },
      });

    const first = await accept();
    const replay = await accept();
    const forwarded = await call('POST', `/v1/objections/${applicationNo}/forwarding`, { key: keys.XYB });

    expect(first.body).toMatchObject({ status: 'PLATFORM_CHECK', platformCheckDueDate: '2026-05-07' });
    expect(replay.body).toEqual(first.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(forwarded.body).toMatchObject({
      status: 'FORWARDED_TO_SOURCE',
      forwardedTo: 'SCJG',
      sourceReplyDueDate: '2026-05-18',
    });
    const again = await call('POST', `/v1/objections/${applicationNo}/acceptance`, { key: keys.XYB });
    expect([again.status, again.body.code]).toEqual([409, 'OBJECTION_STATE_CONFLICT']);
  });

  it('keeps another agency out: it neither sees nor answers an objection on SCJG’s record', async () => {
    const read = await call('GET', `/v1/objections/${applicationNo}`, { key: keys.SWJ });
    const answer = await call('POST', `/v1/objections/${applicationNo}/answer`, {
      key: keys.SWJ,
      body: { outcome: 'UPHELD', reason: '维持' },
    });
    const list = await call('GET', '/v1/objections', { key: keys.SWJ });
    const accept = await call('POST', `/v1/objections/${applicationNo}/acceptance`, { key: keys.SCJG });

    expect([read.status, answer.status, list.body.objections]).toEqual([404, 404, []]);
    expect([accept.status, accept.body.code]).toEqual([403, 'FORBIDDEN']);
    expect((await call('GET', '/v1/objections', { key: keys.AUDIT })).body.objections).toHaveLength(1);
  });

  it('reports the unanswered 协查 in the deadlines run once its day has passed', async () => {
    const scheduled = JSON.parse(
      readFileSync(new URL('../../../events/deadlines/scheduled.json', import.meta.url), 'utf8'),
    );
    // 01:30 on 2026-05-20 in Shanghai covers 2026-05-19, the day after the reply was due
    const report = (await stack().handlers.deadlines(
      { ...scheduled, time: '2026-05-19T17:30:00Z' },
      {} as never,
    )) as Json;

    expect(report.items).toContainEqual(
      expect.objectContaining({
        type: 'objection-overdue',
        agencyCode: 'SCJG',
        reference: applicationNo,
        dueDate: '2026-05-18',
      }),
    );
  });

  it('the source agency answers CORRECTED: a new version, the old one kept, and the mark gone from view and check', async () => {
    at('2026-05-08');
    const recordId = records['江市监罚〔2026〕31号']!;
    const body = { outcome: 'CORRECTED', reason: '核实罚款金额录入有误' };

    const answered = await call('POST', `/v1/objections/${applicationNo}/answer`, {
      key: keys.SCJG,
      body,
      headers: { 'idempotency-key': 'answer-1' },
    });
    const replay = await call('POST', `/v1/objections/${applicationNo}/answer`, {
      key: keys.SCJG,
      body,
      headers: { 'idempotency-key': 'answer-1' },
    });

    expect(answered.body).toMatchObject({
      status: 'CLOSED',
      outcome: 'CORRECTED',
      closedOn: '2026-05-08',
      contact: { phone: '138****8000' },
    });
    expect([replay.status, replay.headers['idempotent-replayed']]).toEqual([200, 'true']);
    const view = (await publicRecord(recordId)).body.record;
    expect(view).toMatchObject({ fineAmount: 0.8, underObjection: false });
    const summary = (await checkRecords()).find((r) => r.recordId === recordId)!;
    expect(summary.fineAmount).toBe(0.8);
    expect(summary).not.toHaveProperty('underObjection');
    const items = await subjectPartition(stack(), `USCC#${company}`);
    const versions = items.filter((i) => String(i.sk).startsWith(`HISTORY#admin-penalty#${recordId}#`));
    // The versions sort by arrival; the ingest ran on the real clock, the correction on the pinned one.
    expect(versions.map((v) => [(v.record as Json).fineAmount, v.correctedByObjection])).toEqual(
      expect.arrayContaining([
        [8, undefined],
        [0.8, applicationNo],
      ]),
    );
    expect(versions).toHaveLength(2);
    const history = await call('GET', `/v1/objections/${applicationNo}`, { key: keys.AUDIT });
    expect(history.body.history.map((e: Json) => e.action)).toEqual(['file', 'accept', 'forward', 'answer']);
    const status = await call('GET', `/public/v1/applications/${applicationNo}`, {
      headers: { 'x-application-secret': secret },
    });
    expect(status.body).toMatchObject({ status: 'CLOSED', outcome: 'CORRECTED', outcomeLabel: '已更正' });
  });

  it('registered by the credit office at the window, answered UPHELD: the record unchanged, the mark cleared', async () => {
    at('2026-05-11');
    const recordId = records['江市监罚〔2026〕32号']!;
    const registered = await call('POST', '/v1/objections', {
      key: keys.XYB,
      body: {
        ...filing(recordId, {
          field: '违法事实',
          currentValue: '销售抽检不合格的建筑用钢筋',
          assertedValue: '未销售',
        }),
        channel: 'window',
      },
    });
    const id = registered.body.applicationNo as string;
    expect(registered.status).toBe(201);
    expect((await publicRecord(recordId)).body.record.underObjection).toBe(true);
    await call('POST', `/v1/objections/${id}/acceptance`, { key: keys.XYB });
    await call('POST', `/v1/objections/${id}/forwarding`, { key: keys.XYB });

    const upheld = await call('POST', `/v1/objections/${id}/answer`, {
      key: keys.SCJG,
      body: { outcome: 'UPHELD', reason: '抽检报告与处罚决定书一致' },
    });

    expect(upheld.body).toMatchObject({
      outcome: 'UPHELD',
      channel: 'window',
      filedBy: { kind: 'agency', agencyCode: 'XYB' },
    });
    const view = (await publicRecord(recordId)).body.record;
    expect(view).toMatchObject({ underObjection: false, facts: '销售抽检不合格的建筑用钢筋' });
  });
});

describe('Withdrawal of a published decision through the local stack', () => {
  it('takes a revoked decision out of the public view and the check at once; twice is a no-op; late shows in the deadlines run', async () => {
    at('2026-05-11');
    const recordId = records['江市监罚〔2026〕33号']!;
    const path = `/v1/records/admin-penalty/${recordId}/withdrawal`;
    const body = {
      subjectCode: company,
      revokedOn: '2026-05-06',
      reason: '江市监撤〔2026〕1号 撤销原处罚决定',
    };
    expect((await publicRecord(recordId)).status).toBe(200);

    const other = await call('POST', path, { key: keys.SWJ, body });
    const first = await call('POST', path, { key: keys.SCJG, body });
    const second = await call('POST', path, { key: keys.SCJG, body: { ...body, revokedOn: '2026-05-08' } });

    expect([other.status, other.body.code]).toEqual([404, 'DECISION_NOT_FOUND']);
    // 05-06 + 3 working days is 05-09 (a working Saturday): withdrawn 05-11, late
    expect(first.body).toMatchObject({ changed: true, withdrawal: { dueDate: '2026-05-09', late: true } });
    expect(second.body).toEqual({ ...first.body, changed: false });
    expect((await publicRecord(recordId)).status).toBe(404);
    expect((await checkRecords()).map((r) => r.recordId)).not.toContain(recordId);
    const scheduled = JSON.parse(
      readFileSync(new URL('../../../events/deadlines/scheduled.json', import.meta.url), 'utf8'),
    );
    const report = (await stack().handlers.deadlines(
      { ...scheduled, time: '2026-05-11T17:30:00Z' },
      {} as never,
    )) as Json;
    expect(report.items).toContainEqual(
      expect.objectContaining({
        type: 'withdrawal-late',
        agencyCode: 'SCJG',
        reference: 'admin-penalty/江市监罚〔2026〕33号',
      }),
    );
  });
});
