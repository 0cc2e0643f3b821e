import { describe, expect, it } from 'vitest';
import { maskIdentifier, maskPersonName, maskResidentId } from '#lib/identifiers/mask';

describe('Function: maskResidentId', () => {
  it('hides birth month and day of an 18-digit number the way the Supreme People’s Court publishes it', () => {
    // Prepare
    const id = '342301196412313223';

    // Act
    const masked = maskResidentId(id);

    // Assess
    expect(masked).toBe('3423011964****3223');
  });

  it('keeps a trailing X and normalises first', () => {
    // Prepare
    const id = ' 110105 19491231 002x ';

    // Act
    const masked = maskResidentId(id);

    // Assess
    expect(masked).toBe('1101051949****002X');
  });

  it('hides MMDD at positions 9–12 of a legacy 15-digit number', () => {
    // Prepare
    const id = '110105491231002';

    // Act
    const masked = maskResidentId(id);

    // Assess
    expect(masked).toBe('11010549****002');
  });

  it('masks any other shape entirely rather than guess which part identifies the person', () => {
    // Prepare
    const id = '11010519491231';

    // Act
    const masked = maskResidentId(id);

    // Assess
    expect(masked).toBe('**************');
  });
});

describe('Function: maskPersonName', () => {
  it.each([
    ['张三', '张*'],
    ['王小明', '王**'],
    ['欧阳娜娜', '欧阳**'],
    ['欧阳修', '欧阳*'],
    ['司马光', '司马*'],
    ['诸葛亮', '诸葛*'],
    ['上官婉儿', '上官**'],
    ['令狐冲', '令狐*'],
    ['尉迟恭', '尉迟*'],
    ['东方明珠', '东方**'],
  ])('masks %s as %s', (name, expected) => {
    // Prepare
    const input = name;

    // Act
    const masked = maskPersonName(input);

    // Assess
    expect(masked).toBe(expected);
  });

  it('reads a two-character name that is also a compound surname as surname + given name', () => {
    // Prepare
    const name = '欧阳';

    // Act
    const masked = maskPersonName(name);

    // Assess
    expect(masked).toBe('欧*');
  });

  it('masks a one-character name entirely and returns empty for empty input', () => {
    // Prepare
    const names = ['张', '', '  '];

    // Act
    const masked = names.map(maskPersonName);

    // Assess
    expect(masked).toEqual(['*', '', '']);
  });

  it('keeps the separator dot of transliterated names visible', () => {
    // Prepare
    const name = '买买提·艾力';

    // Act
    const masked = maskPersonName(name);

    // Assess
    expect(masked).toBe('买**·**');
  });

  it('does not treat 单于 as a compound surname, so the given name is not revealed', () => {
    // Prepare
    const name = '单于明';

    // Act
    const masked = maskPersonName(name);

    // Assess
    expect(masked).toBe('单**');
  });

  it('trims surrounding whitespace', () => {
    // Prepare
    const name = ' 李四 ';

    // Act
    const masked = maskPersonName(name);

    // Assess
    expect(masked).toBe('李*');
  });
});

describe('Function: maskIdentifier', () => {
  it('masks resident IDs', () => {
    // Prepare
    const value = '11010519491231002X';

    // Act
    const masked = maskIdentifier('resident-id', value);

    // Assess
    expect(masked).toBe('1101051949****002X');
  });

  it('leaves organisations’ codes readable, only normalised, because they are public registration data', () => {
    // Prepare
    const values = [
      ['uscc', '９１４４０３００７１５２６７２６ｘｇ'],
      ['organisation-code', '71526726-X'],
      ['business-registration-number', '440301 103448669'],
    ] as const;

    // Act
    const masked = values.map(([type, value]) => maskIdentifier(type, value));

    // Assess
    expect(masked).toEqual(['9144030071526726XG', '71526726X', '440301103448669']);
  });
});
