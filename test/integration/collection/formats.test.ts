import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  codeMappingHeader,
  codeMappingRow,
  codes,
  courtHeader,
  courtRow,
  csv,
  jsonLines,
  licenceHeader,
  licenceRow,
  listEntryHeader,
  listEntryRow,
  listTypeRowsEntitling,
  penaltyHeader,
  penaltyRow,
  registrationNumber,
  xlsxBuffer,
} from '#test/support/csv-fixtures';
import { loadListTypes, registerAgency, subjectPartition } from '../support/credit-fixtures';
import { type LocalStackHandle, useLocalStack } from '../support/local-stack';
import { ingestAndReport as ingestFile } from './report-fixture';

const stack = useLocalStack();

type Rows = string[][];
const formats: { name: string; ext: string; encode: (rows: Rows) => Promise<string | Buffer> }[] = [
  { name: 'CSV UTF-8', ext: 'csv', encode: async (rows) => `\uFEFF${csv(rows)}` },
  { name: 'CSV GBK', ext: 'csv', encode: async (rows) => iconv.encode(csv(rows), 'gbk') },
  { name: 'XLSX', ext: 'xlsx', encode: (rows) => xlsxBuffer(rows) },
  { name: 'JSON Lines', ext: 'jsonl', encode: async (rows) => jsonLines(rows) },
];

async function partition(handle: LocalStackHandle, pk: string) {
  const result = await handle.clients.documentClient.send(
    new QueryCommand({
      TableName: handle.config.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    }),
  );
  return result.Items ?? [];
}

