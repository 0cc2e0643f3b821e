import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { schemaFor } from '#lib/datasets/index';
import { type AcceptedRow, type IngestFileInput, ingestFile } from '#lib/ingest/ingest-file';
import {
  codes,
  csv,
  jsonLines,
  licenceHeader,
  licenceRow,
  penaltyHeader,
  penaltyRow,
  streamOf,
  xlsxBuffer,
} from '#test/support/csv-fixtures';

const agency = { code: 'SCJG', name: '江门市市场监督管理局', uscc: codes.agencyUscc };

async function ingest(body: string | Buffer, options: Partial<Omit<IngestFileInput, 'body' | 'sink'>> = {}) {
  const stored: AcceptedRow[] = [];
  const outcome = await ingestFile({
    schema: schemaFor('admin-penalty'),
    body: streamOf(body, 4096),
    context: { agency, today: '2026-11-24' },
    receivedDate: '2026-11-20',
    sink: { write: async (rows) => void stored.push(...rows) },
    batchSize: 2,
    ...options,
  });
  return { outcome, stored };
}

const rows = [penaltyHeader, penaltyRow(), penaltyRow({ CF_WSH: 'A-2', CF_NR_FK: '0.5' })];

describe('Function: ingestFile (formats)', () => {
  it('stores the same records from CSV UTF-8, CSV GBK, XLSX and JSON Lines', async () => {
    const results = {
      'csv-utf8': await ingest(csv(rows)),
      'csv-utf8-bom': await ingest(`\uFEFF${csv(rows)}`),
      'csv-gbk': await ingest(iconv.encode(csv(rows), 'gbk')),
      xlsx: await ingest(await xlsxBuffer(rows)),
      jsonl: await ingest(jsonLines(rows)),
    };
    const reference = results['csv-utf8'].stored.map((row) => row.record);
    expect(reference).toHaveLength(2);
    for (const [name, { outcome, stored }] of Object.entries(results)) {
      expect({ name, errors: outcome.fileErrors }).toEqual({ name, errors: [] });
      expect(stored.map((row) => row.record)).toEqual(reference);
    }
    expect(results['csv-gbk'].outcome).toMatchObject({ format: 'csv', encoding: 'gb18030' });
    expect(results.xlsx.outcome).toMatchObject({ format: 'xlsx', encoding: null });
    expect(results.jsonl.outcome).toMatchObject({ format: 'jsonl', encoding: 'utf-8' });
    expect(results.jsonl.stored.map((row) => row.row)).toEqual([1, 2]);
  });

  it('maps JSON keys given as Chinese names or aliases and warns about unknown keys', async () => {
    const line = {
      行政相对人名称: '江门市恒信贸易有限公司',
      subject_category: '法人及非法人组织',
      统一社会信用代码: codes.otherCompanyUscc,
      CF_WSH: 'J-1',
      违法行为类型: '未公示年报',
      违法事实: '未按期公示',
      处罚依据: '《企业信息公示暂行条例》',
      处罚类别: '警告',
      处罚内容: '警告',
      处罚决定日期: '2026-11-13',
      处罚有效期: '2026-12-13',
      处罚机关: '江门市市场监督管理局',
      issuer_code: codes.agencyUscc,
      数据来源单位: '江门市市场监督管理局',
      source_code: codes.agencyUscc,
      内部编号: 'X-9',
      fine: 3,
    };
    const { outcome, stored } = await ingest(`${JSON.stringify(line)}\n`);
    expect(stored).toHaveLength(1);
    expect(outcome.status).toBe('completed');
    expect(outcome.warnings).toEqual([
      { code: 'UNKNOWN_COLUMNS', reason: expect.stringContaining('内部编号, fine') },
    ]);
  });

  it('reports a missing required JSON key as a REQUIRED issue on the row', async () => {
    const { outcome } = await ingest(`${JSON.stringify({ CF_XDR_MC: '江门市恒信贸易有限公司' })}\n`);
    expect(outcome.rejectedRows[0]!.issues.map((issue) => issue.field)).toContain('CF_JDRQ');
  });

  it('reads a named worksheet through the file-name convention', async () => {
    const buffer = await xlsxBuffer(rows, { sheet: '处罚', before: ['填报说明'] });
    const { stored } = await ingest(buffer, { fileName: 'incoming/SCJG/admin-penalty/2026-11@处罚.xlsx' });
    expect(stored).toHaveLength(2);
    const missing = await ingest(buffer, { fileName: '2026-11@许可.xlsx' });
    expect(missing.outcome).toMatchObject({ status: 'rejected', fileErrors: [{ code: 'SHEET_NOT_FOUND' }] });
  });
});

