import { describe, expect, it } from 'vitest';
import { isNameOnlySubject, maskedIdMatches } from '#lib/identifiers/name-only';
import { compareNames, nameKey, normaliseName, toHalfWidth } from '#lib/identifiers/subject-names';

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
