import { beforeAll, describe, expect, it } from 'vitest';
import { clockOf } from '#lib/clock/clock';
import { codes, csv, listEntryHeader, listEntryRow } from '#test/support/csv-fixtures';
import { apiHandlerWithClock } from '../support/api-handler';
import { ingestFile, loadListTypes, registerAgency, subjectPartition } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';

// biome-ignore lint/suspicious/noExplicitAny: API answers are read as loose JSON
type Json = Record<string, any>;

/**
 * Objections (异议) on red / black list entries through the local stack: filed by the subject,
 * registered by the credit office, answered by the list authority (认定机构) that reported the
 * entry; while open, the check's hit and the public list status carry 异议处理中.
 */
let now = '2026-04-30T02:00:00Z';
const api = apiHandlerWithClock(clockOf(() => new Date(now)));

const stack = useLocalStack({ handlers: { api } });
const keys: Record<string, string> = {};
const entries: Record<string, string> = {};
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
  return { status: response.status, body: JSON.parse(response.body || '{}') as Json };
}

function filing(entryId: string, claim: Json) {
  return {
    subjectCode: company,
    contact: { name: '陈小明', phone: '13800138000' },
    record: { dataset: 'list-entry', recordId: entryId },
    claim,
    evidence: '税务处理决定书载明的违法事实与列入原因不符',
  };
}

async function hitOf(entryId: string): Promise<Json | undefined> {
  const check = await call('POST', '/v1/checks', { key: keys.SCJG, body: { subject: { code: company } } });
  expect(check.status).toBe(201);
  return check.body.hits.find((hit: Json) => hit.entryId === entryId);
}

async function subjectPage(): Promise<Json> {
  return (await call('GET', `/public/v1/subjects/${company}`)).body;
}

beforeAll(async () => {
  keys.XYB = await registerAgency(stack(), 'XYB', '11440700MB2E345657', ['credit-office']);
  keys.SCJG = await registerAgency(stack(), 'SCJG');
  keys.SWJ = await registerAgency(stack(), 'SWJ', '11440700MB2C123480');
  await loadListTypes(stack());
  const file = csv([
    listEntryHeader,
    listEntryRow({ 列入日期: '2025/03/18', 有效期至: '2028/03/17', 列入原因: '虚开增值税专用发票' }),
    listEntryRow({ 列入日期: '2025/06/18', 有效期至: '2028/06/17', 列入原因: '逃避追缴欠税' }),
  ]);
  const report = await ingestFile(stack(), 'SWJ', 'list-entry', 'objected-lists.csv', file);
  expect(report).toMatchObject({ status: 'completed', counts: { accepted: 2 } });
  for (const item of await subjectPartition(stack(), `USCC#${company}`)) {
    if (item.type === 'list-entry') entries[(item.record as Json).listedOn] = String(item.entryId);
  }
}, 180_000);