describe('Function: ingestFile (hostile input)', () => {
  it('rejects a 10,000-character cell with TOO_LONG and quotes it back clipped', async () => {
    const { outcome, stored } = await ingest(
      csv([penaltyHeader, penaltyRow({ CF_SY: '违'.repeat(10_000) }), penaltyRow({ CF_WSH: 'A-2' })]),
    );
    expect(stored.map((row) => row.row)).toEqual([3]);
    const issue = outcome.rejectedRows[0]!.issues[0]!;
    expect(issue).toMatchObject({
      field: 'CF_SY',
      code: 'TOO_LONG',
      reason: '10000 characters; at most 2000 allowed',
    });
    expect(issue.value.length).toBeLessThan(300);
    expect(issue.value).toContain('(10000 characters)');
  });

  it('stores formula-like cells exactly as received', async () => {
    const { stored } = await ingest(
      csv([
        penaltyHeader,
        penaltyRow({ CF_SY: "=cmd|' /C calc'!A0", CF_NR: '+SUM(1)', CF_YJ: '-2+3', BZ: '@x' }),
      ]),
    );
    expect(stored[0]!.record).toMatchObject({
      facts: "=cmd|' /C calc'!A0",
      content: '+SUM(1)',
      basis: '-2+3',
    });
  });

  it('rejects a header of a million columns without reading it', async () => {
    const before = process.memoryUsage().heapUsed;
    const { outcome, stored } = await ingest(`${'CF_XDR_MC,'.repeat(1_000_000)}\n1,2\n`);
    expect(stored).toEqual([]);
    expect(outcome.status).toBe('rejected');
    expect(outcome.fileErrors[0]).toMatchObject({ code: 'RECORD_TOO_LONG' });
    expect(outcome.fileErrors[0]!.reason).toContain('header row');
    // The 10 MB line was never held whole.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('rejects a data line of a million columns and reads the rows after it', async () => {
    const { outcome, stored } = await ingest(
      `${csv([penaltyHeader, penaltyRow()])}${','.repeat(1_000_000)}\r\n${csv([penaltyRow({ CF_WSH: 'A-3' })])}`,
    );
    expect(stored.map((row) => row.row)).toEqual([2, 4]);
    expect(outcome.rejectedRows).toMatchObject([{ row: 3, issues: [{ code: 'RECORD_TOO_LONG' }] }]);
    expect(outcome.status).toBe('partial');
  });

  it('rejects a row with more columns than any template has', async () => {
    const wide = [...penaltyRow({ CF_WSH: 'W-1' }), ...Array.from({ length: 600 }, () => 'x')];
    const { outcome } = await ingest(csv([penaltyHeader, wide]));
    expect(outcome.rejectedRows).toMatchObject([{ row: 2, issues: [{ code: 'TOO_MANY_COLUMNS' }] }]);
  });

  it('rejects a file that is neither UTF-8 nor GB18030', async () => {
    const { outcome } = await ingest(
      Buffer.concat([Buffer.from('CF_XDR_MC,CF_WSH\n'), Buffer.from([0xff, 0xfe, 0xff, 0x0a])]),
    );
    expect(outcome).toMatchObject({ status: 'rejected', fileErrors: [{ code: 'UNDECODABLE' }] });
  });

  it('rejects UTF-16 text naming the encoding', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv(rows), 'utf16le')]);
    const { outcome } = await ingest(utf16);
    expect(outcome.fileErrors).toMatchObject([
      { code: 'UNSUPPORTED_ENCODING', reason: expect.stringContaining('UTF-16') },
    ]);
  });

  it('rejects a row with invalid UTF-8 bytes far into a UTF-8 file', async () => {
    const good = csv([
      penaltyHeader,
      ...Array.from({ length: 300 }, (_, i) => penaltyRow({ CF_WSH: `G-${i}` })),
    ]);
    const bad = Buffer.from(csv([penaltyRow({ CF_WSH: 'BAD', CF_SY: 'x' })]).replace('x', '\u0001'));
    bad[bad.indexOf(0x01)] = 0xff;
    const { outcome, stored } = await ingest(Buffer.concat([Buffer.from(good), bad]));
    expect(Buffer.byteLength(good)).toBeGreaterThan(64 * 1024);
    expect(stored).toHaveLength(300);
    expect(outcome.rejectedRows).toMatchObject([
      { row: 302, issues: [{ field: 'CF_SY', code: 'ENCODING' }] },
    ]);
  });
});

describe('Function: ingestFile (first arrival)', () => {
  const file = csv([licenceHeader, licenceRow()]);
  const licence = schemaFor('admin-license');

  it('keeps an on-time record on time when a correction arrives after the due date', async () => {
    const { stored, outcome } = await ingest(file, {
      schema: licence,
      receivedDate: '2026-11-30',
      priorArrivals: async (rows) =>
        new Map(
          rows.map((row) => [
            row.businessKey,
            { receivedAt: '2026-11-20T02:00:00.000Z', receivedDate: '2026-11-20' },
          ]),
        ),
    });
    expect(stored[0]).toMatchObject({
      late: false,
      dueDate: '2026-11-23',
      firstArrival: { receivedDate: '2026-11-20' },
    });
    expect(outcome.counts.late).toBe(0);
  });

  it('keeps a late record late when a correction arrives', async () => {
    const { stored, outcome } = await ingest(file, {
      schema: licence,
      receivedDate: '2026-11-20',
      priorArrivals: async (rows) =>
        new Map(
          rows.map((row) => [
            row.businessKey,
            { receivedAt: '2026-11-25T02:00:00.000Z', receivedDate: '2026-11-25' },
          ]),
        ),
    });
    expect(stored[0]).toMatchObject({ late: true });
    expect(outcome.counts.late).toBe(1);
  });
});
