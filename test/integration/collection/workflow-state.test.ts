import { beforeAll, describe, expect, it } from 'vitest';
import { clockOf } from '#lib/clock/clock';
import {
  codes,
  csv,
  listEntryHeader,
  listEntryRow,
  penaltyHeader,
  penaltyRow,
} from '#test/support/csv-fixtures';
import { apiHandlerWithClock } from '../support/api-handler';
import { ingestFile, loadListTypes, registerAgency, subjectPartition } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';

// biome-ignore lint/suspicious/noExplicitAny: API answers are read as loose JSON
type Json = Record<string, any>;

/**
 * Re-ingestion never undoes a lawful workflow state: a repaired penalty and list entry, an open
 * objection and a withdrawn decision, then the same rows in a new file and a changed version of
 * them. The data follows the re-submission; the stop, the mark and the withdrawal stay.
 */
const clock = clockOf(() => new Date('2026-04-30T10:00:00+08:00'));
const api = apiHandlerWithClock(clock);

const stack = useLocalStack({ handlers: { api } });
const company = codes.companyUscc;
const keys: Record<string, string> = {};
const ids: Record<string, string> = {};

const penalties = {
  repaired: { CF_WSH: '江市监罚〔2026〕41号', CF_JDRQ: '2026/01/10' },
  objected: { CF_WSH: '江市监罚〔2026〕42号', CF_JDRQ: '2026/03/10' },
  withdrawn: { CF_WSH: '江市监罚〔2026〕43号', CF_JDRQ: '2026/03/11' },
};
const listEntry = { 列入日期: '2025/03/18', 有效期至: '2028/03/17' };

function penaltyFile(facts: string, extra: Record<string, string>[] = []) {
  return csv([
    [...penaltyHeader, '严重程度'],
    ...[...Object.values(penalties), ...extra].map((row) => [
      ...penaltyRow({ ...row, CF_SY: facts }),
      '一般',
    ]),
  ]);
}

function listFile(reason: string, extra: Record<string, string>[] = []) {
  return csv([
    listEntryHeader,
    ...[listEntry, ...extra].map((row) => listEntryRow({ ...row, 列入原因: reason })),
  ]);
}

async function call(
  method: string,
  path: string,
  options: { key?: string; secret?: string; body?: unknown } = {},
) {
  const headers: Record<string, string> = {};
  if (options.key) headers.authorization = `Bearer ${keys[options.key]}`;
  if (options.secret) headers['x-application-secret'] = options.secret;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await stack().api.request(method, path, {
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  return { status: response.status, body: JSON.parse(response.body || '{}') as Json };
}

async function currentItems() {
  return (await subjectPartition(stack(), `USCC#${company}`)).filter(
    (item) => String(item.sk).startsWith('RECORD#') || String(item.sk).startsWith('LIST#'),
  );
}

async function itemOf(id: string) {
  return (await currentItems()).find((item) => item.recordId === id || item.entryId === id);
}

async function ingestOk(agency: string, dataset: string, name: string, body: string) {
  const report = await ingestFile(stack(), agency, dataset, name, body);
  expect(report).toMatchObject({ status: 'completed', counts: { rejected: 0 } });
}

/** A repair case taken from application to approval by the deciding agency. */
async function approveRepair(dataset: string, recordId: string, decidingAgency: string) {
  const created = await call('POST', '/v1/repair-applications', {
    key: 'XYB',
    body: {
      subjectCode: company,
      record: { dataset, recordId },
      applicantRole: 'subject',
      applicantName: '李建国',
      applicantContact: '0750-3501234',
      channel: 'window',
    },
  });
  expect(created.status).toBe(201);
  const path = `/v1/repair-applications/${created.body.applicationNo}`;
  const requested = await call('POST', `${path}/materials`, {
    key: 'XYB',
    body: { kind: 'commitment', fileName: '信用承诺书.pdf', contentType: 'application/pdf' },
  });
  const { upload } = requested.body;
  expect((await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: '%PDF-1.7' })).status).toBe(
    200,
  );
  for (const step of ['submit', 'accept', 'forward'])
    expect((await call('POST', `${path}/${step}`, { key: 'XYB' })).status).toBe(200);
  const decided = await call('POST', `${path}/decision`, {
    key: decidingAgency,
    body: { decision: 'APPROVED', reason: '已履行全部法定义务' },
  });
  expect(decided.body.application.status).toBe('PUBLICATION_STOPPED');
}

async function check() {
  const response = await call('POST', '/v1/checks', { key: 'SCJG', body: { subject: { code: company } } });
  expect(response.status).toBe(201);
  return response.body;
}

