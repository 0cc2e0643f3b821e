import { describe, expect, it } from 'vitest';
import {
  codeMappingHeader,
  codeMappingRow,
  codes,
  csv,
  registrationNumber,
} from '#test/support/csv-fixtures';
import { ingestText } from './support';

const one = (overrides: Partial<Record<string, string>> = {}) =>
  ingestText('code-mapping', csv([codeMappingHeader, codeMappingRow(overrides)]));

describe('Dataset: code-mapping (代码映射)', () => {
  it('maps legacy codes to the USCC subject', async () => {
    const { outcome, record } = await one();
    expect(outcome.counts.accepted).toBe(1);
    expect(outcome.flaggedRows).toEqual([]);
    expect(record).toMatchObject({
      dataset: 'code-mapping',
      subject: {
        key: `USCC#${codes.otherCompanyUscc}`,
        uscc: codes.otherCompanyUscc,
        organisationCode: 'MA51K2Q82',
        registrationNumber,
        name: '江门市恒信贸易有限公司',
      },
      taxRegistrationNumber: '440704MA51K2Q82',
    });
  });

  it('rejects an organisation code that is not positions 9–17 of the USCC', async () => {
    const { outcome } = await one({ 组织机构代码: 'MA4W1234-6' });
    expect(outcome.rejectedRows[0]!.issues).toMatchObject([
      { field: '组织机构代码', code: 'ORG_CODE_MISMATCH' },
    ]);
    expect(outcome.rejectedRows[0]!.issues[0]!.reason).toContain('MA51K2Q82');
  });

  it('validates each code', async () => {
    const org = await one({ 组织机构代码: 'MA51K2Q8-3' });
    expect(org.outcome.rejectedRows[0]!.issues).toMatchObject([
      { field: '组织机构代码', code: 'ORG_CHECK_CHARACTER' },
    ]);
    const reg = await one({ 工商注册号: '440703000001231' });
    expect(reg.outcome.rejectedRows[0]!.issues).toMatchObject([
      { field: '工商注册号', code: 'REGISTRATION_NUMBER_CHECK_CHARACTER' },
    ]);
    const tax = await one({ 税务登记号: '44-07' });
    expect(tax.outcome.rejectedRows[0]!.issues).toMatchObject([
      { field: '税务登记号', code: 'TAX_NUMBER_FORMAT' },
    ]);
    const uscc = await one({ 统一社会信用代码: '91440704MA51K2Q82X' });
    expect(uscc.outcome.rejectedRows[0]!.issues).toMatchObject([
      { field: '统一社会信用代码', code: 'USCC_CHECK_CHARACTER' },
    ]);
    const placeholder = await one({ 统一社会信用代码: '00000000000000000X' });
    expect(placeholder.outcome.rejectedRows[0]!.issues).toMatchObject([
      { code: 'USCC_PLACEHOLDER_NOT_ALLOWED' },
    ]);
  });

  it('requires at least one legacy code', async () => {
    const { outcome } = await one({ 组织机构代码: '', 工商注册号: '', 税务登记号: '' });
    expect(outcome.rejectedRows[0]!.issues).toMatchObject([{ field: '组织机构代码', code: 'REQUIRED' }]);
  });

  it('flags a 15-character tax number that does not embed the organisation code', async () => {
    const { outcome } = await one({ 税务登记号: '440704MA4W12346' });
    expect(outcome.flaggedRows).toEqual([{ row: 2, flags: ['TAX_NUMBER_ORG_CODE_DIFFERS'] }]);
  });
});
