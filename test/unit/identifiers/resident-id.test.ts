import { describe, expect, it } from 'vitest';
import { fixedClock } from '#lib/clock/clock';
import {
  computeResidentIdCheckCharacter,
  convertId15To18,
  validateResidentId,
} from '#lib/identifiers/resident-id';

// The two worked examples printed in GB 11643-1999 itself.
const STANDARD_FEMALE = '11010519491231002X';
const STANDARD_MALE = '440524188001010014';
// 2025-07-01 00:30 in Beijing time is still 2025-06-30 in UTC.
const EARLY_MORNING_JULY_FIRST_IN_CHINA = new Date('2025-06-30T16:30:00Z');
// What the caller's clock says that instant is: the rule takes the business date, not the instant.
const JULY_FIRST_IN_CHINA = fixedClock(EARLY_MORNING_JULY_FIRST_IN_CHINA).today();
// Any fixed day after every birth date the other examples carry.
const TODAY = '2026-06-01';

describe('Function: computeResidentIdCheckCharacter', () => {
  it('reproduces the check characters of the examples in GB 11643-1999, including X', () => {
    // Prepare
    const female17 = STANDARD_FEMALE.slice(0, 17);
    const male17 = STANDARD_MALE.slice(0, 17);

    // Act
    const femaleCheck = computeResidentIdCheckCharacter(female17);
    const maleCheck = computeResidentIdCheckCharacter(male17);

    // Assess
    expect(femaleCheck).toBe('X');
    expect(maleCheck).toBe('4');
  });

  it('throws a RangeError unless given 17 digits', () => {
    // Prepare
    const raw = '1101051949123100X';

    // Act
    const compute = () => computeResidentIdCheckCharacter(raw);

    // Assess
    expect(compute).toThrow(RangeError);
  });
});

