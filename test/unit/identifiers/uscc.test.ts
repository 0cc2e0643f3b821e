import { describe, expect, it } from 'vitest';
import { parseDivisionPrefixTable, parseUsccCategoryTable } from '#lib/identifiers/code-tables';
import { computeOrganisationCheckCharacter as computeOrganisationCheck } from '#lib/identifiers/organisation-code';
import {
  AllowListParseError,
  computeUsccCheckCharacter,
  isUsccPlaceholder,
  parseAllowList,
  USCC_WEIGHTS,
  validateUscc,
} from '#lib/identifiers/uscc';

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
      warnings: [],
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
        warnings: [],
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

describe('Function: validateUscc — structure (GB 32100 table, GB/T 2260 division, GB 11714 code)', () => {
  // Each has a correct check character at position 18: only the structure is wrong.
  it('rejects 00440700MA4UJ8T28L: "0" is no registration authority in the GB 32100 table', () => {
    // Prepare
    const raw = '00440700MA4UJ8T28L';

    // Act
    const result = validateUscc(raw);

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'REGISTRATION_AUTHORITY', position: 1, found: '0' });
    expect(!result.ok && result.message).toMatch(
      /^registration authority code "0" at position 1 is not in the GB 32100 table \(.+\): known codes are 1 机构编制, 2 外交, .*, Y 其他$/,
    );
  });

  it('rejects YY440700MA4UJ8T28Q: "Y" (其他) has only category 1', () => {
    // Prepare
    const raw = 'YY440700MA4UJ8T28Q';

    // Act
    const result = validateUscc(raw);

    // Assess
    expect(result).toMatchObject({
      ok: false,
      code: 'ORGANISATION_CATEGORY',
      position: 2,
      found: 'Y',
      expected: '1',
    });
    expect(!result.ok && result.message).toContain(
      'organisation category "Y" at position 2 is not a category of registration authority "Y" (其他)',
    );
  });

  it('rejects a category that exists, but not under this authority: 94 (工商 has 1, 2, 3)', () => {
    // Prepare
    const first17 = '94440700MA4UJ8T28';
    const raw = first17 + computeUsccCheckCharacter(first17);

    // Act
    const result = validateUscc(raw);

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'ORGANISATION_CATEGORY', found: '4', expected: '123' });
    expect(!result.ok && result.message).toContain(
      'its categories are 1 企业, 2 个体工商户, 3 农民专业合作社',
    );
  });

  it('rejects 91ABCDEFMA4UJ8T28J: letters in the 6-digit division code', () => {
    // Prepare
    const raw = '91ABCDEFMA4UJ8T28J';

    // Act
    const result = validateUscc(raw);

    // Assess
    expect(result).toEqual({
      ok: false,
      code: 'DIVISION_CODE',
      value: raw,
      position: 3,
      found: 'ABCDEF',
      expected: '6 digits',
      message:
        'character "A" at position 3 is not allowed: positions 3–8 are the registering authority\'s ' +
        'administrative division code (GB/T 2260), digits only, found "ABCDEF"',
    });
  });

  it('names the first letter of a division code that is partly digits', () => {
    // Prepare
    const first17 = '914407A0MA4UJ8T28';
    const raw = first17 + computeUsccCheckCharacter(first17);

    // Act
    const result = validateUscc(raw);

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'DIVISION_CODE', position: 7, found: '4407A0' });
  });

  it('rejects 91440700MA4UJ8T275: positions 9–17 fail GB 11714 (the organisation code old records match on)', () => {
    // Prepare
    const raw = '91440700MA4UJ8T275';

    // Act
    const result = validateUscc(raw);

    // Assess
    expect(result).toMatchObject({
      ok: false,
      code: 'ORGANISATION_CODE',
      position: 17,
      found: 'MA4UJ8T27',
      expected: '8',
    });
    expect(!result.ok && result.message).toBe(
      'positions 9–17 "MA4UJ8T27" are not a valid organisation code (GB 11714), which they must be because ' +
        'old records are matched by it: check character at position 17 of the code (9 of the organisation ' +
        'code) should be "8" but is "7"',
    );
  });

  it('still reports a wrong check character first: it is the likelier typo', () => {
    // Prepare: authority 0 is unknown too, but position 18 does not match
    const raw = '00440700MA4UJ8T28M';

    // Act
    const result = validateUscc(raw);

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'CHECK_CHARACTER', expected: 'L', found: 'M' });
  });

  it.each([
    ['12100000MB0F43827A', '机构编制 / 事业单位, national level 100000'],
    ['51440700MJ0000000X', '民政 / 社会团体'],
    ['93440700MA4UJ8T28X', '工商 / 农民专业合作社'],
    ['N2440703MF0000001X', '农业 / 村级集体经济组织'],
  ])('accepts well-formed codes of other authorities: %s (%s)', (shape) => {
    // Prepare: keep the parts, make both check characters right
    const body8 = shape.slice(8, 16);
    const org = body8 + computeOrganisationCheck(body8);
    const first17 = shape.slice(0, 8) + org;
    const raw = first17 + computeUsccCheckCharacter(first17);

    // Act
    const result = validateUscc(raw);

    // Assess
    expect(result).toMatchObject({ ok: true, warnings: [] });
  });

  it('accepts a division code under no known province, with a DIVISION_UNKNOWN warning', () => {
    // Prepare: 99 is no province of GB/T 2260
    const first17 = '91990000MA4UJ8T28';
    const raw = first17 + computeUsccCheckCharacter(first17);

    // Act
    const result = validateUscc(raw);

    // Assess
    expect(result).toMatchObject({ ok: true, value: raw });
    expect(result.ok && result.warnings).toEqual([
      {
        code: 'DIVISION_UNKNOWN',
        position: 3,
        found: '990000',
        message:
          'division code 990000 at positions 3–8 starts with 99, which is not a province-level code of GB/T 2260 (nor 10, national)',
      },
    ]);
  });

  it('with a full division list, warns about a 6-digit code missing from it and not about one in it', () => {
    // Prepare: 440703 蓬江区 listed, 440799 not
    const divisions = new Set(['440700', '440703']);
    const known = '91440703MA4W12346G';
    const unknownFirst17 = '91440799MA4W12346';
    const unknown = unknownFirst17 + computeUsccCheckCharacter(unknownFirst17);

    // Act
    const knownResult = validateUscc(known, { divisions });
    const unknownResult = validateUscc(unknown, { divisions });

    // Assess
    expect(knownResult).toMatchObject({ ok: true, warnings: [] });
    expect(unknownResult).toMatchObject({
      ok: true,
      warnings: [{ code: 'DIVISION_UNKNOWN', found: '440799' }],
    });
    expect(unknownResult.ok && unknownResult.warnings[0]?.message).toBe(
      'division code 440799 at positions 3–8 is not in the GB/T 2260 list in use (it may be abolished or newer)',
    );
  });

  it('turns a structure failure of an allow-listed code into a warning: the operator vouched for it', () => {
    // Prepare: authority 0 and a wrong check character, but listed
    const raw = '00440700MA4UJ8T28M';
    const allowList = new Set([raw]);

    // Act
    const result = validateUscc(raw, { allowList });

    // Assess
    expect(result).toMatchObject({
      ok: true,
      allowListed: true,
      warnings: [{ code: 'REGISTRATION_AUTHORITY', position: 1, found: '0' }],
    });
  });

  it('does not let the allow-list rescue a structure failure when the check character is right', () => {
    // Prepare: the allow-list is for codes whose check character fails, nothing else
    const raw = '00440700MA4UJ8T28L';
    const allowList = new Set([raw]);

    // Act
    const result = validateUscc(raw, { allowList });

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'REGISTRATION_AUTHORITY' });
  });

  it('reads the table from configuration: an amended table admits a new authority letter', () => {
    // Prepare
    const categories = parseUsccCategoryTable({
      version: 'test amendment',
      source: 'test',
      authorities: [{ code: 'B', name: '新登记管理部门', categories: { '1': '新类别' } }],
    });
    const first17 = 'B1440700MA4UJ8T28';
    const raw = first17 + computeUsccCheckCharacter(first17);

    // Act
    const withDefault = validateUscc(raw);
    const withAmended = validateUscc(raw, { categories });

    // Assess
    expect(withDefault).toMatchObject({ ok: false, code: 'REGISTRATION_AUTHORITY', found: 'B' });
    expect(withAmended).toMatchObject({ ok: true, registrationAuthority: 'B' });
  });
});

describe('Module: code-tables', () => {
  it('refuses a malformed or contradictory table instead of loading it', () => {
    // Prepare
    const twice = {
      version: 'v',
      source: 's',
      authorities: [
        { code: '9', name: 'a', categories: { '1': 'x' } },
        { code: '9', name: 'b', categories: { '2': 'y' } },
      ],
    };
    const badCode = { version: 'v', source: 's', authorities: [{ code: '99', name: 'a', categories: {} }] };
    const badPrefix = {
      version: 'v',
      source: 's',
      prefixes: [{ prefix: '4', name: 'x', appliesTo: ['uscc'] }],
    };

    // Act
    const parseTwice = () => parseUsccCategoryTable(twice);
    const parseBadCode = () => parseUsccCategoryTable(badCode);
    const parseBadPrefix = () => parseDivisionPrefixTable(badPrefix);

    // Assess
    expect(parseTwice).toThrow('lists registration authority "9" twice');
    expect(parseBadCode).toThrow();
    expect(parseBadPrefix).toThrow();
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
