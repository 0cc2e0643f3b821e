import { describe, expect, it } from 'vitest';
import { licenceCategories } from '#lib/datasets/admin-license';
import { codes, csv, licenceHeader, licenceRow, registrationNumber } from '#test/support/csv-fixtures';
import { ingestText } from './support';

const one = (overrides: Partial<Record<string, string>> = {}) =>
  ingestText('admin-license', csv([licenceHeader, licenceRow(overrides)]));

describe('Dataset: admin-license (行政许可)', () => {
  it('accepts a valid licence and builds the typed record', async () => {
    const { outcome, stored, record } = await one();
    expect(outcome.counts).toMatchObject({ rows: 1, accepted: 1, rejected: 0 });
    expect(record).toMatchObject({
      dataset: 'admin-license',
      subject: { key: `USCC#${codes.companyUscc}`, kind: 'organisation' },
      legalRepresentative: { name: '李建国', idNumber: codes.legalRepId },
      documentNumber: '江市监许〔2026〕301号',
      licenceCategory: '普通',
      decisionDate: '2026-11-12',
      validFrom: '2026-11-12',
      validUntil: '2031-11-11',
      issuer: { name: '江门市市场监督管理局', code: codes.agencyUscc },
      status: 'valid',
      source: { code: codes.agencyUscc },
    });
    // 2026-11-12 + 7 working days = 2026-11-23; received 2026-11-20: on time.
    expect(stored[0]).toMatchObject({ dueDate: '2026-11-23', late: false, lifecycle: 'active' });
  });

  it('reads 2099/12/31 as no end and accepts YYYY-MM-DD dates', async () => {
    const { record } = await one({ XK_YXQZ: '2026-11-12', XK_YXQZI: '2099/12/31', XK_JDRQ: '2026-11-10' });
    expect(record).toMatchObject({ validFrom: '2026-11-12', validUntil: null, decisionDate: '2026-11-10' });
  });

  it('rejects a validity end before its start', async () => {
    const { outcome } = await one({ XK_YXQZ: '2026/11/12', XK_YXQZI: '2026/11/01' });
    expect(outcome.rejectedRows[0]!.issues).toMatchObject([
      { field: 'XK_YXQZI', value: '2026-11-01', code: 'DATE_ORDER' },
    ]);
  });

  it('rejects a decision date in the future', async () => {
    const { outcome } = await one({ XK_JDRQ: '2026/11/25' });
    expect(outcome.rejectedRows[0]!.issues).toMatchObject([{ field: 'XK_JDRQ', code: 'DATE_IN_FUTURE' }]);
  });

  it('requires 证件号码 for a 自然人 and validates it as a resident ID', async () => {
    const missing = await one({
      XK_XDR_LB: '自然人',
      XK_XDR_SHXYM: '',
      XK_XDR_MC: '王小明',
      XK_FRDB: '',
      XK_FR_ZJHM: '',
    });
    expect(missing.outcome.rejectedRows[0]!.issues).toMatchObject([
      { field: 'XK_XDR_ZJHM', code: 'REQUIRED' },
    ]);
    const person = await one({
      XK_XDR_LB: '自然人',
      XK_XDR_SHXYM: '',
      XK_XDR_MC: '王小明',
      XK_XDR_ZJHM: codes.personId,
      XK_FRDB: '',
      XK_FR_ZJHM: '',
    });
    expect(person.record?.subject).toMatchObject({ key: `ID#${codes.personId}`, kind: 'person' });
  });

  it('requires 工商注册号 under the placeholder USCC, for 个体工商户 only', async () => {
    const missing = await one({ XK_XDR_LB: '个体工商户', XK_XDR_SHXYM: '00000000000000000X' });
    expect(missing.outcome.rejectedRows[0]!.issues).toMatchObject([
      { field: 'XK_XDR_GSZC', code: 'REQUIRED' },
    ]);
    const given = await one({
      XK_XDR_LB: '个体工商户',
      XK_XDR_SHXYM: '00000000000000000X',
      XK_XDR_GSZC: registrationNumber,
    });
    expect(given.record?.subject).toMatchObject({ key: `REG#${registrationNumber}` });
    const organisation = await one({ XK_XDR_SHXYM: '00000000000000000X', XK_XDR_GSZC: registrationNumber });
    expect(organisation.outcome.rejectedRows[0]!.issues).toMatchObject([
      { field: 'XK_XDR_SHXYM', code: 'USCC_PLACEHOLDER_NOT_ALLOWED' },
    ]);
  });

  it.each(licenceCategories)('accepts 许可类别 %s', async (category) => {
    expect((await one({ XK_XKLB: category })).record?.licenceCategory).toBe(category);
  });

  it('rejects an unknown 许可类别, naming the allowed values', async () => {
    const { outcome } = await one({ XK_XKLB: '审批' });
    expect(outcome.rejectedRows[0]!.issues).toMatchObject([
      { field: 'XK_XKLB', value: '审批', code: 'ENUM' },
    ]);
    expect(outcome.rejectedRows[0]!.issues[0]!.reason).toContain('普通 / 特许');
  });

  it.each([
    ['1', 'valid', 'active'],
    ['有效', 'valid', 'active'],
    ['2', 'invalid', 'withdrawn'],
    ['无效', 'invalid', 'withdrawn'],
  ])('reads 当前状态 %s as %s (%s)', async (value, status, lifecycle) => {
    const { record, stored } = await one({ XK_ZT: value });
    expect(record?.status).toBe(status);
    expect(stored[0]!.lifecycle).toBe(lifecycle);
  });

  it('rejects an unknown 当前状态', async () => {
    const { outcome } = await one({ XK_ZT: '3' });
    expect(outcome.rejectedRows[0]!.issues).toMatchObject([{ field: 'XK_ZT', code: 'ENUM' }]);
  });

  it('rejects a 数据来源单位 that is not the uploading agency', async () => {
    const { outcome } = await one({ XK_LYDWDM: codes.otherCompanyUscc });
    expect(outcome.rejectedRows[0]!.issues).toMatchObject([{ field: 'XK_LYDWDM', code: 'SOURCE_MISMATCH' }]);
  });

  it('rejects an invalid 许可机关 USCC with the check-character reason', async () => {
    const { outcome } = await one({ XK_XKJGDM: '11440700007012346X' });
    expect(outcome.rejectedRows[0]!.issues).toMatchObject([
      { field: 'XK_XKJGDM', code: 'USCC_CHECK_CHARACTER' },
    ]);
  });

  it('rejects a row missing required cells, one issue per cell', async () => {
    const { outcome } = await one({ XK_XKWS: '', XK_NR: '' });
    expect(outcome.rejectedRows[0]!.issues.map((issue) => [issue.field, issue.code])).toEqual([
      ['XK_XKWS', 'REQUIRED'],
      ['XK_NR', 'REQUIRED'],
    ]);
  });

  it('flags a licence first received after its 7-working-day due date as late', async () => {
    const { stored, outcome } = await ingestText('admin-license', csv([licenceHeader, licenceRow()]), {
      receivedDate: '2026-11-24',
    });
    expect(stored[0]).toMatchObject({ dueDate: '2026-11-23', late: true });
    expect(outcome.counts.late).toBe(1);
  });
});
