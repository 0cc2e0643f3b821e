import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoRecordWriter, recordTable } from '#lib/aws/record-writer';
import { clockOf } from '#lib/clock/clock';
import { codes, csv, listEntryHeader, listEntryRow } from '#test/support/csv-fixtures';
import { ingestText } from '#test/unit/datasets/support';
import { penaltiesFile } from '../public/fixtures';
import { apiHandlerWithClock } from '../support/api-handler';
import { ingestFile, loadListTypes, registerAgency, subjectPartition } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';

// biome-ignore lint/suspicious/noExplicitAny: API answers are read as loose JSON
type Json = Record<string, any>;

/**
 * A correction made by an upheld objection survives the source re-sending the value found wrong:
 * a 罚款金额 and a 列入原因 are corrected through the objection workflow, the agencies' next files
 * carry the old values (the record keeps the correction, the report flags the row, the history
 * version holds what was sent), and then new values (they apply, the correction ends).
 */
const api = apiHandlerWithClock(clockOf(() => new Date('2026-04-30T02:00:00Z')));
const stack = useLocalStack({ handlers: { api } });
const keys: Record<string, string> = {};
const ids: Record<string, string> = {};
const objections: Record<string, string> = {};
const company = codes.companyUscc;
const penalty = { CF_WSH: '江市监罚〔2026〕51号', CF_JDRQ: '2026/03/10' };
const listed = { 列入日期: '2025/03/18', 有效期至: '2028/03/17' };
const CODE = 'CORRECTED_BY_OBJECTION_KEPT';

async function call(method: string, path: string, options: { key?: string; body?: unknown } = {}) {
  const response = await stack().api.request(method, path, {
    headers: {
      ...(options.key ? { authorization: `Bearer ${keys[options.key]}` } : {}),
      ...(options.body ? { 'content-type': 'application/json' } : {}),
    },
    ...(options.body ? { body: JSON.stringify(options.body) } : {}),
  });
  return { status: response.status, body: JSON.parse(response.body || '{}') as Json };
}

/**
 * The record's row, and a row of another record making each file's content new (the same bytes
 * again are refused as a duplicate file).
 */
let files = 0;
function penaltyFile(fine: string) {
  files += 1;
  const other = { CF_WSH: `江市监罚〔2026〕${60 + files}号`, CF_JDRQ: '2026/03/11' };
  return penaltiesFile([{ ...penalty, CF_NR_FK: fine }, other]);
}
function listFile(reason: string) {
  files += 1;
  const other = { 列入日期: `2024/03/${10 + files}`, 有效期至: '2027/03/17', 列入原因: '逃避追缴欠税' };
  return csv([listEntryHeader, listEntryRow({ ...listed, 列入原因: reason }), listEntryRow(other)]);
}

async function partition() {
  return subjectPartition(stack(), `USCC#${company}`);
}

async function currentOf(id: string) {
  return (await partition()).find(
    (item) =>
      (String(item.sk).startsWith('RECORD#') || String(item.sk).startsWith('LIST#')) &&
      (item.recordId === id || item.entryId === id),
  );
}

/** The records' history versions, newest last (by arrival). */
async function versionsOf(dataset: string, id: string) {
  return (await partition())
    .filter((item) => String(item.sk).startsWith(`HISTORY#${dataset}#${id}#`))
    .sort((a, b) => String(a.receivedAt).localeCompare(String(b.receivedAt)));
}

async function ingested(agency: string, dataset: string, name: string, body: string) {
  const report = await ingestFile(stack(), agency, dataset, name, body);
  expect(report).toMatchObject({ status: 'completed', counts: { accepted: 2, rejected: 0 } });
  return report;
}

/** Filed by the subject, accepted and forwarded by the credit office, answered CORRECTED by the source. */
async function correctByObjection(dataset: string, recordId: string, claim: Json, agency: string) {
  const filed = await call('POST', '/public/v1/objections', {
    body: {
      subjectCode: company,
      contact: { name: '陈小明', phone: '13800138000' },
      record: { dataset, recordId },
      claim,
      evidence: '原始决定书载明的内容与公示不符',
    },
  });
  expect(filed.status).toBe(201);
  const path = `/v1/objections/${filed.body.applicationNo}`;
  expect((await call('POST', `${path}/acceptance`, { key: 'XYB' })).status).toBe(200);
  expect((await call('POST', `${path}/forwarding`, { key: 'XYB' })).status).toBe(200);
  const answered = await call('POST', `${path}/answer`, {
    key: agency,
    body: { outcome: 'CORRECTED', reason: '核实原录入有误' },
  });
  expect(answered.body).toMatchObject({ status: 'CLOSED', outcome: 'CORRECTED' });
  return String(filed.body.applicationNo);
}

