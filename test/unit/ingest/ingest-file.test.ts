import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { schemaFor } from '#lib/datasets/index';
import { type AcceptedRow, ingestCsv } from '#lib/ingest/ingest-file';
import {
  codes,
  csv,
  listEntryHeader,
  listEntryRow,
  penaltyCsv,
  streamOf,
  testListTypeRules,
} from '#test/support/csv-fixtures';

const agency = { code: 'SCJG', name: '江门市市场监督管理局', uscc: codes.agencyUscc };
/** The tax bureau decides the tax black list (testListTypeRules). */
const taxBureau = { code: 'SWJ', name: '国家税务总局江门市税务局', uscc: '11440700MB2C123480' };

async function ingest(
  body: string | Buffer,
  dataset: 'admin-penalty' | 'list-entry' = 'admin-penalty',
  receivedDate = '2026-11-20',
) {
  const stored: AcceptedRow[] = [];
  const outcome = await ingestCsv({
    schema: schemaFor(dataset),
    body: streamOf(body),
    context: {
      agency: dataset === 'list-entry' ? taxBureau : agency,
      today: '2026-11-24',
      listTypes: testListTypeRules,
    },
    receivedDate,
    sink: { write: async (rows) => void stored.push(...rows) },
    batchSize: 2,
  });
  return { outcome, stored };
}