describe('Objections on list entries (名单异议) through the local stack', () => {
  let applicationNo = '';

  it('the subject files against a black-list entry: the hit and the public list status carry 异议处理中 at once', async () => {
    const entryId = entries['2025-03-18']!;
    expect(await hitOf(entryId)).not.toHaveProperty('underObjection');

    const filed = await call('POST', '/public/v1/objections', {
      body: filing(entryId, {
        field: '列入原因',
        currentValue: '虚开增值税专用发票',
        assertedValue: '未按规定取得发票',
      }),
    });

    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ status: 'SUBMITTED', acceptDueDate: '2026-05-07' });
    applicationNo = filed.body.applicationNo;
    expect(await hitOf(entryId)).toMatchObject({ underObjection: true, objectionNotice: '异议处理中' });
    const page = await subjectPage();
    expect(page.listStatus).toEqual({ black: 2, red: 0, listed: 2, underObjection: 1 });
    expect(page.listEntries.find((entry: Json) => entry.id === entryId)).toMatchObject({
      underObjection: true,
      notice: '异议处理中',
    });
    const record = await call('GET', `/public/v1/subjects/${company}/records/${entryId}`);
    expect(record.body.record).toMatchObject({ kind: 'list-entry', underObjection: true });
  });

  it('the credit office accepts and forwards to the list authority; another agency neither sees nor answers it', async () => {
    await call('POST', `/v1/objections/${applicationNo}/acceptance`, { key: keys.XYB });
    const forwarded = await call('POST', `/v1/objections/${applicationNo}/forwarding`, { key: keys.XYB });
    expect(forwarded.body).toMatchObject({
      status: 'FORWARDED_TO_SOURCE',
      forwardedTo: 'SWJ',
      sourceReplyDueDate: '2026-05-18',
      recordRef: { dataset: 'list-entry', recordId: entries['2025-03-18'] },
    });

    const read = await call('GET', `/v1/objections/${applicationNo}`, { key: keys.SCJG });
    const answer = await call('POST', `/v1/objections/${applicationNo}/answer`, {
      key: keys.SCJG,
      body: { outcome: 'UPHELD', reason: '维持' },
    });
    expect([read.status, answer.status]).toEqual([404, 404]);
    const own = await call('GET', '/v1/objections', { key: keys.SWJ });
    expect(own.body.objections.map((o: Json) => o.objectionId)).toEqual([applicationNo]);
  });

  it('the list authority answers CORRECTED: the entry’s new reason, a version kept, the mark gone from hit and page', async () => {
    now = '2026-05-08T02:00:00Z';
    const entryId = entries['2025-03-18']!;
    const answered = await call('POST', `/v1/objections/${applicationNo}/answer`, {
      key: keys.SWJ,
      body: { outcome: 'CORRECTED', reason: '核实列入原因表述有误' },
    });

    expect(answered.body).toMatchObject({ status: 'CLOSED', outcome: 'CORRECTED' });
    const hit = await hitOf(entryId);
    expect(hit).toMatchObject({ reason: '未按规定取得发票' });
    expect(hit).not.toHaveProperty('underObjection');
    const page = await subjectPage();
    expect(page.listStatus.underObjection).toBe(0);
    const items = await subjectPartition(stack(), `USCC#${company}`);
    const versions = items.filter((item) => String(item.sk).startsWith(`HISTORY#list-entry#${entryId}#`));
    expect(versions.map((v) => [(v.record as Json).reason, v.correctedByObjection])).toEqual([
      ['未按规定取得发票', applicationNo],
    ]);
  });

  it('registered by the credit office at the window on a date field: the authority cannot correct it in place and upholds', async () => {
    const entryId = entries['2025-06-18']!;
    const registered = await call('POST', '/v1/objections', {
      key: keys.XYB,
      body: {
        ...filing(entryId, { field: '有效期至', currentValue: '2028/06/17', assertedValue: '2027/06/17' }),
        channel: 'window',
      },
    });
    const id = registered.body.applicationNo as string;
    expect(registered.status).toBe(201);
    expect(await hitOf(entryId)).toMatchObject({ underObjection: true });
    await call('POST', `/v1/objections/${id}/acceptance`, { key: keys.XYB });
    await call('POST', `/v1/objections/${id}/forwarding`, { key: keys.XYB });

    const corrected = await call('POST', `/v1/objections/${id}/answer`, {
      key: keys.SWJ,
      body: { outcome: 'CORRECTED' },
    });
    const upheld = await call('POST', `/v1/objections/${id}/answer`, {
      key: keys.SWJ,
      body: { outcome: 'UPHELD', reason: '有效期依《重大税收违法失信主体信息公布管理办法》确定' },
    });

    expect([corrected.status, corrected.body.code]).toEqual([422, 'FIELD_NOT_CORRECTABLE']);
    expect(upheld.body).toMatchObject({ status: 'CLOSED', outcome: 'UPHELD' });
    expect(await hitOf(entryId)).not.toHaveProperty('underObjection');
  });
});