beforeAll(async () => {
  keys.XYB = await registerAgency(stack(), 'XYB', '11440700MB2E345657', ['credit-office']);
  keys.SCJG = await registerAgency(stack(), 'SCJG');
  keys.SWJ = await registerAgency(stack(), 'SWJ', '11440700MB2C123480');
  await loadListTypes(stack());
  await ingested('SCJG', 'admin-penalty', 'kept-penalty.csv', penaltyFile('8'));
  await ingested('SWJ', 'list-entry', 'kept-list.csv', listFile('虚开增值税专用发票'));
  for (const item of await partition()) {
    const record = item.record as Json | undefined;
    if (item.type === 'admin-penalty' && record?.documentNumber === penalty.CF_WSH)
      ids.penalty = String(item.recordId);
    if (item.type === 'list-entry' && record?.listedOn === '2025-03-18') ids.entry = String(item.entryId);
  }
  objections.penalty = await correctByObjection(
    'admin-penalty',
    ids.penalty!,
    { field: 'CF_NR_FK', currentValue: '8', assertedValue: '0.8' },
    'SCJG',
  );
  objections.entry = await correctByObjection(
    'list-entry',
    ids.entry!,
    { field: '列入原因', currentValue: '虚开增值税专用发票', assertedValue: '未按规定取得发票' },
    'SWJ',
  );
  expect((await currentOf(ids.penalty!))?.record).toMatchObject({ fineAmount: 0.8 });
  expect((await currentOf(ids.entry!))?.record).toMatchObject({ reason: '未按规定取得发票' });
}, 240_000);

describe('A correction by objection and the source re-submitting the record', () => {
  it('the old value sent again: the correction stays, the report flags the row with the field, the version holds what was sent', async () => {
    const penaltyReport = await ingested('SCJG', 'admin-penalty', 'kept-penalty-again.csv', penaltyFile('8'));
    const listReport = await ingested(
      'SWJ',
      'list-entry',
      'kept-list-again.csv',
      listFile('虚开增值税专用发票'),
    );

    expect((await currentOf(ids.penalty!))?.record).toMatchObject({ fineAmount: 0.8 });
    expect((await currentOf(ids.entry!))?.record).toMatchObject({ reason: '未按规定取得发票' });
    const view = await call('GET', `/public/v1/subjects/${company}/records/${ids.penalty}`);
    expect(view.body.record).toMatchObject({ fineAmount: 0.8 });
    expect(penaltyReport.flaggedRows.filter((row: Json) => row.flags.includes(CODE))).toEqual([
      expect.objectContaining({
        correctionsKept: [{ field: 'CF_NR_FK', name: expect.any(String), objectionId: objections.penalty }],
      }),
    ]);
    expect(listReport.flaggedRows.filter((row: Json) => row.flags.includes(CODE))).toEqual([
      expect.objectContaining({
        correctionsKept: [{ field: '列入原因', name: '列入原因', objectionId: objections.entry }],
      }),
    ]);
    const versions = await versionsOf('admin-penalty', ids.penalty!);
    expect(versions.at(-1)?.record).toMatchObject({ fineAmount: 8 });
    expect(versions.at(-1)?.correctedByObjection).toBeUndefined();
  }, 180_000);

  it('a correction made after ingestion read the record is not lost: the conditional write fails, is read again and keeps it', async () => {
    const { documentClient } = stack().clients;
    const table = recordTable(documentClient, stack().config.tableName);
    let reads = 0;
    // The first read is of the record before the correction (as if the objection committed between read and write).
    const writer = new DynamoRecordWriter({
      ...table,
      storedCurrent: async (keys) => {
        reads += 1;
        const stored = await table.storedCurrent(keys);
        return reads === 1 ? new Map([...stored.keys()].map((key) => [key, {}])) : stored;
      },
    });
    const { stored } = await ingestText('admin-penalty', penaltiesFile([{ ...penalty, CF_NR_FK: '8' }]));

    const result = await writer.write(stored, {
      agencyCode: 'SCJG',
      jobId: 'job-race',
      sourceKey: 'incoming/SCJG/admin-penalty/race.csv',
      receivedAt: '2026-05-20T02:00:00.000Z',
      receivedDate: '2026-05-20',
    });

    expect(reads).toBe(2);
    expect(result.correctionsKept).toEqual([
      { row: stored[0]!.row, corrections: [{ field: 'fineAmount', objectionId: objections.penalty }] },
    ]);
    expect((await currentOf(ids.penalty!))?.record).toMatchObject({ fineAmount: 0.8 });
  }, 60_000);

  it('a new value from the source applies as a new version, without a flag, and ends the correction', async () => {
    const penaltyReport = await ingested('SCJG', 'admin-penalty', 'kept-penalty-new.csv', penaltyFile('1.2'));
    const listReport = await ingested('SWJ', 'list-entry', 'kept-list-new.csv', listFile('逃避追缴欠税'));

    const current = await currentOf(ids.penalty!);
    expect(current?.record).toMatchObject({ fineAmount: 1.2 });
    expect(current).not.toHaveProperty('objectionCorrections');
    expect((await currentOf(ids.entry!))?.record).toMatchObject({ reason: '逃避追缴欠税' });
    for (const report of [penaltyReport, listReport])
      expect(report.flaggedRows.filter((row: Json) => row.flags.includes(CODE))).toEqual([]);

    // The correction has ended: the old value sent once more is the source's new version.
    await ingested('SCJG', 'admin-penalty', 'kept-penalty-back.csv', penaltyFile('8'));
    expect((await currentOf(ids.penalty!))?.record).toMatchObject({ fineAmount: 8 });
  }, 180_000);
});
