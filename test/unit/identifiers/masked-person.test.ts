import { describe, expect, it } from 'vitest';
import { maskedIdPossibleReason, maskedPersonFit, visiblePrefixOf } from '#lib/identifiers/masked-person';

const listed = { maskedId: '4407021975****4129', name: '张三' };
const zhangSan = '440702197501024129';

describe('Function: maskedPersonFit', () => {
  it('fits a full ID whose every visible digit is the mask’s, under the same name, with the check’s wording', () => {
    // Act
    const fit = maskedPersonFit(listed, { residentId: zhangSan, name: '张三' });
    // Assess
    expect(fit).toEqual({
      fits: true,
      reason:
        'the list publishes the ID masked (4407021975****4129); it matches the watched ID with the hidden digits unknown, and the names are identical ("张三") — verify the identity before acting on it',
    });
  });

  it('fits a mask that hides other digits than the birth date (440702********412X)', () => {
    expect(
      maskedPersonFit(
        { maskedId: '440702********412X', name: '张三' },
        { residentId: '44070219750102412X', name: '张三' },
      ).fits,
    ).toBe(true);
  });

  it('does not fit when one visible digit differs', () => {
    expect(maskedPersonFit(listed, { residentId: '440702197501024139', name: '张三' })).toEqual({
      fits: false,
      differs: 'id',
    });
    expect(maskedPersonFit(listed, { residentId: '440703197501024129', name: '张三' })).toEqual({
      fits: false,
      differs: 'id',
    });
  });

  it('does not fit an ID of another length (a legacy 15-digit mask against an 18-character ID)', () => {
    expect(
      maskedPersonFit({ maskedId: '44070275****412', name: '张三' }, { residentId: zhangSan, name: '张三' }),
    ).toEqual({ fits: false, differs: 'id' });
  });

  it('does not fit another name under a fitting ID', () => {
    expect(maskedPersonFit(listed, { residentId: zhangSan, name: '李四' })).toEqual({
      fits: false,
      differs: 'name',
    });
  });

  it('fits a traditional-character form of the name, and says it was normalised', () => {
    // Act
    const fit = maskedPersonFit(
      { maskedId: listed.maskedId, name: '張三' },
      { residentId: zhangSan, name: '张三' },
    );
    // Assess
    expect(fit.fits).toBe(true);
    expect(fit.fits && fit.reason).toContain('"张三" and "張三" are the same name once normalised');
  });
});

describe('Function: maskedIdPossibleReason', () => {
  it('words a check’s masked-ID hit as the check always did, with or without a name to compare', () => {
    expect(maskedIdPossibleReason('4407021975****4129', 'checked', undefined)).toBe(
      'the list publishes the ID masked (4407021975****4129); it matches the checked ID with the hidden digits unknown, and no name was given to compare — verify the identity before acting on it',
    );
  });
});

describe('Function: visiblePrefixOf', () => {
  it('gives the leading digits before the first asterisk', () => {
    expect(visiblePrefixOf('4407021975****4129')).toBe('4407021975');
    expect(visiblePrefixOf('440702********412X')).toBe('440702');
  });
});
