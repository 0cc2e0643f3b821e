import { GetObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { codes, csv, penaltyCsv, penaltyHeader, penaltyRow, xlsxBuffer } from '#test/support/csv-fixtures';
import { registerAgency, subjectPartition } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';
import { ingestAndReport as ingestFile } from './report-fixture';

const stack = useLocalStack();
const AGENCY = 'HOSTILE';
let registered = false;

async function drop(fileName: string, body: string | Buffer) {
  if (!registered) {
    await registerAgency(stack(), AGENCY);
    registered = true;
  }
  return ingestFile(stack(), AGENCY, 'admin-penalty', fileName, body);
}

async function readText(key: string): Promise<string> {
  const result = await stack().clients.s3.send(
    new GetObjectCommand({ Bucket: stack().config.bucketName, Key: key }),
  );
  return result.Body!.transformToString('utf8');
}

describe('Path: hostile and broken files each get a clear report', () => {
  it('zero bytes', async () => {
    const report = await drop('empty.csv', Buffer.alloc(0));
    expect(report).toMatchObject({ status: 'rejected', fileErrors: [{ code: 'EMPTY_FILE' }] });
  });

  it('binary content', async () => {
    const png = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
    ]);
    const report = await drop('image.csv', png);
    expect(report).toMatchObject({ status: 'rejected', counts: { rows: 0, accepted: 0 } });
    expect(report.fileErrors).toEqual([
      { code: 'BINARY_CONTENT', reason: expect.stringContaining('binary') },
    ]);
  });

  it('a truncated CSV: the rows before the cut are applied and the report says which', async () => {
    const body = `${penaltyCsv([{ CF_WSH: 'T-1' }, { CF_WSH: 'T-2' }])}"江门市,法人及非法人组织`;
    const report = await drop('truncated.csv', body);
    expect(report).toMatchObject({
      status: 'partial',
      counts: { rows: 3, accepted: 2, rejected: 1 },
      appliedRows: { from: 2, to: 3 },
      rejectedRows: [{ row: 4, issues: [{ code: 'CSV_CSV_QUOTE_NOT_CLOSED' }] }],
    });
  });

  it('a truncated XLSX', async () => {
    const buffer = await xlsxBuffer([penaltyHeader, penaltyRow({ CF_WSH: 'TX-1' })]);
    const report = await drop('truncated.xlsx', buffer.subarray(0, Math.floor(buffer.length * 0.6)));
    expect(report).toMatchObject({
      status: 'rejected',
      counts: { accepted: 0 },
      fileErrors: [{ code: 'XLSX_UNREADABLE' }],
    });
  });

  it('UTF-16 text', async () => {
    const body = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(penaltyCsv([{ CF_WSH: 'U-1' }]), 'utf16le'),
    ]);
    const report = await drop('utf16.csv', body);
    expect(report.fileErrors).toEqual([
      { code: 'UNSUPPORTED_ENCODING', reason: expect.stringContaining('UTF-16') },
    ]);
  });

  it('bytes that are neither UTF-8 nor GB18030', async () => {
    const body = Buffer.concat([
      Buffer.from(`${penaltyHeader.join(',')}\r\n`),
      Buffer.from([0xff, 0xff, 0xff, 0x2c]),
    ]);
    const report = await drop('undecodable.csv', body);
    expect(report).toMatchObject({ status: 'rejected', fileErrors: [{ code: 'UNDECODABLE' }] });
    expect(report.fileErrors[0].reason).toContain('neither valid UTF-8 nor GBK/GB18030');
  });

  it('no header row', async () => {
    const report = await drop('no-header.csv', csv([penaltyRow({ CF_WSH: 'N-1' })]));
    expect(report).toMatchObject({ status: 'rejected', fileErrors: [{ code: 'NO_HEADER' }] });
  });

  it('unknown columns are a warning, not fatal', async () => {
    const report = await drop(
      'extra-columns.csv',
      csv([
        [...penaltyHeader, '内部编号', 'CF_XX'],
        [...penaltyRow({ CF_WSH: 'E-1' }), 'A-17', 'x'],
      ]),
    );
    expect(report).toMatchObject({
      status: 'completed',
      counts: { accepted: 1 },
      columns: { unknown: ['内部编号', 'CF_XX'] },
      warnings: [{ code: 'UNKNOWN_COLUMNS', reason: expect.stringContaining('内部编号, CF_XX') }],
    });
  });

  it('formula-injection cells are stored as received and neutralised in the rejected-rows CSV', async () => {
    const report = await drop(
      'formulas.csv',
      csv([
        penaltyHeader,
        penaltyRow({ CF_WSH: 'F-1', CF_SY: "=cmd|' /C calc'!A0", CF_NR: '+1+1', CF_YJ: '@SUM(A1)' }),
        penaltyRow({ CF_WSH: 'F-2', CF_XDR_SHXYM: '=HYPERLINK("http://x")' }),
        penaltyRow({ CF_WSH: 'F-3', CF_JDRQ: '-2026/11/12' }),
      ]),
    );
    expect(report.counts).toMatchObject({ accepted: 1, rejected: 2 });
    const items = await subjectPartition(stack(), `USCC#${codes.companyUscc}`);
    expect(items.find((item) => item.record?.documentNumber === 'F-1')).toMatchObject({
      record: { facts: "=cmd|' /C calc'!A0", content: '+1+1', basis: '@SUM(A1)' },
    });
    expect(report.rejectedRows[0].issues[0]).toMatchObject({ value: '=HYPERLINK("http://x")' });
    const rejectedCsv = await readText(report.rejectedRowsCsvKey);
    expect(rejectedCsv).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(rejectedCsv).toContain("'-2026/11/12");
    expect(rejectedCsv).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('a 10,000-character cell is TOO_LONG on its row; the other rows are stored', async () => {
    const report = await drop(
      'long-cell.csv',
      csv([
        penaltyHeader,
        penaltyRow({ CF_WSH: 'L-1', CF_SY: '违'.repeat(10_000) }),
        penaltyRow({ CF_WSH: 'L-2' }),
      ]),
    );
    expect(report).toMatchObject({ status: 'completed', counts: { rows: 2, accepted: 1, rejected: 1 } });
    expect(report.rejectedRows[0]).toMatchObject({
      row: 2,
      issues: [{ field: 'CF_SY', code: 'TOO_LONG', reason: '10000 characters; at most 2000 allowed' }],
    });
  });

  it('a million columns on one line: the header is refused with a clear reason', async () => {
    const report = await drop('wide-header.csv', `${'CF_XDR_MC,'.repeat(1_000_000)}\r\n1,2\r\n`);
    expect(report).toMatchObject({ status: 'rejected', counts: { accepted: 0 } });
    expect(report.fileErrors).toEqual([
      {
        code: 'RECORD_TOO_LONG',
        reason: expect.stringContaining('the header row (row 1) could not be read'),
      },
    ]);
  });

  it('a million columns on a data line: that record is rejected and the next rows are read', async () => {
    const body = `${csv([penaltyHeader, penaltyRow({ CF_WSH: 'W-1' })])}${','.repeat(1_000_000)}\r\n${csv([penaltyRow({ CF_WSH: 'W-2' })])}`;
    const report = await drop('wide-row.csv', body);
    expect(report).toMatchObject({
      status: 'partial',
      counts: { rows: 3, accepted: 2, rejected: 1 },
      rejectedRows: [{ row: 3, issues: [{ code: 'RECORD_TOO_LONG' }] }],
    });
  });
});
