import { describe, expect, it } from 'vitest';
import {
  AllowListParseError,
  computeUsccCheckCharacter,
  isUsccPlaceholder,
  parseAllowList,
  USCC_WEIGHTS,
  validateUscc,
} from '../../../lib/identifiers/uscc';

// Codes of well-known companies as printed on their business licences. Each also has a valid
// GB 11714 organisation code at positions 9–17, which cross-checks the two algorithms.
const PUBLIC_CODES = [
  ['9144030071526726XG', '腾讯科技（深圳）有限公司'],
  ['914403001922038216', '华为技术有限公司'],
  ['91110000802100433B', '北京百度网讯科技有限公司'],
  ['91110108551385082Q', '小米科技有限责任公司'],
  ['91100000100003962T', '中国工商银行股份有限公司'],
] as const;

// Fujian pilot code, legally issued before the check algorithm was fixed: the check fails.
const FUJIAN_PILOT = '91350100M0001TGQXM';

describe('Function: computeUsccCheckCharacter', () => {
  it.each(PUBLIC_CODES)('computes the printed check character of %s (%s)', (code) => {
    // Prepare
    const first17 = code.slice(0, 17);

    // Act
    const check = computeUsccCheckCharacter(first17);

    // Assess
    expect(check).toBe(code[17]);
  });

  it('uses the weights 3^(i−1) mod 31 from the standard', () => {
    // Prepare
    const derived = Array.from({ length: 17 }, (_, i) => 3 ** i % 31);

    // Act
    const weights = [...USCC_WEIGHTS];

    // Assess
    expect(weights).toEqual(derived);
  });

  it('normalises its input first', () => {
    // Prepare
    const first17 = '９１４４ ０３００-71526726x';

    // Act
    const check = computeUsccCheckCharacter(first17);

    // Assess
    expect(check).toBe('G');
  });

  it('throws a RangeError for the wrong length or a character outside the alphabet', () => {
    // Prepare
    const tooShort = '9144030071526726';
    const badCharacter = '91440300715267I6X';

    // Act
    const computeShort = () => computeUsccCheckCharacter(tooShort);
    const computeBad = () => computeUsccCheckCharacter(badCharacter);

    // Assess
    expect(computeShort).toThrow(RangeError);
    expect(computeShort).toThrow('needs 17 characters, got 16');
    expect(computeBad).toThrow('character "I" at position 15');
  });
});

