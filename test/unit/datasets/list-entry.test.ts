import { describe, expect, it } from 'vitest';
import type { ListEntryRecord } from '#lib/datasets/index';
import { listTypeRulesOf } from '#lib/datasets/list-authority';
import {
  codes,
  courtPersonListingRow,
  csv,
  listEntryHeader,
  listEntryRow,
  listTypeHeader,
} from '#test/support/csv-fixtures';
import { ingestText } from './support';

const court = { code: 'ZYFY', name: '江门市中级人民法院', uscc: '11440700MB2D23451J' };
const market = { code: 'SCJG', name: '江门市市场监督管理局', uscc: codes.agencyUscc };
const taxBureau = { code: 'SWJ', name: '国家税务总局江门市税务局', uscc: '11440700MB2C123480' };

/** The court's own list, as the issue reproduces it: a natural person, 失信被执行人. */
const courtListing = courtPersonListingRow();

function ingestAs(agency: typeof court, rows: string[][], header = listEntryHeader) {
  return ingestText('list-entry', csv([header, ...rows]), {
    context: { agency, today: '2026-11-24', listTypes: listTypeRulesOf(defaultListTypes) },
  });
}

const defaultListTypes = [
  { code: 'HMD-FY-SXBZXR', nature: '黑名单' as const, decidingAgencyCodes: ['ZYFY'] },
  { code: 'HMD-SW-ZDSSWF', nature: '黑名单' as const, decidingAgencyCodes: ['SWJ'] },
  { code: 'HONG-SW-A', nature: '红名单' as const, decidingAgencyCodes: ['SWJ'] },
  { code: 'HMD-NOBODY', nature: '黑名单' as const, decidingAgencyCodes: [] },
];

describe('Dataset: list-entry — list authority', () => {
  it("rejects the market regulator's entry on the court's list, row by row, with NOT_LIST_AUTHORITY", async () => {
    const { outcome, stored } = await ingestAs(market, [courtListing, listEntryRow()]);
    expect(stored).toEqual([]);
    expect(outcome.rejectedRows).toMatchObject([
      {
        row: 2,
        issues: [{ field: '名单类型代码', value: 'HMD-FY-SXBZXR', code: 'NOT_LIST_AUTHORITY' }],
      },
      { row: 3, issues: [{ code: 'NOT_LIST_AUTHORITY' }] },
    ]);
    expect(outcome.rejectedRows[0]!.issues[0]!.reason).toContain('names ZYFY');
  });

  it('accepts the court on its own list and stores the deciding agency as registered', async () => {
    const { outcome, record } = await ingestAs(court, [courtListing]);
    expect(outcome.counts.accepted).toBe(1);
    expect(outcome.flaggedRows).toEqual([]);
    expect(record).toMatchObject({
      decidingDepartment: '江门市中级人民法院',
      decidingAgency: { code: 'ZYFY', name: '江门市中级人民法院' },
    });
    expect(record).not.toHaveProperty('sourceDecidingDepartment');
  });

  it('stores the registered name, not the free text, and flags a 认定部门 that disagrees', async () => {
    const row = listEntryRow({ 认定部门: '国家税务总局' });
    const { outcome, record } = await ingestAs(taxBureau, [row]);
    expect(outcome.flaggedRows).toEqual([{ row: 2, flags: ['DECIDING_DEPARTMENT_REPLACED'] }]);
    expect(record).toMatchObject({
      decidingDepartment: '国家税务总局江门市税务局',
      decidingAgency: { code: 'SWJ' },
      sourceDecidingDepartment: '国家税务总局',
    });
  });

  it('rejects a list type the reference data does not hold, and one that names no agency', async () => {
    const unknown = listEntryRow({ 名单类型代码: 'HMD-MADE-UP' });
    const nobody = listEntryRow({ 名单类型代码: 'hmd-nobody' });
    const { outcome } = await ingestAs(taxBureau, [unknown, nobody]);
    expect(outcome.rejectedRows).toMatchObject([
      { row: 2, issues: [{ code: 'UNKNOWN_LIST_TYPE' }] },
      { row: 3, issues: [{ code: 'NOT_LIST_AUTHORITY', value: 'HMD-NOBODY' }] },
    ]);
  });

  it('rejects every list entry when ingestion was given no list types at all', async () => {
    const { outcome } = await ingestText('list-entry', csv([listEntryHeader, listEntryRow()]), {
      context: { agency: taxBureau, today: '2026-11-24' },
    });
    expect(outcome.rejectedRows).toMatchObject([{ issues: [{ code: 'UNKNOWN_LIST_TYPE' }] }]);
  });
});

describe('Dataset: list-entry — severity', () => {
  const header = [...listEntryHeader, '严重程度'];
  const withSeverity = (severity: string, overrides: Record<string, string> = {}) => [
    ...listEntryRow(overrides),
    severity,
  ];

  it('defaults a black-list listing to 严重 by the severe-list rule when the source is silent', async () => {
    const { record } = await ingestAs(taxBureau, [withSeverity('')], header);
    expect(record).toMatchObject({
      severity: '严重',
      severityBasis: 'default-rule',
      severityRule: 'severe-list',
    });
  });

  it("keeps the source's declared severity, in words or as a code", async () => {
    const { stored } = await ingestAs(
      taxBureau,
      [withSeverity('一般'), withSeverity('3', { 列入日期: '2026/03/19' })],
      header,
    );
    const records = stored.map((row) => row.record as ListEntryRecord);
    expect(records.map((record) => [record.severity, record.severityBasis])).toEqual([
      ['一般', 'declared'],
      ['严重', 'declared'],
    ]);
  });

  it('gives a red-list entry no severity and rejects one declared on it', async () => {
    const red = { 名单类型代码: 'HONG-SW-A' };
    const { outcome, stored } = await ingestAs(
      taxBureau,
      [withSeverity('', red), withSeverity('轻微', { ...red, 列入日期: '2026/03/19' })],
      header,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.record).not.toHaveProperty('severity');
    expect(outcome.rejectedRows).toMatchObject([
      { row: 3, issues: [{ field: '严重程度', code: 'SEVERITY_ON_RED_LIST' }] },
    ]);
  });

  it('rejects a severity it does not know', async () => {
    const { outcome } = await ingestAs(taxBureau, [withSeverity('很严重')], header);
    expect(outcome.rejectedRows).toMatchObject([{ issues: [{ code: 'SEVERITY_VALUE' }] }]);
  });
});

describe('Dataset: list-type — 认定机构代码', () => {
  const rows = [
    ['HMD-A', '甲名单', '黑名单', '法院', 'zyfy；XYB', '', ''],
    ['HMD-B', '乙名单', '黑名单', '法院', '', '', ''],
    ['HMD-C', '丙名单', '黑名单', '法院', 'ZY FY-1', '', ''],
  ];

  it('reads the entitled agencies as registry codes and rejects a malformed one', async () => {
    const { outcome, stored } = await ingestText('list-type', csv([listTypeHeader, ...rows]));
    expect(stored.map((row) => row.record)).toMatchObject([
      { code: 'HMD-A', decidingAgencyCodes: ['ZYFY', 'XYB'] },
      { code: 'HMD-B', decidingAgencyCodes: [] },
    ]);
    expect(outcome.rejectedRows).toMatchObject([
      { row: 4, issues: [{ field: '认定机构代码', code: 'AGENCY_CODE_FORMAT' }] },
    ]);
  });
});
