import { beforeAll, describe, expect, it } from 'vitest';
import { companyUscc } from '#bench/support/penalty-file';
import { codes, courtHeader, courtRow, csv, penaltyHeader, penaltyRow } from '#test/support/csv-fixtures';
import { ingestFile, registerAgency, subjectPartition } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';

// biome-ignore lint/suspicious/noExplicitAny: reports, API answers and stored items are read as loose JSON
type Json = Record<string, any>;

/**
 * The rows the platform used to accept or keep wrongly, each through the whole pipeline (S3 event,
 * queue, ingest function, report) and, where it changes what a caller sees, the check API. The
 * dates are in the past, so every assertion holds on any later day.
 */
const stack = useLocalStack();
const apiKeys: Record<string, string> = {};

const GROUND_ITEM_1 = '有履行能力而拒不履行生效法律文书确定义务';
const GROUND_ITEM_2 = '以伪造证据、暴力、威胁等方法妨碍、抗拒执行';
const companies = {
  refuses: { name: '江门市恒通实业有限公司', uscc: codes.companyUscc },
  leapDay: { name: '江门市恒信贸易有限公司', uscc: codes.otherCompanyUscc },
};

const courtReport: Json = {};
const penaltyReport: Json = {};

async function check(code: string): Promise<Json> {
  const response = await fetch(`${stack().config.apiBaseUrl}/v1/checks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKeys.SCJG}`, 'content-type': 'application/json' },
    body: JSON.stringify({ subject: { code } }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as Json;
}

/** The issues of a rejected row of a report. */
const issuesOf = (report: Json, row: number): Json[] =>
  report.rejectedRows.find((rejected: Json) => rejected.row === row)?.issues ?? [];
const flagsOf = (report: Json, row: number): string[] =>
  report.flaggedRows.find((flagged: Json) => flagged.row === row)?.flags ?? [];

beforeAll(async () => {
  apiKeys.SCJG = await registerAgency(stack(), 'SCJG');
  await registerAgency(stack(), 'ZYFY', '11440700MB2D23451J');
  const court = (name: string, code: string, overrides: Record<string, string>) =>
    courtRow({
      '被执行人姓名/名称': name,
      '身份证号码/组织机构代码': code,
      立案时间: '2023/10/09',
      ...overrides,
    });
  Object.assign(
    courtReport,
    await ingestFile(
      stack(),
      'ZYFY',
      'court-dishonest',
      'grounds.csv',
      csv([
        [...courtHeader, '有效期至'],
        // row 2: item 1, published 2024-03-01, no 有效期至: until performance, not 2 years
        [
          ...court(companies.refuses.name, companies.refuses.uscc, {
            失信被执行人行为具体情形: GROUND_ITEM_1,
            发布时间: '2024/03/01',
          }),
          '',
        ],
        // row 3: item 2 with 有效期至 2099/12/31: beyond 2 + 3 years
        [
          ...court('江门市宏图科技有限公司', companyUscc(7), {
            失信被执行人行为具体情形: GROUND_ITEM_2,
            发布时间: '2024/03/01',
            案号: '（2024）粤0703执12号',
          }),
          '2099/12/31',
        ],
        // row 4: item 2, published on a leap day, no 有效期至: 2 years end 2026-02-28 (民法典 art. 202)
        [
          ...court(companies.leapDay.name, companies.leapDay.uscc, {
            失信被执行人行为具体情形: GROUND_ITEM_2,
            发布时间: '2024/02/29',
            案号: '（2024）粤0703执13号',
          }),
          '',
        ],
      ]),
    ),
  );
  const penalty = (overrides: Record<string, string>, severity = '', procedure = '') => [
    ...penaltyRow(overrides),
    severity,
    procedure,
  ];
  Object.assign(
    penaltyReport,
    await ingestFile(
      stack(),
      'SCJG',
      'admin-penalty',
      'identifiers-and-periods.csv',
      csv([
        [...penaltyHeader, '严重程度', '处罚程序'],
        // rows 2–5: USCC structure (registration authority, category, division code, embedded GB 11714 code)
        penalty({ CF_WSH: '江市监罚〔2026〕201号', CF_XDR_SHXYM: '00440700MA4UJ8T28L' }),
        penalty({ CF_WSH: '江市监罚〔2026〕202号', CF_XDR_SHXYM: 'YY440700MA4UJ8T28Q' }),
        penalty({ CF_WSH: '江市监罚〔2026〕203号', CF_XDR_SHXYM: '91ABCDEFMA4UJ8T28J' }),
        penalty({ CF_WSH: '江市监罚〔2026〕204号', CF_XDR_SHXYM: '91440700MA4UJ8T275' }),
        // row 6: the 个体工商户 placeholder with a 工商注册号 whose check digit is wrong
        penalty({
          CF_WSH: '江市监罚〔2026〕205号',
          CF_XDR_LB: '个体工商户',
          CF_XDR_SHXYM: '00000000000000000X',
          CF_XDR_GSZC: '440700600000003',
        }),
        // row 7: 严重, 公示截止期 2099/12/31: capped at 3 years
        penalty({ CF_WSH: '江市监罚〔2026〕206号', CF_JDRQ: '2026/11/02', CF_GSJZQ: '2099/12/31' }, '严重'),
        // row 8: 严重, 公示截止期 below the 1-year minimum: kept and flagged
        penalty({ CF_WSH: '江市监罚〔2026〕207号', CF_JDRQ: '2026/11/02', CF_GSJZQ: '2026/12/31' }, '严重'),
        // row 9: a natural person fined 100 yuan under the simple procedure
        penalty(
          {
            CF_WSH: '江市监罚〔2026〕208号',
            CF_XDR_MC: '王小明',
            CF_XDR_LB: '自然人',
            CF_XDR_SHXYM: '',
            CF_XDR_ZJLX: '身份证',
            CF_XDR_ZJHM: codes.personId,
            CF_NR: '罚款人民币100元',
            CF_NR_FK: '0.01',
            CF_JDRQ: '2026/11/02',
          },
          '',
          '简易程序',
        ),
        // row 10: a resident ID whose province code (positions 1–2) does not exist
        penalty({
          CF_WSH: '江市监罚〔2026〕209号',
          CF_XDR_MC: '李四',
          CF_XDR_LB: '自然人',
          CF_XDR_SHXYM: '',
          CF_XDR_ZJLX: '身份证',
          CF_XDR_ZJHM: '000702197506204129',
          CF_JDRQ: '2026/11/02',
        }),
      ]),
    ),
  );
});

describe('Court-list grounds through the local stack', () => {
  it('keeps an item-1 listing in effect until performance, past the 2 years of items 2–6', async () => {
    const entry = (await subjectPartition(stack(), `USCC#${companies.refuses.uscc}`)).find(
      (item) => item.dataset === 'court-dishonest',
    );
    const hits = (await check(companies.refuses.uscc)).hits.filter(
      (hit: Json) => hit.listTypeCode === 'COURT-SXBZXR',
    );
    expect(entry?.record).toMatchObject({ periodRule: 'until-performance', grounds: [1], validUntil: null });
    expect(hits).toHaveLength(1);
  });

  it('rejects 有效期至 2099/12/31 for a ground capped at 2 + 3 years, naming the cap', () => {
    expect(issuesOf(courtReport, 3)).toEqual([
      expect.objectContaining({
        code: 'VALID_UNTIL_BEYOND_CAP',
        reason: expect.stringContaining('2029-03-01'),
      }),
    ]);
  });

  it('ends a listing published on 2024-02-29 on 2026-02-28 (no corresponding day: the month’s last)', async () => {
    const entry = (await subjectPartition(stack(), `USCC#${companies.leapDay.uscc}`)).find(
      (item) => item.dataset === 'court-dishonest',
    );
    const hits = (await check(companies.leapDay.uscc)).hits.filter(
      (hit: Json) => hit.listTypeCode === 'COURT-SXBZXR',
    );
    expect(entry?.record).toMatchObject({ periodRule: 'fixed', validUntil: '2026-02-28' });
    expect(hits).toEqual([]);
  });
});

describe('Identifier structure and display periods through the local stack', () => {
  it('rejects each USCC whose structure is wrong (positions 1–2, 3–8, 9–17), naming what is wrong', () => {
    expect(penaltyReport.counts).toMatchObject({ rows: 9 });
    const codesOf = (row: number) => issuesOf(penaltyReport, row).map((issue) => issue.code);
    expect(codesOf(2)).toContain('USCC_REGISTRATION_AUTHORITY');
    expect(codesOf(3)).toContain('USCC_ORGANISATION_CATEGORY');
    expect(codesOf(4)).toContain('USCC_DIVISION_CODE');
    expect(codesOf(5)).toContain('USCC_ORGANISATION_CODE');
  });

  it('rejects a 工商注册号 with a wrong check digit under the placeholder code', () => {
    expect(JSON.stringify(issuesOf(penaltyReport, 6))).toContain('CHECK_CHARACTER');
  });

  it('rejects a resident ID whose province code does not exist', () => {
    expect(JSON.stringify(issuesOf(penaltyReport, 10))).toContain('REGION');
  });

  it('caps a 公示截止期 beyond the maximum and flags one below the minimum', async () => {
    const items = await subjectPartition(stack(), `USCC#${codes.companyUscc}`);
    const record = (documentNumber: string) =>
      items.find(
        (item) => String(item.sk).startsWith('RECORD#') && item.record?.documentNumber === documentNumber,
      )?.record;
    expect(flagsOf(penaltyReport, 7)).toContain('SOURCE_END_CAPPED');
    expect(record('江市监罚〔2026〕206号')).toMatchObject({ displayUntil: '2029-11-02' });
    expect(flagsOf(penaltyReport, 8)).toContain('SOURCE_END_BELOW_MINIMUM');
    expect(record('江市监罚〔2026〕207号')).toMatchObject({ displayUntil: '2026-12-31' });
  });

  it('withholds a natural person’s 100-yuan simple-procedure fine from publication, as 轻微', async () => {
    const items = await subjectPartition(stack(), `ID#${codes.personId}`);
    const stored = items.find(
      (item) =>
        String(item.sk).startsWith('RECORD#') && item.record?.documentNumber === '江市监罚〔2026〕208号',
    );
    expect(stored?.record).toMatchObject({
      severity: '轻微',
      severityRule: 'simple-procedure',
      publishable: false,
      withheldBy: ['minor-severity', 'simple-procedure', 'natural-person'],
    });
    expect(penaltyReport.counts).toMatchObject({ notPublishable: 1 });
  });
});