describe('Function: validateUscc', () => {
  it.each(PUBLIC_CODES)('accepts the public code %s (%s) and splits it into its parts', (code) => {
    // Prepare
    const raw = code;

    // Act
    const result = validateUscc(raw);

    // Assess
    expect(result).toEqual({
      ok: true,
      value: code,
      allowListed: false,
      registrationAuthority: code.slice(0, 1),
      orgType: code.slice(1, 2),
      divisionCode: code.slice(2, 8),
      organisationCode: code.slice(8, 17),
    });
  });

  it('names the parts of a code: authority, organisation type, division and organisation code', () => {
    // Prepare
    const raw = '9144030071526726XG';

    // Act
    const result = validateUscc(raw);

    // Assess
    expect(result).toMatchObject({
      ok: true,
      registrationAuthority: '9',
      orgType: '1',
      divisionCode: '440300',
      organisationCode: '71526726X',
    });
  });

  it('accepts full-width, spaced, hyphenated and lower-case input and returns the normalised value', () => {
    // Prepare
    const raw = ' ９１４４０３００-7152 6726\u3000xg ';

    // Act
    const result = validateUscc(raw);

    // Assess
    expect(result).toMatchObject({ ok: true, value: '9144030071526726XG' });
  });

  it.each([
    ['Y1110000MA0000007H', 'Y'],
    ['A1110000MA00000076', 'A'],
    ['N2110000MA0000007N', 'N'],
  ])('accepts %s: position 1 need not be a digit (%s)', (code, authority) => {
    // Prepare
    const raw = code;

    // Act
    const result = validateUscc(raw);

    // Assess
    expect(result).toMatchObject({ ok: true, registrationAuthority: authority, allowListed: false });
  });

  it('reports EMPTY for blank, null and undefined input', () => {
    // Prepare
    const inputs = ['', '   ', null, undefined];

    // Act
    const results = inputs.map((input) => validateUscc(input));

    // Assess
    for (const result of results) {
      expect(result).toEqual({
        ok: false,
        code: 'EMPTY',
        value: '',
        message: 'unified social credit code is empty',
      });
    }
  });

  it.each([
    ['9144030071526726X', 17],
    ['9144030071526726XGG', 19],
  ])('reports LENGTH with the length found for %s', (raw, length) => {
    // Prepare
    const input = raw;

    // Act
    const result = validateUscc(input);

    // Assess
    expect(result).toEqual({
      ok: false,
      code: 'LENGTH',
      value: raw,
      expected: '18',
      found: String(length),
      message: `unified social credit code must have 18 characters, found ${length}`,
    });
  });

  it.each(['I', 'O', 'S', 'V', 'Z'])(
    'reports CHARACTER for the excluded letter %s and says why',
    (letter) => {
      // Prepare
      const raw = `9144${letter}30071526726XG`;

      // Act
      const result = validateUscc(raw);

      // Assess
      expect(result).toMatchObject({ ok: false, code: 'CHARACTER', position: 5, found: letter });
      expect(!result.ok && result.message).toBe(
        `character "${letter}" at position 5 is not allowed in a unified social credit code: ` +
          'the letters I, O, S, V and Z are excluded from the code alphabet (GB 32100-2015)',
      );
    },
  );

  it('reports CHARACTER for a Chinese character with its code point', () => {
    // Prepare
    const raw = '914403007152672公XG';

    // Act
    const result = validateUscc(raw);

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'CHARACTER', position: 16, found: '公' });
    expect(!result.ok && result.message).toBe(
      'character "公" (U+516C) at position 16 is not allowed in a unified social credit code: ' +
        'only the digits 0–9 and the letters A–Z except I, O, S, V, Z are used',
    );
  });

  it('counts positions in characters, not UTF-16 units', () => {
    // Prepare
    const raw = '9144030071526726😀G';

    // Act
    const result = validateUscc(raw);

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'CHARACTER', position: 17, found: '😀' });
  });

  it('reports CHECK_CHARACTER with expected and found for 91110000100000589B', () => {
    // Prepare: a plausible-looking code whose check character is wrong (the correct one is A)
    const raw = '91110000100000589B';

    // Act
    const result = validateUscc(raw);

    // Assess
    expect(result).toEqual({
      ok: false,
      code: 'CHECK_CHARACTER',
      value: raw,
      position: 18,
      expected: 'A',
      found: 'B',
      message: 'check character at position 18 should be "A" but is "B"',
    });
  });

  it('reports PLACEHOLDER for 00000000000000000X, also typed with lower-case x or full-width', () => {
    // Prepare
    const inputs = ['00000000000000000X', '00000000000000000x', '０００００００００００００００００Ｘ'];

    // Act
    const results = inputs.map((input) => validateUscc(input));

    // Assess
    for (const result of results) {
      expect(result).toMatchObject({ ok: false, code: 'PLACEHOLDER', value: '00000000000000000X' });
      expect(!result.ok && result.message).toContain('工商注册号');
    }
  });

  describe('with the operator allow-list', () => {
    it(`rejects the Fujian pilot code ${FUJIAN_PILOT} without the allow-list`, () => {
      // Prepare
      const raw = FUJIAN_PILOT;

      // Act
      const result = validateUscc(raw);

      // Assess
      expect(result).toMatchObject({ ok: false, code: 'CHECK_CHARACTER', expected: '1', found: 'M' });
      expect(!result.ok && result.message).toBe('check character at position 18 should be "1" but is "M"');
    });

    it('accepts it flagged allowListed when it is on the allow-list', () => {
      // Prepare
      const allowList = parseAllowList(`# Fujian pilot codes\n${FUJIAN_PILOT}\n`);

      // Act
      const result = validateUscc(` ${FUJIAN_PILOT.toLowerCase()} `, { allowList });

      // Assess
      expect(result).toEqual({
        ok: true,
        value: FUJIAN_PILOT,
        allowListed: true,
        registrationAuthority: '9',
        orgType: '1',
        divisionCode: '350100',
        organisationCode: 'M0001TGQX',
      });
    });

    it('does not flag a code whose check passes even if it is listed', () => {
      // Prepare
      const allowList = new Set(['9144030071526726XG']);

      // Act
      const result = validateUscc('9144030071526726XG', { allowList });

      // Assess
      expect(result).toMatchObject({ ok: true, allowListed: false });
    });

    it('does not rescue other errors or unlisted codes', () => {
      // Prepare
      const allowList = new Set([FUJIAN_PILOT]);

      // Act
      const wrongCheck = validateUscc('91110000100000589B', { allowList });
      const tooShort = validateUscc(FUJIAN_PILOT.slice(0, 17), { allowList });

      // Assess
      expect(wrongCheck).toMatchObject({ ok: false, code: 'CHECK_CHARACTER' });
      expect(tooShort).toMatchObject({ ok: false, code: 'LENGTH' });
    });
  });
});

describe('Function: isUsccPlaceholder', () => {
  it('recognises the placeholder after normalisation and nothing else', () => {
    // Prepare
    const inputs = [
      ' 00000000000000000x ',
      '00000000000000000X',
      '000000000000000000',
      '9144030071526726XG',
      null,
    ];

    // Act
    const results = inputs.map((input) => isUsccPlaceholder(input));

    // Assess
    expect(results).toEqual([true, true, false, false, false]);
  });
});

describe('Function: parseAllowList', () => {
  it('reads one code per line, skipping comments and blank lines, normalising each entry', () => {
    // Prepare
    const text = [
      '\uFEFF# Known legally issued codes whose check character fails',
      '',
      `${FUJIAN_PILOT}   # Fujian pilot, confirmed 2024-03 by the provincial SAMR`,
      '  ９１３５０１００-M0001TGQXM  ',
      '\t# indented comment',
      '91350100m0001tgqxm',
    ].join('\r\n');

    // Act
    const list = parseAllowList(text);

    // Assess
    expect([...list]).toEqual([FUJIAN_PILOT]);
  });

  it('returns an empty set for an empty file', () => {
    // Prepare
    const text = '';

    // Act
    const list = parseAllowList(text);

    // Assess
    expect(list.size).toBe(0);
  });

  it('rejects a malformed entry with its line number instead of skipping it', () => {
    // Prepare
    const text = `# header\n${FUJIAN_PILOT}\n91350100M0001TGQX\n`;

    // Act
    const parse = () => parseAllowList(text);

    // Assess
    expect(parse).toThrow(AllowListParseError);
    expect(parse).toThrow('USCC allow-list line 3: "91350100M0001TGQX" has 17 characters, expected 18');
  });

  it('rejects an entry with a character outside the alphabet, naming the error class', () => {
    // Prepare
    const text = '91350100M0001TGQOM';

    // Act
    let caught: unknown;
    try {
      parseAllowList(text);
    } catch (error) {
      caught = error;
    }

    // Assess
    expect(caught).toBeInstanceOf(AllowListParseError);
    expect((caught as AllowListParseError).name).toBe('AllowListParseError');
    expect((caught as AllowListParseError).line).toBe(1);
    expect((caught as AllowListParseError).message).toContain('character "O" at position 17');
  });
});
