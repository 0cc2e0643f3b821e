import { describe, expect, it } from 'vitest';
import {
  classifySubjectCode,
  computeBusinessRegistrationCheckDigit,
  type SubjectCodeClassification,
  validateBusinessRegistrationNumber,
} from '#lib/identifiers/classify';

// 工商注册号 of well-known companies as printed on their pre-2016 licences.
const PUBLIC_REGISTRATION_NUMBERS = [
  ['440301103448669', '腾讯科技（深圳）有限公司'],
  ['440301103097413', '华为技术有限公司'],
  ['110108012660422', '小米科技有限责任公司'],
] as const;

// Any fixed day after every birth date the examples carry.
const TODAY = '2026-06-01';

function types(result: SubjectCodeClassification): string[] {
  return result.ok ? result.candidates.map((candidate) => candidate.type) : [];
}

describe('Function: computeBusinessRegistrationCheckDigit', () => {
  it.each(PUBLIC_REGISTRATION_NUMBERS)('computes the ISO 7064 MOD 11,10 check digit of %s (%s)', (number) => {
    // Prepare
    const first14 = number.slice(0, 14);

    // Act
    const check = computeBusinessRegistrationCheckDigit(first14);

    // Assess
    expect(check).toBe(number[14]);
  });

  it('throws a RangeError unless given 14 digits', () => {
    // Prepare
    const raw = '4403011034486';

    // Act
    const compute = () => computeBusinessRegistrationCheckDigit(raw);

    // Assess
    expect(compute).toThrow(RangeError);
  });
});

describe('Function: validateBusinessRegistrationNumber', () => {
  it.each(PUBLIC_REGISTRATION_NUMBERS)('accepts %s (%s)', (number) => {
    // Prepare
    const raw = ` ${number.slice(0, 6)} ${number.slice(6)} `;

    // Act
    const result = validateBusinessRegistrationNumber(raw);

    // Assess
    expect(result).toEqual({ ok: true, value: number, authorityCode: number.slice(0, 6) });
  });

  it.each([
    ['', 'EMPTY'],
    ['44030110344866', 'LENGTH'],
    ['44030110344866A', 'CHARACTER'],
    ['440301103448668', 'CHECK_CHARACTER'],
  ])('reports %j as %s', (raw, code) => {
    // Prepare
    const input = raw;

    // Act
    const result = validateBusinessRegistrationNumber(input);

    // Assess
    expect(result).toMatchObject({ ok: false, code });
  });

  it('names expected and found check digits', () => {
    // Prepare
    const raw = '440301103448668';

    // Act
    const result = validateBusinessRegistrationNumber(raw);

    // Assess
    expect(result).toMatchObject({ position: 15, expected: '9', found: '8' });
    expect(!result.ok && result.message).toBe('check digit at position 15 should be "9" but is "8"');
  });
});