describe('Function: ingestCsv', () => {
  it('stores valid rows and reports each invalid row with its number, field, value and reason', async () => {
    // Prepare
    const body = penaltyCsv([
      {},
      { CF_WSH: 'A-2', CF_XDR_SHXYM: '91440703MA4W12346X' },
      { CF_WSH: 'A-3', CF_CFLB: '罚款', CF_NR_FK: '' },
      { CF_WSH: 'A-4', CF_JDRQ: '2026/13/01' },
    ]);
    // Act
    const { outcome, stored } = await ingest(body);
    // Assess
    expect(outcome.counts).toEqual({
      rows: 4,
      accepted: 1,
      rejected: 3,
      duplicate: 0,
      late: 0,
      pendingCalendar: 0,
      publishedOnTime: 1,
      publishedLate: 0,
      publishedPendingCalendar: 0,
      notPublishable: 0,
    });
    expect(stored.map((row) => row.row)).toEqual([2]);
    expect(outcome.rejectedRows[0]).toMatchObject({
      row: 3,
      issues: [{ field: 'CF_XDR_SHXYM', value: '91440703MA4W12346X', code: 'USCC_CHECK_CHARACTER' }],
    });
    expect(outcome.rejectedRows[0]!.issues[0]!.reason).toContain('position 18');
    expect(outcome.rejectedRows[1]).toMatchObject({
      row: 4,
      issues: [{ field: 'CF_NR_FK', code: 'REQUIRED' }],
    });
    expect(outcome.rejectedRows[2]).toMatchObject({
      row: 5,
      issues: [{ field: 'CF_JDRQ', value: '2026/13/01', code: 'DATE_INVALID' }],
    });
  });

  it('accepts Chinese column names and English aliases as headers', async () => {
    const header = [
      '行政相对人名称',
      'subject_category',
      '统一社会信用代码',
      '行政处罚决定书文号',
      '违法行为类型',
      '违法事实',
      '处罚依据',
      '处罚类别',
      '处罚内容',
      '处罚决定日期',
      '处罚有效期',
      '处罚机关',
      '处罚机关统一社会信用代码',
      '数据来源单位',
      'source_code',
    ];
    const row = [
      '江门市恒信贸易有限公司',
      '法人及非法人组织',
      codes.otherCompanyUscc,
      'B-1',
      '未公示年报',
      '未按期公示',
      '《企业信息公示暂行条例》',
      '警告',
      '警告',
      '2026-11-13',
      '2026-12-13',
      '江门市市场监督管理局',
      codes.agencyUscc,
      '江门市市场监督管理局',
      codes.agencyUscc,
    ];
    const { outcome, stored } = await ingest(csv([header, row]));
    expect(outcome.fileErrors).toEqual([]);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.record).toMatchObject({
      dataset: 'admin-penalty',
      decisionDate: '2026-11-13',
      validUntil: '2026-12-13',
    });
  });

  it('reports a duplicate row within the file instead of storing it twice', async () => {
    const { outcome, stored } = await ingest(penaltyCsv([{}, { CF_WFXW: '重复提交' }]));
    expect(stored).toHaveLength(1);
    expect(outcome.duplicateRows).toEqual([{ row: 3, duplicateOf: 2 }]);
    expect(outcome.counts.duplicate).toBe(1);
  });

  it('flags a record received after its 7-working-day due date as late', async () => {
    // 2026-11-12 (Thu) + 7 working days = 2026-11-23 (Mon)
    const onTime = await ingest(penaltyCsv([{}]), 'admin-penalty', '2026-11-23');
    const late = await ingest(penaltyCsv([{}]), 'admin-penalty', '2026-11-24');
    expect(onTime.stored[0]).toMatchObject({ dueDate: '2026-11-23', late: false });
    expect(late.stored[0]).toMatchObject({ dueDate: '2026-11-23', late: true });
    expect(late.outcome.counts.late).toBe(1);
  });

  it('rejects a row whose 数据来源单位 is not the uploading agency', async () => {
    const { outcome } = await ingest(penaltyCsv([{ CF_SJLYDM: codes.otherCompanyUscc }]));
    expect(outcome.rejectedRows[0]!.issues).toMatchObject([{ field: 'CF_SJLYDM', code: 'SOURCE_MISMATCH' }]);
  });

  it('rejects a decision date in the future', async () => {
    const { outcome } = await ingest(penaltyCsv([{ CF_JDRQ: '2026/12/01' }]));
    expect(outcome.rejectedRows[0]!.issues).toMatchObject([{ field: 'CF_JDRQ', code: 'DATE_IN_FUTURE' }]);
  });

  it('rejects a file that misses required columns, naming them', async () => {
    const { outcome, stored } = await ingest(
      csv([
        ['CF_XDR_MC', 'CF_WSH'],
        ['江门市鸿运建材有限公司', 'X-1'],
      ]),
    );
    expect(stored).toEqual([]);
    expect(outcome.status).toBe('rejected');
    expect(outcome.fileErrors[0]!.code).toBe('MISSING_COLUMNS');
    expect(outcome.fileErrors[0]!.reason).toContain('CF_JDRQ (处罚决定日期)');
  });

  it('reports an empty file and a file with no recognisable header', async () => {
    expect((await ingest('')).outcome.fileErrors[0]!.code).toBe('EMPTY_FILE');
    expect((await ingest('a,b,c\n1,2,3\n')).outcome.fileErrors[0]!.code).toBe('NO_HEADER');
  });

  it('reports binary content without parsing it', async () => {
    const { outcome } = await ingest(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x2c, 0x0a]));
    expect(outcome.fileErrors[0]!.code).toBe('BINARY_CONTENT');
  });

  it('reads a GB18030-encoded file, detected from the bytes', async () => {
    const { outcome, stored } = await ingest(iconv.encode(penaltyCsv([{}]), 'gb18030'));
    expect(outcome.encoding).toBe('gb18030');
    expect(stored[0]!.record).toMatchObject({ subject: { name: '江门市鸿运建材有限公司' } });
  });

  it('reads UTF-8 with a BOM', async () => {
    const { outcome, stored } = await ingest(`\uFEFF${penaltyCsv([{}])}`);
    expect(outcome.encoding).toBe('utf-8');
    expect(stored).toHaveLength(1);
  });

  it('reports a truncated file (unclosed quote) and says which rows were applied', async () => {
    const body = `${penaltyCsv([{}, { CF_WSH: 'A-2' }])}"江门市,法人及非法人组织`;
    const { outcome, stored } = await ingest(body);
    expect(stored).toHaveLength(2);
    expect(outcome.status).toBe('partial');
    expect(outcome.appliedRows).toEqual({ from: 2, to: 3 });
    expect(outcome.fileErrors[0]!.code).toBe('UNREADABLE_RECORDS');
    expect(outcome.rejectedRows).toMatchObject([{ row: 4, issues: [{ code: 'CSV_CSV_QUOTE_NOT_CLOSED' }] }]);
  });

  it('ingests list entries from the Chinese template, with the legal representative', async () => {
    const { outcome, stored } = await ingest(csv([listEntryHeader, listEntryRow()]), 'list-entry');
    expect(outcome.counts.accepted).toBe(1);
    expect(stored[0]!.record).toMatchObject({
      dataset: 'list-entry',
      listTypeCode: 'HMD-SW-ZDSSWF',
      listedOn: '2026-03-18',
      validUntil: '2029-03-17',
      legalRepresentative: { name: '李建国', idNumber: codes.legalRepId },
      subject: { key: `USCC#${codes.companyUscc}`, organisationCode: 'MA4W12346' },
    });
  });

  it('requires an ID number for a natural person on a list', async () => {
    const row = listEntryRow({ 主体名称: '王小明', 主体类别: '自然人', 统一社会信用代码: '', 证件号码: '' });
    const { outcome } = await ingest(csv([listEntryHeader, row]), 'list-entry');
    expect(outcome.rejectedRows[0]!.issues).toMatchObject([{ field: '证件号码', code: 'REQUIRED' }]);
  });
});

describe('Function: ingestFile — rejected rows streamed', () => {
  it('hands every rejected row to rejects and keeps at most listLimit of them in the outcome', async () => {
    // Prepare
    const body = `${penaltyCsv([]).trimEnd()}\r\n${'x\r\n'.repeat(5_000)}`;
    let streamed = 0;
    // Act
    const outcome = await ingestCsv({
      schema: schemaFor('admin-penalty'),
      body: streamOf(body, 64 * 1024),
      context: { agency, today: '2026-11-24' },
      receivedDate: '2026-11-20',
      sink: { write: async () => {} },
      rejects: async () => {
        streamed += 1;
      },
      listLimit: 100,
    });
    // Assess
    expect(streamed).toBe(5_000);
    expect(outcome.counts.rejected).toBe(5_000);
    expect(outcome.rejectedRows).toHaveLength(100);
    expect(outcome.truncated).toEqual({ rejectedRows: 4_900, duplicateRows: 0, flaggedRows: 0 });
  });
});