/** One dataset: the rows for format i (distinct business keys) and what must be stored. */
const cases: {
  dataset: string;
  rows: (i: number) => Rows;
  subjectKey: string;
  stored: (items: Record<string, any>[], i: number) => void;
}[] = [
  {
    dataset: 'admin-license',
    rows: (i) => [licenceHeader, licenceRow({ XK_WSH: `江市监许〔2026〕30${i}号` })],
    subjectKey: `USCC#${codes.companyUscc}`,
    stored: (items, i) => {
      const record = items.find(
        (item) => item.type === 'admin-license' && item.record.documentNumber === `江市监许〔2026〕30${i}号`,
      );
      expect(record).toMatchObject({
        status: 'active',
        dueDate: '2026-11-23',
        record: { licenceCategory: '普通', validUntil: '2031-11-11', issuer: { code: codes.agencyUscc } },
      });
      expect(
        items.filter((item) => item.type === 'record-version' && item.recordId === record!.recordId),
      ).toHaveLength(1);
    },
  },
  {
    dataset: 'admin-penalty',
    rows: (i) => [penaltyHeader, penaltyRow({ CF_WSH: `江市监罚〔2026〕11${i}号`, CF_NR_FK: `8.${i}` })],
    subjectKey: `USCC#${codes.companyUscc}`,
    stored: (items, i) => {
      expect(
        items.find(
          (item) =>
            item.type === 'admin-penalty' && item.record.documentNumber === `江市监罚〔2026〕11${i}号`,
        ),
      ).toMatchObject({ status: 'active', record: { fineAmount: Number(`8.${i}`), categories: ['罚款'] } });
    },
  },
  {
    dataset: 'list-entry',
    rows: (i) => [listEntryHeader, listEntryRow({ 列入日期: `2026/03/1${i}` })],
    subjectKey: `USCC#${codes.companyUscc}`,
    stored: (items, i) => {
      expect(
        items.find((item) => item.type === 'list-entry' && item.record.listedOn === `2026-03-1${i}`),
      ).toMatchObject({ record: { listTypeCode: 'HMD-SW-ZDSSWF', legalRepresentative: { name: '李建国' } } });
    },
  },
  {
    dataset: 'court-dishonest',
    rows: (i) => [courtHeader, courtRow({ 案号: `（2026）粤0703执56${i}号` })],
    subjectKey: 'MASKED#4407021975****4129#王小明',
    stored: (items, i) => {
      expect(
        items.find(
          (item) => item.type === 'list-entry' && item.record.caseNumber === `（2026）粤0703执56${i}号`,
        ),
      ).toMatchObject({
        dataset: 'court-dishonest',
        sk: expect.stringMatching(/^LIST#COURT-SXBZXR#/),
        record: {
          listTypeCode: 'COURT-SXBZXR',
          listedOn: '2026-03-02',
          validUntil: null,
          periodRule: 'until-performance',
        },
      });
    },
  },
  {
    dataset: 'code-mapping',
    rows: (i) => [codeMappingHeader, codeMappingRow({ 税务登记号: `440704MA51K2Q82${i}` })],
    subjectKey: `USCC#${codes.otherCompanyUscc}`,
    stored: (items, i) => {
      expect(
        items.find(
          (item) =>
            item.type === 'code-mapping' && item.record.taxRegistrationNumber === `440704MA51K2Q82${i}`,
        ),
      ).toMatchObject({ record: { subject: { organisationCode: 'MA51K2Q82', registrationNumber } } });
    },
  },
];

describe('Path: every collection dataset in every format, through the emulators', () => {
  beforeAll(async () => {
    // List authority: the agency of the list-entry case may decide entries on the tax black list.
    const listEntryAgency = `FMT${cases.findIndex((testCase) => testCase.dataset === 'list-entry')}`;
    await loadListTypes(stack(), listTypeRowsEntitling({ 'HMD-SW-ZDSSWF': listEntryAgency }));
  });

  for (const testCase of cases) {
    it(`ingests ${testCase.dataset} from CSV UTF-8, CSV GBK, XLSX and JSON Lines`, async () => {
      // Prepare
      const agency = `FMT${cases.indexOf(testCase)}`;
      await registerAgency(stack(), agency);
      for (const [i, format] of formats.entries()) {
        // Act
        const report = await ingestFile(
          stack(),
          agency,
          testCase.dataset,
          `${testCase.dataset}-${i}.${format.ext}`,
          await format.encode(testCase.rows(i)),
        );
        // Assess
        expect({
          format: format.name,
          status: report.status,
          errors: report.fileErrors,
          rejected: report.rejectedRows,
        }).toEqual({
          format: format.name,
          status: 'completed',
          errors: [],
          rejected: [],
        });
        expect(report.counts).toMatchObject({ rows: 1, accepted: 1 });
      }
      const items = await subjectPartition(stack(), testCase.subjectKey);
      for (const i of formats.keys()) testCase.stored(items, i);
    });
  }

  it('finds the USCC subject from each legacy code of a code mapping', async () => {
    // the code-mapping case above has run: its aliases point at the USCC subject
    const target = `SUBJECT#USCC#${codes.otherCompanyUscc}`;
    for (const pk of [
      'ALIAS#ORG#MA51K2Q82',
      `ALIAS#REG#${registrationNumber}`,
      'ALIAS#TAX#440704MA51K2Q820',
    ]) {
      expect((await partition(stack(), pk)).map((item) => item.sk)).toEqual([target]);
    }
  });

  it('updates a re-submitted licence in place, keeps each version, and withdraws it with 当前状态 2', async () => {
    // Prepare
    await registerAgency(stack(), 'HIST');
    const key = { XK_WSH: '江市监许〔2026〕999号' };
    const first = await ingestFile(
      stack(),
      'HIST',
      'admin-license',
      'v1.csv',
      csv([licenceHeader, licenceRow(key)]),
    );
    // Act: a correction, then a withdrawal, in other formats
    const second = await ingestFile(
      stack(),
      'HIST',
      'admin-license',
      'v2.xlsx',
      await xlsxBuffer([licenceHeader, licenceRow({ ...key, XK_NR: '预包装食品销售（含冷藏冷冻食品）' })]),
    );
    const third = await ingestFile(
      stack(),
      'HIST',
      'admin-license',
      'v3.jsonl',
      jsonLines([licenceHeader, licenceRow({ ...key, XK_ZT: '2' })]),
    );
    // Assess
    for (const report of [first, second, third]) expect(report.counts).toMatchObject({ accepted: 1 });
    const items = await subjectPartition(stack(), `USCC#${codes.companyUscc}`);
    const current = items.filter(
      (item) => item.type === 'admin-license' && item.record.documentNumber === key.XK_WSH,
    );
    expect(current).toHaveLength(1);
    expect(current[0]).toMatchObject({
      status: 'withdrawn',
      record: { status: 'invalid', content: '预包装食品销售' },
      lastReceivedAt: third.receivedAt,
    });
    const versions = items
      .filter((item) => item.type === 'record-version' && item.recordId === current[0]!.recordId)
      .sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
    expect(versions.map((item) => [item.status, item.record.content])).toEqual([
      ['active', '预包装食品销售'],
      ['active', '预包装食品销售（含冷藏冷冻食品）'],
      ['withdrawn', '预包装食品销售'],
    ]);
  });

  it('keeps the first arrival of a re-submitted record, so a correction cannot change its timeliness', async () => {
    // Prepare
    await registerAgency(stack(), 'FIRST');
    const key = { CF_WSH: '江市监罚〔2026〕777号' };
    const first = await ingestFile(
      stack(),
      'FIRST',
      'admin-penalty',
      'p1.csv',
      csv([penaltyHeader, penaltyRow(key)]),
    );
    // Act
    const correction = await ingestFile(
      stack(),
      'FIRST',
      'admin-penalty',
      'p2.csv',
      csv([penaltyHeader, penaltyRow({ ...key, CF_NR: '罚款人民币8万元（更正）' })]),
    );
    // Assess
    expect(correction.counts).toMatchObject({ accepted: 1 });
    const items = await subjectPartition(stack(), `USCC#${codes.companyUscc}`);
    const record = items.find(
      (item) => item.type === 'admin-penalty' && item.record.documentNumber === key.CF_WSH,
    );
    expect(record).toMatchObject({
      record: { content: '罚款人民币8万元（更正）' },
      receivedAt: first.receivedAt,
      firstReceivedAt: first.receivedAt,
      lastReceivedAt: correction.receivedAt,
    });
  });
});
