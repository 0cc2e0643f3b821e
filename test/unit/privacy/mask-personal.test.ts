import { describe, expect, it } from 'vitest';
import { maskPersonalData, maskPersonalText } from '#lib/privacy/mask-personal';
import { codes } from '#test/support/csv-fixtures';

describe('Function: maskPersonalData', () => {
  it('masks a known person’s name and ID in every string of a nested view', () => {
    // Prepare
    const view = {
      matchedBy: { identifier: 'name', value: '王小明' },
      explanation: `身份证号码 ${codes.personId} identifies 王小明, which is on list X`,
      reasons: [`"王小明" and "王小明" are the same name`],
      count: 3,
      listed: null,
    };
    // Act
    const masked = maskPersonalData(view, { names: ['王小明'], ids: [codes.personId] });
    // Assess
    expect(masked).toEqual({
      matchedBy: { identifier: 'name', value: '王**' },
      explanation: '身份证号码 4407021975****4129 identifies 王**, which is on list X',
      reasons: ['"王**" and "王**" are the same name'],
      count: 3,
      listed: null,
    });
    expect(view.matchedBy.value).toBe('王小明');
  });

  it('masks the longer of two names as a whole, and leaves one-character and masked values alone', () => {
    expect(maskPersonalText('欧阳娜娜 and 欧阳娜', { names: ['欧阳娜', '欧阳娜娜', '王', '李*'] })).toBe(
      '欧阳** and 欧阳*',
    );
    expect(maskPersonalText('王五 of 王家', { names: ['王'] })).toBe('王五 of 王家');
  });

  it('masks anything shaped like a resident ID when asked, and only standalone digit runs', () => {
    const text = `"${codes.personId.slice(0, 17)}8" is not valid; ID#${codes.personId}; 44070275062041 and x440702197506204129`;
    expect(maskPersonalText(text, { idShaped: true })).toBe(
      '"4407021975****4128" is not valid; ID#4407021975****4129; 44070275062041 and x440702197506204129',
    );
    expect(maskPersonalText('old 440702750620412 number', { idShaped: true })).toBe(
      'old 44070275****412 number',
    );
  });

  it('returns the value untouched when nothing is known', () => {
    const view = { name: '王小明' };
    expect(maskPersonalData(view, {})).toBe(view);
  });
});
