import { describe, expect, it } from 'vitest';
import { SCRUBBED, scrubFreeText } from '#lib/disclosure/scrub';
import { codes } from '#test/support/csv-fixtures';

/** Real-shaped 违法事实 text: what agencies paste from the decision document. */
const facts = [
  '经查，当事人江门市鸿运建材有限公司（统一社会信用代码91440703MA4W12346G，法定代表人李建国，',
  `身份证号码${codes.legalRepId}，联系电话13902281234）于2026年10月8日在江门市蓬江区建设三路88号`,
  '销售抽检不合格的建筑用钢筋共12.6吨，货值金额人民币75600元，违法所得已汇入其在中国农业银行江门分行',
  '开立的账户6228 4801 2345 6789 012。举报人王某（电话0750-3212345，邮箱wang.mou@example.com）',
  '提供了购货凭证。依据江市监罚〔2026〕118号决定书，处罚款人民币8万元，有效期至2099/12/31，',
  '食品经营许可证编号JY14407030012345。',
].join('');

describe('Function: scrubFreeText', () => {
  it('hides the ID number, the phone numbers, the bank account and the e-mail of a real-shaped decision text', () => {
    // Act
    const scrubbed = scrubFreeText(facts);

    // Assess: gone
    for (const hidden of [
      codes.legalRepId,
      '13902281234',
      '6228 4801 2345 6789 012',
      '0750-3212345',
      'wang.mou@example.com',
    ]) {
      expect(scrubbed).not.toContain(hidden);
    }
    expect(scrubbed.split(SCRUBBED)).toHaveLength(6);
    // ...and what the public must still read is intact: codes, dates, amounts, document numbers
    for (const kept of [
      '91440703MA4W12346G',
      '2026年10月8日',
      '12.6吨',
      '人民币75600元',
      '江市监罚〔2026〕118号',
      '人民币8万元',
      '2099/12/31',
      'JY14407030012345',
      '建设三路88号',
    ]) {
      expect(scrubbed).toContain(kept);
    }
  });

  it.each([
    ['an 18-digit ID with a lower-case x', '身份证：44070319800115231x。', '身份证：[已隐去]。'],
    ['an old 15-digit ID', '证件号码440703800115231，', '证件号码[已隐去]，'],
    ['a court-masked ID', '身份证号4407021975****4129', '身份证号[已隐去]'],
    ['a mobile number with +86 and hyphens', '手机+86 139-0228-1234', '手机[已隐去]'],
    ['a mobile number in full-width digits', '电话１３９０２２８１２３４', '电话[已隐去]'],
    ['a landline with the area code in brackets', '电话（0750）3212345转8001', '电话[已隐去]'],
    ['a 19-digit bank card without spaces', '卡号6222021234567890123', '卡号[已隐去]'],
    [
      'a short account number the text calls an account',
      '开户银行账号：44-0012-3456-78',
      '开户银行账号：[已隐去]',
    ],
  ])('hides %s', (_what, text, expected) => {
    expect(scrubFreeText(text)).toBe(expected);
  });

  it.each([
    ['a USCC', '统一社会信用代码91440704MA51K2Q82R'],
    ['a 工商注册号', '注册号440703000001230'],
    ['a decision number', '江市监罚〔2026〕118号'],
    ['an amount in yuan', '罚款人民币30000元'],
    ['a date', '2026-11-12至2031-11-11'],
    ['a licence number', '许可证编号JY14407030012345'],
  ])('leaves %s as it is', (_what, text) => {
    expect(scrubFreeText(text)).toBe(text);
  });
});
