import { GetObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { clockOf } from '#lib/clock/clock';
import { bucketLayout } from '#lib/platform/resources';
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

/**
 * Credit repair end to end through the local stack: the api function's real routes and adapters
 * against DynamoDB Local, s3rver (presigned upload) and the EventBridge emulator, with the clock
 * set to the application day (the due dates are on the official 2026 calendar).
 */
const day = '2026-04-30';
const clock = clockOf(() => new Date(`${day}T10:00:00+08:00`));
const api = apiHandlerWithClock(clock);

const stack = useLocalStack({ handlers: { api } });
const company = codes.companyUscc;
const keys: Record<string, string> = {};
const ids: Record<string, string> = {};

const penalties = {
  eligible: { CF_WSH: '江市监罚〔2026〕11号', CF_JDRQ: '2026/01/10' },
  tooEarly: { CF_WSH: '江市监罚〔2026〕12号', CF_JDRQ: '2026/03/15' },
  overdue: { CF_WSH: '江市监罚〔2026〕13号', CF_JDRQ: '2026/01/12' },
};

async function call(
  method: string,
  path: string,
  options: { key?: string; secret?: string; body?: unknown; idempotencyKey?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (options.key) headers.authorization = `Bearer ${keys[options.key]}`;
  if (options.secret) headers['x-application-secret'] = options.secret;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await stack().api.request(method, path, {
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  return { status: response.status, headers: response.headers, body: JSON.parse(response.body || '{}') };
}

async function recordIdOf(documentNumber: string): Promise<string> {
  const items = await subjectPartition(stack(), `USCC#${company}`);
  const item = items.find(
    (candidate) =>
      candidate.type === 'admin-penalty' &&
      (candidate.record as { documentNumber?: string }).documentNumber === documentNumber,
  );
  return String(item?.recordId);
}

beforeAll(async () => {
  const handle = stack();
  keys.SCJG = await registerAgency(handle, 'SCJG');
  keys.SWJ = await registerAgency(handle, 'SWJ', '11440700MB2C123480');
  keys.XYB = await registerAgency(handle, 'XYB', '11440700MB2E345657', ['credit-office', 'auditor']);
  keys.ZJJ = await registerAgency(handle, 'ZJJ', '11440700MB2F45678X');
  // List entries are accepted only from the agencies their list type names (认定机构代码).
  await loadListTypes(handle);
  const penaltyFile = csv([
    [...penaltyHeader, '严重程度'],
    ...Object.values(penalties).map((row) => [...penaltyRow(row), '一般']),
  ]);
  const reports = [
    await ingestFile(handle, 'SCJG', 'admin-penalty', 'repair-penalties.csv', penaltyFile),
    await ingestFile(
      handle,
      'SWJ',
      'list-entry',
      'repair-lists.csv',
      csv([listEntryHeader, listEntryRow({ 列入日期: '2025/03/18', 有效期至: '2028/03/17' })]),
    ),
  ];
  for (const report of reports)
    expect(report).toMatchObject({ status: 'completed', counts: { rejected: 0 } });
  for (const [name, row] of Object.entries(penalties)) ids[name] = await recordIdOf(row.CF_WSH);
  const entries = (await subjectPartition(handle, `USCC#${company}`)).filter(
    (item) => item.type === 'list-entry',
  );
  ids.listEntry = String(entries[0]?.entryId);
}, 180_000);

const application = (recordId: string, dataset = 'admin-penalty') => ({
  subjectCode: company,
  record: { dataset, recordId },
  applicantRole: 'subject',
  applicantName: '李建国',
  applicantContact: '0750-3501234',
});

/** Attaches a commitment letter through the presigned URL the API answers, as a browser would. */
async function uploadCommitment(path: string, auth: { key?: string; secret?: string }) {
  const requested = await call('POST', `${path}/materials`, {
    ...auth,
    body: { kind: 'commitment', fileName: '信用承诺书.pdf', contentType: 'application/pdf' },
  });
  expect(requested.status).toBe(200);
  const { upload, material } = requested.body;
  const put = await fetch(upload.url, {
    method: 'PUT',
    headers: upload.headers,
    body: '%PDF-1.7 信用承诺书',
  });
  expect(put.status).toBe(200);
  return { upload, material };
}

describe('Credit repair through the local stack', () => {
  it('refuses an application before minEligibleDate with 422 problem+json naming the date', async () => {
    const response = await call('POST', '/public/v1/repair-applications', {
      body: application(ids.tooEarly!),
    });
    expect(response.status).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toMatchObject({ code: 'REPAIR_NOT_YET_ELIGIBLE', minEligibleDate: '2026-06-16' });
  });

  it('takes a public application, a presigned upload, and the credit office intake, with due dates on the calendar', async () => {
    const body = application(ids.eligible!);
    const created = await call('POST', '/public/v1/repair-applications', { body, idempotencyKey: 'apply-1' });
    const replay = await call('POST', '/public/v1/repair-applications', { body, idempotencyKey: 'apply-1' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'DRAFT',
      ruleSet: 'order-36',
      minEligibleDate: '2026-04-11',
      decidingAgency: 'SCJG',
    });
    expect([replay.status, replay.body]).toEqual([200, created.body]);
    const { applicationNo, secret } = created.body;
    ids.applicationNo = applicationNo;
    ids.secret = secret;
    const path = `/public/v1/repair-applications/${applicationNo}`;

    const { material } = await uploadCommitment(path, { secret });
    const stored = await stack().clients.s3.send(
      new GetObjectCommand({
        Bucket: stack().config.bucketName,
        Key: bucketLayout.repairMaterialKey(applicationNo, material.materialId),
      }),
    );
    expect(await stored.Body?.transformToString('utf8')).toBe('%PDF-1.7 信用承诺书');

    const submitted = await call('POST', `${path}/submit`, { secret });
    expect(submitted.body.application).toMatchObject({
      status: 'SUBMITTED',
      applicantReplyDueAt: '2026-05-18',
    });
    expect(
      (await call('POST', `/v1/repair-applications/${applicationNo}/accept`, { key: 'SCJG' })).status,
    ).toBe(403);
    expect(
      (await call('POST', `/v1/repair-applications/${applicationNo}/accept`, { key: 'XYB' })).status,
    ).toBe(200);
    const forwarded = await call('POST', `/v1/repair-applications/${applicationNo}/forward`, {
      key: 'XYB',
      idempotencyKey: 'fwd-1',
    });
    expect(forwarded.body.application).toMatchObject({
      status: 'FORWARDED_TO_AUTHORITY',
      authorityDecisionDueAt: '2026-05-08',
      applicantReplyDueAt: '2026-05-18',
      ruleSet: 'order-36',
    });

    const followed = await call('GET', path, { secret });
    expect(followed.body).toMatchObject({
      status: 'FORWARDED_TO_AUTHORITY',
      statusLabel: '认定单位办理中',
      applicantReplyDueAt: '2026-05-18',
    });
    expect((await call('GET', path)).status).toBe(404);
    expect((await call('GET', path, { secret: 'wrong' })).status).toBe(404);
  });

  it('approval by the source agency stops the record at once: gone from the public view, history kept, watchers alerted', async () => {
    const no = ids.applicationNo!;
    const publicRecord = `/public/v1/subjects/${company}/records/${ids.eligible}`;
    expect((await call('GET', publicRecord)).status).toBe(200);
    expect(
      (
        await call('POST', '/v1/watches', {
          key: 'ZJJ',
          body: { subject: { code: company }, caseRef: 'ZB-2026-7' },
        })
      ).status,
    ).toBe(201);
    stack().emulators.eventBridge.clear();

    const decision = { decision: 'APPROVED', reason: '已履行全部法定义务并提交信用承诺书' };
    expect(
      (await call('POST', `/v1/repair-applications/${no}/decision`, { key: 'SWJ', body: decision })).status,
    ).toBe(403);
    const approved = await call('POST', `/v1/repair-applications/${no}/decision`, {
      key: 'SCJG',
      body: decision,
      idempotencyKey: 'dec-1',
    });
    expect(approved.body.application).toMatchObject({
      status: 'PUBLICATION_STOPPED',
      decision: 'APPROVED',
      decisionBy: 'SCJG',
    });
    const again = await call('POST', `/v1/repair-applications/${no}/decision`, {
      key: 'SCJG',
      body: decision,
      idempotencyKey: 'dec-1',
    });
    expect(again.body).toEqual(approved.body);

    expect((await call('GET', publicRecord)).status).toBe(404);
    const page = await call('GET', `/public/v1/subjects/${company}`);
    expect(page.body.penalties.map((p: { id: string }) => p.id)).not.toContain(ids.eligible);

    const item = (await subjectPartition(stack(), `USCC#${company}`)).find(
      (candidate) => candidate.recordId === ids.eligible && candidate.type === 'admin-penalty',
    );
    expect(item).toMatchObject({
      publicationStatus: 'STOPPED',
      sharingStatus: 'STOPPED',
      repair: { applicationNo: no, decidedBy: 'SCJG' },
    });

    const audited = await call('GET', `/v1/repair-applications/${no}`, { key: 'XYB' });
    const approval = audited.body.history.find((entry: { action: string }) => entry.action === 'approve');
    expect(approval).toMatchObject({
      from: 'FORWARDED_TO_AUTHORITY',
      to: 'APPROVED',
      by: { agencyCode: 'SCJG' },
      reason: decision.reason,
    });
    expect(
      audited.body.history.filter((entry: { action: string }) => entry.action === 'approve'),
    ).toHaveLength(1);

    const events = stack().emulators.eventBridge.events();
    expect(events.filter((event) => event.detailType === 'credit.repair.decided')).toMatchObject([
      {
        source: 'joint-credit.repair',
        detail: { applicationNo: no, decision: 'APPROVED', publicationStatus: 'STOPPED' },
      },
    ]);
    // Events are at-least-once with stable ids: a screening of the subject running at the same moment
    // may sweep the alert's outbox entry too, so the watcher's consumer dedupes on alertId.
    const repairedEvents = events.filter((event) => event.detailType === 'credit.repaired');
    const byAlertId = new Map(repairedEvents.map((event) => [event.detail.alertId, event]));
    expect([...byAlertId.values()]).toMatchObject([
      { detail: { agencyCode: 'ZJJ', change: 'credit-repaired', repair: { applicationNo: no } } },
    ]);
    const alerts = await call('GET', '/v1/alerts', { key: 'ZJJ' });
    // The list entry's own screening may also have told the watcher (hit-started): only repairs count here.
    const repairedAlerts = alerts.body.items.filter(
      (alert: { change: string }) => alert.change === 'credit-repaired',
    );
    expect(repairedAlerts).toMatchObject([{ change: 'credit-repaired', hit: { entryId: ids.eligible } }]);
  });

  it('a repaired list entry gives no hit in POST /v1/checks, and the repaired penalty is no record in display', async () => {
    const check = () => call('POST', '/v1/checks', { key: 'SCJG', body: { subject: { code: company } } });
    const before = await check();
    expect(before.body.hits.map((hit: { entryId: string }) => hit.entryId)).toEqual([ids.listEntry]);
    expect(before.body.records.map((record: { recordId: string }) => record.recordId)).not.toContain(
      ids.eligible,
    );

    const registered = await call('POST', '/v1/repair-applications', {
      key: 'XYB',
      body: { ...application(ids.listEntry!, 'list-entry'), channel: 'window' },
    });
    expect(registered.status).toBe(201);
    const path = `/v1/repair-applications/${registered.body.applicationNo}`;
    await uploadCommitment(path, { key: 'XYB' });
    for (const step of ['submit', 'accept', 'forward'])
      expect((await call('POST', `${path}/${step}`, { key: 'XYB' })).status).toBe(200);
    const decided = await call('POST', `${path}/decision`, {
      key: 'SWJ',
      body: { decision: 'APPROVED', reason: '已纠正失信行为' },
    });
    expect(decided.body.application.status).toBe('PUBLICATION_STOPPED');

    const after = await check();
    expect(after.status).toBe(201);
    expect(after.body.hits).toEqual([]);
    expect(after.body.measures ?? []).toEqual([]);
  });

  it('a denial keeps the record public and stores the reason; an undecided case is overdue in the deadlines run', async () => {
    const created = await call('POST', '/public/v1/repair-applications', { body: application(ids.overdue!) });
    const { applicationNo, secret } = created.body;
    const path = `/public/v1/repair-applications/${applicationNo}`;
    await uploadCommitment(path, { secret });
    await call('POST', `${path}/submit`, { secret });
    for (const step of ['accept', 'forward'])
      await call('POST', `/v1/repair-applications/${applicationNo}/${step}`, { key: 'XYB' });

    // The deadlines run covers the real yesterday, long after 2026-05-08 and 2026-05-18.
    stack().emulators.eventBridge.clear();
    const report = (await stack().fireSchedule('deadlines')) as {
      items: { type: string; agencyCode: string; reference: string; dueDate: string }[];
    };
    const mine = report.items.filter((item) => item.reference === applicationNo);
    expect(mine.map((item) => [item.type, item.agencyCode, item.dueDate]).sort()).toEqual([
      ['repair-decision-overdue', 'SCJG', '2026-05-08'],
      ['repair-decision-overdue', 'XYB', '2026-05-08'],
      ['repair-reply-overdue', 'XYB', '2026-05-18'],
    ]);
    const notice = stack()
      .emulators.eventBridge.events()
      .find((event) => event.detailType === 'credit.deadlines.overdue' && event.detail.agencyCode === 'XYB');
    expect(JSON.stringify(notice?.detail)).toContain(applicationNo);

    const denied = await call('POST', `/v1/repair-applications/${applicationNo}/decision`, {
      key: 'SCJG',
      body: { decision: 'DENIED', reason: '罚款尚未缴清' },
    });
    expect(denied.body.application).toMatchObject({ status: 'DENIED', decisionReason: '罚款尚未缴清' });
    expect((await call('GET', `/public/v1/subjects/${company}/records/${ids.overdue}`)).status).toBe(200);
    expect((await call('GET', path, { secret })).body).toMatchObject({
      status: 'DENIED',
      decisionReason: '罚款尚未缴清',
    });
  });
});
