import { describe, expect, it } from 'vitest';
import { isRecordInDisplay } from '#lib/matching/screen';
import { codes, csv, penaltyHeader, penaltyRow } from '#test/support/csv-fixtures';
import { ingestText } from './support';

/** One penalty row, with the platform's 严重程度 / 处罚程序 columns when given. */
async function penalty(
  overrides: Record<string, string>,
  extra: { severity?: string; procedure?: string } = {},
) {
  const header = [...penaltyHeader, '严重程度', '处罚程序'];
  const row = [...penaltyRow(overrides), extra.severity ?? '', extra.procedure ?? ''];
  return ingestText('admin-penalty', csv([header, row]));
}

describe('Dataset: admin-penalty — severity, publication and display period (lib/lifecycle)', () => {
  it('ends the display of a penalty decided 2023-06-01 without 公示截止期 at the maximum: out of display on 2026-12-01', async () => {
    const { record } = await penalty({ CF_JDRQ: '2023/06/01', CF_GSJZQ: '' });
    expect(record).toMatchObject({
      displayFrom: '2023-06-01',
      displayRuleSet: 'order-58',
      severityBasis: 'none',
    });
    expect(record!.displayUntil <= '2026-06-01').toBe(true);
    expect(isRecordInDisplay(record as never, '2026-12-01')).toBe(false);
  });

  it('shows a 一般 penalty decided 2025-01-10 for at most one year: out of display on 2026-03-01', async () => {
    const { record } = await penalty({ CF_JDRQ: '2025/01/10' }, { severity: '一般' });
    expect(record).toMatchObject({ severity: '一般', severityBasis: 'declared', displayUntil: '2026-01-10' });
    expect(isRecordInDisplay(record as never, '2026-01-10')).toBe(true);
    expect(isRecordInDisplay(record as never, '2026-03-01')).toBe(false);
  });

  it('caps 公示截止期 2099/12/31 ("no end") at the maximum and flags the row', async () => {
    const { record, outcome } = await penalty(
      { CF_JDRQ: '2026/06/01', CF_GSJZQ: '2099/12/31' },
      { severity: '严重' },
    );
    expect(record).toMatchObject({
      displayUntil: '2029-06-01',
      displayRuleSet: 'order-36',
      sourceDisplayUntil: '2099-12-31',
    });
    expect(outcome.flaggedRows[0]?.flags).toContain('SOURCE_END_CAPPED');
  });

  it('caps a 公示截止期 beyond the maximum, keeps the source date and flags the row', async () => {
    const { record, outcome } = await penalty(
      { CF_JDRQ: '2026/06/01', CF_GSJZQ: '2031/06/01' },
      { severity: '一般' },
    );
    expect(record).toMatchObject({ displayUntil: '2027-06-01', sourceDisplayUntil: '2031-06-01' });
    expect(outcome.flaggedRows[0]?.flags).toContain('SOURCE_END_CAPPED');
  });

  it('keeps a 公示截止期 below the minimum but flags it', async () => {
    const { record, outcome } = await penalty(
      { CF_JDRQ: '2026/06/01', CF_GSJZQ: '2026/07/01' },
      { severity: '一般' },
    );
    expect(record).toMatchObject({ displayUntil: '2026-07-01' });
    expect(outcome.flaggedRows[0]?.flags).toContain('SOURCE_END_BELOW_MINIMUM');
  });

  it('makes a warning-only penalty 轻微 and not publishable', async () => {
    const { record } = await penalty({ CF_CFLB: '警告', CF_NR_FK: '' });
    expect(record).toMatchObject({ severity: '轻微', severityBasis: 'default-rule', publishable: false });
    expect(record!.withheldBy).toContain('minor-severity');
  });

  it('does not publish a natural person fined 100 yuan by 简易程序', async () => {
    const { record } = await penalty(
      {
        CF_XDR_MC: '李某某',
        CF_XDR_LB: '自然人',
        CF_XDR_SHXYM: '',
        CF_XDR_ZJLX: '身份证',
        CF_XDR_ZJHM: codes.personId,
        CF_NR_FK: '0.01',
      },
      { procedure: '简易程序' },
    );
    expect(record).toMatchObject({ severity: '轻微', procedure: '简易程序', publishable: false });
    expect(record!.withheldBy).toEqual(
      expect.arrayContaining(['minor-severity', 'simple-procedure', 'natural-person']),
    );
  });

  it('publishes a company fined 8 万元 under the ordinary procedure, severity left to the unclassified periods', async () => {
    const { record } = await penalty({});
    expect(record).toMatchObject({ severity: null, severityBasis: 'none', publishable: true });
  });

  it('rejects a severity that is no tier, naming the accepted spellings', async () => {
    const { outcome } = await penalty({}, { severity: '很严重' });
    expect(outcome.rejectedRows[0]!.issues).toMatchObject([{ field: 'CF_YZCD', code: 'SEVERITY_VALUE' }]);
  });
});

describe('Function: isRecordInDisplay — what checks and subject views show', () => {
  it('leaves out a 轻微 penalty even inside its period, and shows an ordinary one until its last day', async () => {
    const minor = (await penalty({ CF_CFLB: '警告', CF_NR_FK: '', CF_JDRQ: '2026/11/12' })).record;
    const ordinary = (await penalty({ CF_JDRQ: '2026/11/12' }, { severity: '一般' })).record;
    expect(isRecordInDisplay(minor as never, '2026-11-24')).toBe(false);
    expect(isRecordInDisplay(ordinary as never, '2027-11-12')).toBe(true);
    expect(isRecordInDisplay(ordinary as never, '2027-11-13')).toBe(false);
  });
});