/** Every workflow state as it was set, whatever ingestion delivered since. */
async function expectWorkflowStatesKept() {
  expect((await call('GET', `/public/v1/subjects/${company}/records/${ids.repaired}`)).status).toBe(404);
  expect((await call('GET', `/public/v1/subjects/${company}/records/${ids.withdrawn}`)).status).toBe(404);
  const objected = await call('GET', `/public/v1/subjects/${company}/records/${ids.objected}`);
  expect(objected.body.record).toMatchObject({ underObjection: true, notice: '异议处理中' });
  const page = await call('GET', `/public/v1/subjects/${company}`);
  expect(page.body.listEntries.map((entry: Json) => entry.id)).not.toContain(ids.listEntry);

  const checked = await check();
  expect(checked.hits.map((hit: Json) => hit.entryId)).not.toContain(ids.listEntry);
  const inDisplay = checked.records.map((record: Json) => record.recordId);
  expect(inDisplay).not.toContain(ids.repaired);
  expect(inDisplay).not.toContain(ids.withdrawn);
  expect(checked.records.find((record: Json) => record.recordId === ids.objected)).toMatchObject({
    underObjection: true,
    objectionNotice: '异议处理中',
  });

  expect(await itemOf(ids.repaired!)).toMatchObject({
    publicationStatus: 'STOPPED',
    sharingStatus: 'STOPPED',
  });
  expect(await itemOf(ids.listEntry!)).toMatchObject({
    publicationStatus: 'STOPPED',
    repair: { decidedBy: 'SWJ' },
  });
  expect(await itemOf(ids.objected!)).toMatchObject({
    objectionOpen: true,
    openObjections: [ids.objectionId],
  });
  expect(await itemOf(ids.withdrawn!)).toMatchObject({
    status: 'withdrawn',
    withdrawal: { revokedOn: '2026-04-28' },
  });
}

beforeAll(async () => {
  const handle = stack();
  keys.SCJG = await registerAgency(handle, 'SCJG');
  keys.SWJ = await registerAgency(handle, 'SWJ', '11440700MB2C123480');
  keys.XYB = await registerAgency(handle, 'XYB', '11440700MB2E345657', ['credit-office']);
  await loadListTypes(handle);
  await ingestOk(
    'SCJG',
    'admin-penalty',
    'workflow-penalties.csv',
    penaltyFile('销售抽检不合格的建筑用钢筋'),
  );
  await ingestOk('SWJ', 'list-entry', 'workflow-lists.csv', listFile('虚开增值税专用发票'));
  for (const item of await currentItems()) {
    if (item.type === 'list-entry') ids.listEntry = String(item.entryId);
    for (const [name, row] of Object.entries(penalties))
      if ((item.record as Json).documentNumber === row.CF_WSH) ids[name] = String(item.recordId);
  }

  await approveRepair('admin-penalty', ids.repaired!, 'SCJG');
  await approveRepair('list-entry', ids.listEntry!, 'SWJ');
  const filed = await call('POST', '/public/v1/objections', {
    body: {
      subjectCode: company,
      contact: { name: '陈小明', phone: '13800138000' },
      record: { dataset: 'admin-penalty', recordId: ids.objected },
      claim: { field: 'CF_NR_FK', currentValue: '8', assertedValue: '0.8' },
      evidence: '缴款书显示罚款为0.8万元',
    },
  });
  expect(filed.status).toBe(201);
  ids.objectionId = (await itemOf(ids.objected!))?.openObjections?.[0];
  const withdrawn = await call('POST', `/v1/records/admin-penalty/${ids.withdrawn}/withdrawal`, {
    key: 'SCJG',
    body: { subjectCode: company, revokedOn: '2026-04-28', reason: '撤销原处罚决定' },
  });
  expect(withdrawn.body).toMatchObject({ changed: true });
  await expectWorkflowStatesKept();
}, 240_000);

describe('Re-ingestion keeps the workflows’ state on the record items', () => {
  it('the same rows arriving again in a new file change no workflow state', async () => {
    const newcomer = { CF_WSH: '江市监罚〔2026〕44号', CF_JDRQ: '2026/03/12' };
    await ingestOk(
      'SCJG',
      'admin-penalty',
      'workflow-penalties-again.csv',
      penaltyFile('销售抽检不合格的建筑用钢筋', [newcomer]),
    );
    await ingestOk(
      'SWJ',
      'list-entry',
      'workflow-lists-again.csv',
      listFile('虚开增值税专用发票', [{ 列入日期: '2024/03/18', 有效期至: '2027/03/17' }]),
    );
    await expectWorkflowStatesKept();
  }, 180_000);

  it('a changed version updates the data and keeps its versions, and still changes no workflow state', async () => {
    const versionsBefore = (await subjectPartition(stack(), `USCC#${company}`)).filter(
      (item) => item.type === 'record-version' && item.recordId === ids.objected,
    ).length;
    await ingestOk(
      'SCJG',
      'admin-penalty',
      'workflow-penalties-changed.csv',
      penaltyFile('销售抽检不合格的建筑用钢筋（复检确认）'),
    );
    await ingestOk(
      'SWJ',
      'list-entry',
      'workflow-lists-changed.csv',
      listFile('虚开增值税专用发票（已移送公安）'),
    );

    await expectWorkflowStatesKept();
    const objected = await call('GET', `/public/v1/subjects/${company}/records/${ids.objected}`);
    expect(objected.body.record.facts).toBe('销售抽检不合格的建筑用钢筋（复检确认）');
    expect((await itemOf(ids.listEntry!))?.record).toMatchObject({
      reason: '虚开增值税专用发票（已移送公安）',
    });
    const versionsAfter = (await subjectPartition(stack(), `USCC#${company}`)).filter(
      (item) => item.type === 'record-version' && item.recordId === ids.objected,
    ).length;
    expect(versionsAfter).toBe(versionsBefore + 1);
  }, 180_000);
});
