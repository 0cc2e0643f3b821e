import { describe, expect, it } from 'vitest';
import { isNameOnlySubject, maskedIdMatches } from '#lib/identifiers/name-only';
import {
  compareNames,
  describeNameDifference,
  nameKey,
  normaliseName,
  toHalfWidth,
  toSimplifiedChinese,
} from '#lib/identifiers/subject-names';

describe('Function: normaliseName', () => {
  it('makes full-width characters half-width', () => {
    expect(toHalfWidth('ＡＢＣ１２３（）')).toBe('ABC123()');
    expect(nameKey('ＡＢＣ科技有限公司')).toBe(nameKey('ABC科技有限公司'));
  });

  it('unifies brackets: （）【】〔〕[] become ()', () => {
    expect(nameKey('江门市（蓬江）鸿运有限公司')).toBe('江门市(蓬江)鸿运有限公司');
    expect(nameKey('江门市【蓬江】鸿运有限公司')).toBe('江门市(蓬江)鸿运有限公司');
    expect(nameKey('江门市〔蓬江〕鸿运有限公司')).toBe('江门市(蓬江)鸿运有限公司');
  });

  it('removes whitespace, ideographic spaces included, and upper-cases Latin letters', () => {
    expect(nameKey(' 江门 市\u3000abc 有限公司 ')).toBe('江门市ABC有限公司');
  });

  it('reads suffix variants of the same legal form as one', () => {
    expect(nameKey('江门市鸿运建材有限责任公司')).toBe(nameKey('江门市鸿运建材有限公司'));
    expect(nameKey('江门市鸿运股份有限责任公司')).toBe(nameKey('江门市鸿运股份有限公司'));
    expect(nameKey('江门鸿运投资企业（有限合伙）')).toBe(nameKey('江门鸿运投资企业有限合伙'));
    // 股份有限公司 is a different legal form from 有限公司.
    expect(nameKey('江门市鸿运股份有限公司')).not.toBe(nameKey('江门市鸿运有限公司'));
  });

  it('reads traditional characters as simplified (OpenCC through opencc-js)', () => {
    expect(toSimplifiedChinese('臺灣')).toBe('台湾');
    expect(nameKey('臺灣恆通實業有限公司')).toBe(nameKey('台湾恒通实业有限公司'));
    expect(nameKey('江門市恆通實業有限責任公司')).toBe('江门市恒通实业有限公司');
    // Phrase-aware: 乾 stays in 乾隆 but is 干 in 乾燥 (a character-by-character table gets one wrong).
    expect(toSimplifiedChinese('乾隆乾燥')).toBe('乾隆干燥');
    expect(normaliseName('臺灣恆通有限公司').steps).toEqual([
      '3 traditional character(s) read as simplified (OpenCC)',
    ]);
    expect(normaliseName('台湾恒通有限公司').steps).toEqual([]);
  });

  it('combines the steps: full-width, traditional, brackets and whitespace together', () => {
    const traditional = normaliseName('ＡＢＣ（臺灣）科技 有限公司');
    expect(traditional.key).toBe('ABC(台湾)科技有限公司');
    expect(traditional.key).toBe(nameKey('abc(台湾)科技有限公司'));
    expect(traditional.key).toBe(nameKey('ABC【台湾】科技有限公司'));
    expect(traditional.steps).toEqual([
      'full-width characters made half-width',
      '2 traditional character(s) read as simplified (OpenCC)',
      'whitespace removed',
    ]);
  });

  it('records each step it took, for the explanation of a possible hit', () => {
    expect(normaliseName('江门市（鸿运） 建材有限责任公司').steps).toEqual([
      'full-width characters made half-width',
      'whitespace removed',
      'suffix "有限责任公司" read as "有限公司"',
    ]);
  });
});

describe('Function: compareNames', () => {
  it('says why two names are the same or that they differ', () => {
    expect(compareNames('甲有限公司', '甲有限公司')).toEqual({
      same: true,
      reason: 'the names are identical ("甲有限公司")',
    });
    expect(compareNames('甲有限公司', '甲有限责任公司').reason).toContain('same name once normalised');
    expect(compareNames('甲有限公司', '乙有限公司')).toMatchObject({ same: false });
  });
});

describe('Function: describeNameDifference', () => {
  it('quotes what differs between two organisation names once normalised', () => {
    expect(
      describeNameDifference('江门市恒通实业有限公司', '江門市恆達實業有限責任公司', { quote: true }),
    ).toBe(
      'once normalised ("江门市恒通实业有限公司" and "江门市恒达实业有限公司") the first has "通" where the second has "达"',
    );
    expect(describeNameDifference('恒通实业有限公司', '江门市恒通实业有限公司', { quote: true })).toContain(
      'the first has nothing where the second has "江门市"',
    );
  });

  it('tells only the size of the difference for a person, quoting no character of the name', () => {
    const told = describeNameDifference('王小明', '王晓明', { quote: false });
    expect(told).toBe('once normalised they differ in 1 of 3 characters');
    expect(told).not.toMatch(/[王小晓明]/);
  });
});

describe('Function: isNameOnlySubject', () => {
  it('is true only for subjects without a USCC, 工商注册号 or full resident ID', () => {
    expect(isNameOnlySubject({ key: 'USCC#x', uscc: 'x' })).toBe(false);
    expect(isNameOnlySubject({ key: 'REG#x', registrationNumber: 'x' })).toBe(false);
    expect(isNameOnlySubject({ key: 'ID#x', idNumber: '440702197506204129' })).toBe(false);
    expect(
      isNameOnlySubject({ key: 'MASKED#4407021975****4129#王小明', idNumber: '4407021975****4129' }),
    ).toBe(true);
    expect(isNameOnlySubject({ key: 'NAME#某公司' })).toBe(true);
  });
});

describe('Function: maskedIdMatches', () => {
  it('compares the visible characters of a published masked ID with a full ID', () => {
    expect(maskedIdMatches('4407021975****4129', '440702197506204129')).toBe(true);
    expect(maskedIdMatches('4407021975****4128', '440702197506204129')).toBe(false);
    expect(maskedIdMatches('440702****', '440702197506204129')).toBe(false);
  });
});