describe('Function: classifySubjectCode', () => {
  it('recognises a USCC and records why it is not a resident ID', () => {
    // Prepare
    const raw = '9144030071526726XG';

    // Act
    const result = classifySubjectCode(raw, { today: TODAY });

    // Assess
    expect(result).toMatchObject({ ok: true, value: raw, ambiguous: false });
    expect(types(result)).toEqual(['uscc']);
    expect(result.ok && result.rejected).toEqual([
      expect.objectContaining({
        type: 'resident-id',
        result: expect.objectContaining({ code: 'CHARACTER' }),
      }),
    ]);
  });

  it('recognises an 18-digit resident ID with X that is not a valid USCC', () => {
    // Prepare
    const raw = '11010519491231002x';

    // Act
    const result = classifySubjectCode(raw, { today: TODAY });

    // Assess
    expect(types(result)).toEqual(['resident-id']);
    expect(result.ok && result.candidates[0].result).toMatchObject({ birthDate: '1949-12-31' });
  });

  it('returns both candidates, resident ID first, for 18 digits valid as both USCC and resident ID', () => {
    // Prepare: 11010519900307219 gives 4 under both check algorithms, and as a USCC its parts fit
    // (1 机构编制, 1 机关; 990030721 a valid organisation code)
    const raw = '110105199003072194';

    // Act
    const result = classifySubjectCode(raw, { today: TODAY });

    // Assess
    expect(result).toMatchObject({ ok: true, ambiguous: true, rejected: [] });
    expect(types(result)).toEqual(['resident-id', 'uscc']);
  });

  it('puts an allow-listed USCC before the resident ID it could also be', () => {
    // Prepare
    const raw = '440524188001010014';
    const allowList = new Set([raw]);

    // Act
    const result = classifySubjectCode(raw, { today: TODAY, allowList });

    // Assess
    expect(types(result)).toEqual(['uscc', 'resident-id']);
    expect(result.ok && result.candidates[0].result).toMatchObject({ allowListed: true });
  });

  it('returns 工商注册号 first, then the converted legacy ID, for 15 digits valid as both', () => {
    // Prepare: also the 15-digit form of the GB 11643 example 11010519491231002X
    const raw = '110105491231002';

    // Act
    const result = classifySubjectCode(raw, { today: TODAY });

    // Assess
    expect(result).toMatchObject({ ok: true, ambiguous: true });
    expect(types(result)).toEqual(['business-registration-number', 'resident-id']);
    expect(result.ok && result.candidates[1]?.result).toMatchObject({
      value: '11010519491231002X',
      converted15: true,
    });
  });

  it('returns only the legacy ID when the 15 digits fail the registration-number check', () => {
    // Prepare
    const raw = '110105491231001';

    // Act
    const result = classifySubjectCode(raw, { today: TODAY });

    // Assess
    expect(types(result)).toEqual(['resident-id']);
    expect(result.ok && result.rejected).toEqual([
      expect.objectContaining({
        type: 'business-registration-number',
        result: expect.objectContaining({ code: 'CHECK_CHARACTER' }),
      }),
    ]);
  });

  it('returns only the 工商注册号 when positions 7–12 are not a birth date', () => {
    // Prepare
    const raw = '440301103448669';

    // Act
    const result = classifySubjectCode(raw, { today: TODAY });

    // Assess
    expect(types(result)).toEqual(['business-registration-number']);
  });

  it('recognises an organisation code with or without hyphen', () => {
    // Prepare
    const inputs = ['71526726-X', '71526726x'];

    // Act
    const results = inputs.map((input) => classifySubjectCode(input, { today: TODAY }));

    // Assess
    for (const result of results) {
      expect(types(result)).toEqual(['organisation-code']);
      expect(result.ok && result.candidates[0].result).toMatchObject({ formatted: '71526726-X' });
    }
  });

  it('reports EMPTY', () => {
    // Prepare
    const raw = '   ';

    // Act
    const result = classifySubjectCode(raw, { today: TODAY });

    // Assess
    expect(result).toEqual({
      ok: false,
      code: 'EMPTY',
      value: '',
      attempts: [],
      message: 'subject code is empty',
    });
  });

  it('reports PLACEHOLDER for 00000000000000000X', () => {
    // Prepare
    const raw = '00000000000000000x';

    // Act
    const result = classifySubjectCode(raw, { today: TODAY });

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'PLACEHOLDER', value: '00000000000000000X' });
    expect(!result.ok && result.message).toContain('工商注册号');
  });

  it('reports LENGTH naming the lengths it knows', () => {
    // Prepare
    const raw = '1234567890';

    // Act
    const result = classifySubjectCode(raw, { today: TODAY });

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'LENGTH', attempts: [] });
    expect(!result.ok && result.message).toBe(
      'a subject code of 10 characters is none of the known kinds: expected 18 (unified social credit code ' +
        'or resident identity number), 15 (business registration number or legacy resident identity number) ' +
        'or 9 (organisation code, hyphen not counted)',
    );
  });

  it('reports INVALID for 18 characters, leading with the interpretation that got furthest', () => {
    // Prepare
    const raw = '91110000100000589B';

    // Act
    const result = classifySubjectCode(raw, { today: TODAY });

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'INVALID' });
    expect(!result.ok && result.attempts.map((attempt) => attempt.type)).toEqual(['uscc', 'resident-id']);
    expect(!result.ok && result.message).toBe(
      '"91110000100000589B" is neither a valid unified social credit code (check character at position 18 ' +
        'should be "A" but is "B") nor a valid resident identity number (character "B" at position 18 is not ' +
        'allowed in a resident identity number: the check character at position 18 is a digit or X)',
    );
  });

  it('reports INVALID for 15 digits that are neither a registration number nor a legacy ID', () => {
    // Prepare
    const raw = '110105491331003';

    // Act
    const result = classifySubjectCode(raw, { today: TODAY });

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'INVALID' });
    expect(!result.ok && result.message).toBe(
      '"110105491331003" is neither a valid business registration number (check digit at position 15 should ' +
        'be "9" but is "3") nor a valid resident identity number (birth date 491331 at positions 7–12 is not a real date)',
    );
  });

  it('reports INVALID for a 9-character code with a wrong check character', () => {
    // Prepare
    const raw = '71526726-1';

    // Act
    const result = classifySubjectCode(raw, { today: TODAY });

    // Assess
    expect(!result.ok && result.message).toBe(
      '"715267261" is not a valid organisation code (check character at position 9 should be "X" but is "1")',
    );
  });

  it('passes today through to the resident-ID check', () => {
    // Prepare
    const raw = '110105202507020018';
    const today = '2025-07-01';

    // Act
    const result = classifySubjectCode(raw, { today });

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'INVALID' });
    expect(!result.ok && result.attempts[0]).toMatchObject({
      type: 'resident-id',
      result: { code: 'FUTURE_BIRTH_DATE' },
    });
  });
});