describe('Function: validateResidentId', () => {
  it('accepts the female example of the standard and reads birth date and sex', () => {
    // Prepare
    const raw = STANDARD_FEMALE;

    // Act
    const result = validateResidentId(raw, { today: TODAY });

    // Assess
    expect(result).toEqual({
      ok: true,
      value: STANDARD_FEMALE,
      birthDate: '1949-12-31',
      sex: 'female',
      regionCode: '110105',
      converted15: false,
      warnings: [],
    });
  });

  it('accepts the male example of the standard, born 1880', () => {
    // Prepare
    const raw = STANDARD_MALE;

    // Act
    const result = validateResidentId(raw, { today: TODAY });

    // Assess
    expect(result).toMatchObject({ ok: true, birthDate: '1880-01-01', sex: 'male', converted15: false });
  });

  it('accepts lower-case x, full-width digits and spaces, and returns the normalised number', () => {
    // Prepare
    const raw = ' １１０１０５ 19491231 002x ';

    // Act
    const result = validateResidentId(raw, { today: TODAY });

    // Assess
    expect(result).toMatchObject({ ok: true, value: STANDARD_FEMALE });
  });

  it('accepts 29 February in a leap year (2000) and a birth on today’s date in China', () => {
    // Prepare
    const leap = '11010520000229003X';
    const bornToday = '110105202507010012';

    // Act
    const leapResult = validateResidentId(leap, { today: TODAY });
    const todayResult = validateResidentId(bornToday, { today: JULY_FIRST_IN_CHINA });

    // Assess
    expect(leapResult).toMatchObject({ ok: true, birthDate: '2000-02-29', sex: 'male' });
    expect(todayResult).toMatchObject({ ok: true, birthDate: '2025-07-01' });
  });

  it('reports EMPTY', () => {
    // Prepare
    const raw = '\u3000';

    // Act
    const result = validateResidentId(raw, { today: TODAY });

    // Assess
    expect(result).toEqual({
      ok: false,
      code: 'EMPTY',
      value: '',
      message: 'resident identity number is empty',
    });
  });

  it.each([
    ['1101051949123100', 16],
    ['11010519491231002', 17],
    ['11010519491231002X1', 19],
  ])('reports LENGTH for %s', (raw, length) => {
    // Prepare
    const input = raw;

    // Act
    const result = validateResidentId(input, { today: TODAY });

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'LENGTH', found: String(length) });
    expect(!result.ok && result.message).toBe(
      `resident identity number must have 18 characters (or 15 digits for a legacy number), found ${length}`,
    );
  });

  it('reports CHARACTER for a non-digit at position n of the first 17', () => {
    // Prepare
    const raw = '1101A519491231002X';

    // Act
    const result = validateResidentId(raw, { today: TODAY });

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'CHARACTER', position: 5, found: 'A', expected: '0-9' });
    expect(!result.ok && result.message).toBe(
      'character "A" at position 5 is not allowed in a resident identity number: positions 1–17 are digits',
    );
  });

  it('reports CHARACTER for X anywhere but position 18', () => {
    // Prepare
    const raw = '1101051949123100X2';

    // Act
    const result = validateResidentId(raw, { today: TODAY });

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'CHARACTER', position: 17, found: 'X' });
  });

  it('reports CHARACTER for a check character that is neither digit nor X', () => {
    // Prepare
    const raw = '11010519491231002Y';

    // Act
    const result = validateResidentId(raw, { today: TODAY });

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'CHARACTER', position: 18, expected: '0-9 or X' });
    expect(!result.ok && result.message).toContain('the check character at position 18 is a digit or X');
  });

  it.each([
    ['110105194902300017', '19490230'],
    ['110105194913010017', '19491301'],
    ['110105190002290017', '19000229'],
    ['110105194900000017', '19490000'],
  ])('reports BIRTH_DATE for %s: %s is not a real date', (raw, digits) => {
    // Prepare
    const input = raw;

    // Act
    const result = validateResidentId(input, { today: TODAY });

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'BIRTH_DATE', found: digits });
    expect(!result.ok && result.message).toBe(`birth date ${digits} at positions 7–14 is not a real date`);
  });

  it('reports BIRTH_DATE for a year before 1800', () => {
    // Prepare
    const raw = '440524179901010015';

    // Act
    const result = validateResidentId(raw, { today: TODAY });

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'BIRTH_DATE', found: '17990101' });
    expect(!result.ok && result.message).toContain('before 1800');
  });

  it('reports FUTURE_BIRTH_DATE against today in China, naming today', () => {
    // Prepare
    const raw = '110105202507020018';

    // Act
    const result = validateResidentId(raw, { today: JULY_FIRST_IN_CHINA });

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'FUTURE_BIRTH_DATE', found: '2025-07-02' });
    expect(!result.ok && result.message).toBe(
      'birth date 2025-07-02 at positions 7–14 is in the future (today is 2025-07-01 in China)',
    );
  });

  it('reports CHECK_CHARACTER with expected and found', () => {
    // Prepare
    const raw = '110105194912310021';

    // Act
    const result = validateResidentId(raw, { today: TODAY });

    // Assess
    expect(result).toEqual({
      ok: false,
      code: 'CHECK_CHARACTER',
      value: raw,
      position: 18,
      expected: 'X',
      found: '1',
      message: 'check character at position 18 should be "X" but is "1"',
    });
  });

  it('reports REGION when positions 1–2 are no province-level code, before looking at the date', () => {
    // Prepare: 99 is no province; the rest is the standard's female example, check recomputed
    const first17 = `99${STANDARD_FEMALE.slice(2, 17)}`;
    const raw = first17 + computeResidentIdCheckCharacter(first17);

    // Act
    const result = validateResidentId(raw, { today: TODAY });

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'REGION', position: 1, found: '99' });
    expect(!result.ok && result.message).toMatch(
      /^positions 1–2 "99" are not a province-level code of GB\/T 2260 \(.+\): a resident identity number begins with the province where it was first issued$/,
    );
  });

  it.each(['10', '00', '20', '72'])(
    'reports REGION for the prefix %s, also on a legacy 15-digit number',
    (prefix) => {
      // Prepare
      const legacy = `${prefix}0105491231002`;

      // Act
      const result = validateResidentId(legacy, { today: TODAY });

      // Assess
      expect(result).toMatchObject({ ok: false, code: 'REGION', found: prefix });
    },
  );

  it('accepts the 81/82/83 prefixes of residence permits for Hong Kong, Macao and Taiwan residents', () => {
    // Prepare
    const numbers = ['810000', '820000', '830000'].map((region) => {
      const first17 = `${region}19900101001`;
      return first17 + computeResidentIdCheckCharacter(first17);
    });

    // Act
    const results = numbers.map((n) => validateResidentId(n, { today: TODAY }));

    // Assess
    for (const result of results) expect(result).toMatchObject({ ok: true, warnings: [] });
  });

  it('with a full division list, warns (does not reject) when the 6-digit address code is missing from it', () => {
    // Prepare: the number keeps the code of where it was first issued, even if abolished since
    const divisions = new Set(['110101']);

    // Act
    const result = validateResidentId(STANDARD_FEMALE, { today: TODAY, divisions });

    // Assess
    expect(result).toMatchObject({
      ok: true,
      warnings: [
        {
          code: 'DIVISION_UNKNOWN',
          position: 1,
          found: '110105',
          message:
            'address code 110105 at positions 1–6 is not in the GB/T 2260 list in use (it may be abolished or newer)',
        },
      ],
    });
  });

  describe('with a legacy 15-digit number', () => {
    it('converts it to 18 digits and flags converted15', () => {
      // Prepare
      const raw = '110105491231002';

      // Act
      const result = validateResidentId(raw, { today: TODAY });

      // Assess
      expect(result).toEqual({
        ok: true,
        value: STANDARD_FEMALE,
        birthDate: '1949-12-31',
        sex: 'female',
        regionCode: '110105',
        converted15: true,
        original: '110105491231002',
        warnings: [],
      });
    });

    it('reads sex from the last digit of the sequence (check by hand: Σ = 196, 196 mod 11 = 9 → "3")', () => {
      // Prepare
      const raw = '440524800101001';

      // Act
      const result = validateResidentId(raw, { today: TODAY });

      // Assess
      expect(result).toMatchObject({
        ok: true,
        value: '440524198001010013',
        sex: 'male',
        birthDate: '1980-01-01',
      });
    });

    it('reports BIRTH_DATE at positions 7–12 for an impossible date', () => {
      // Prepare
      const raw = '110105491331002';

      // Act
      const result = validateResidentId(raw, { today: TODAY });

      // Assess
      expect(result).toMatchObject({ ok: false, code: 'BIRTH_DATE', found: '491331' });
      expect(!result.ok && result.message).toBe('birth date 491331 at positions 7–12 is not a real date');
    });

    it('reports CHARACTER for an X, since legacy numbers have no check character', () => {
      // Prepare
      const raw = '11010549123100X';

      // Act
      const result = validateResidentId(raw, { today: TODAY });

      // Assess
      expect(result).toMatchObject({ ok: false, code: 'CHARACTER', position: 15 });
      expect(!result.ok && result.message).toContain('a 15-digit legacy number has digits only');
    });
  });
});

describe('Function: convertId15To18', () => {
  it('inserts the century 19 and appends the check character', () => {
    // Prepare
    const id15 = '110105491231002';

    // Act
    const id18 = convertId15To18(id15);

    // Assess
    expect(id18).toBe(STANDARD_FEMALE);
  });

  it('throws a RangeError unless given 15 digits', () => {
    // Prepare
    const inputs = ['11010549123100', STANDARD_FEMALE, '11010549123100X'];

    // Act
    const converts = inputs.map((input) => () => convertId15To18(input));

    // Assess
    for (const convert of converts) expect(convert).toThrow(RangeError);
  });
});
