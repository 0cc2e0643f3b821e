import { describe, expect, it } from 'vitest';
import {
  computeOrganisationCheckCharacter,
  formatOrganisationCode,
  organisationCodeFromUscc,
  validateOrganisationCode,
} from '#lib/identifiers/organisation-code';

// Organisation codes of well-known companies (positions 9–17 of their public USCCs).
const PUBLIC_CODES = ['71526726-X', '19220382-1', '80210043-3', '55138508-2', '10000396-2'];

describe('Function: computeOrganisationCheckCharacter', () => {
  it.each(PUBLIC_CODES)('computes the check character of %s', (code) => {
    // Prepare
    const body = code.slice(0, 8);

    // Act
    const check = computeOrganisationCheckCharacter(body);

    // Assess
    expect(check).toBe(code.slice(9));
  });

  it('maps 11 − (Σ mod 11) = 10 to X and 11 to 0', () => {
    // Prepare: Σ for 10000018 is 1·3 + 1·4 + 8·2 = 23 → 11 − 1 = 10; for 10000004 it is 1·3 + 4·2 = 11 → 11 − 0 = 11
    const tenCase = '10000018';
    const elevenCase = '10000004';

    // Act
    const ten = computeOrganisationCheckCharacter(tenCase);
    const eleven = computeOrganisationCheckCharacter(elevenCase);

    // Assess
    expect(ten).toBe('X');
    expect(eleven).toBe('0');
  });

  it('values letters A–Z as 10–35 (MA5AP9ET → 2)', () => {
    // Prepare: 22·3 + 10·7 + 5·9 + 10·10 + 25·5 + 9·8 + 14·4 + 29·2 = 592; 592 mod 11 = 9; 11 − 9 = 2
    const body = 'MA5AP9ET';

    // Act
    const check = computeOrganisationCheckCharacter(body);

    // Assess
    expect(check).toBe('2');
  });

  it('throws a RangeError for the wrong length or a bad character', () => {
    // Prepare
    const short = '7152672';
    const bad = '7152672#';

    // Act
    const computeShort = () => computeOrganisationCheckCharacter(short);
    const computeBad = () => computeOrganisationCheckCharacter(bad);

    // Assess
    expect(computeShort).toThrow(RangeError);
    expect(computeBad).toThrow('character "#" at position 8');
  });
});

describe('Function: validateOrganisationCode', () => {
  it.each(PUBLIC_CODES)('accepts %s with and without the hyphen', (code) => {
    // Prepare
    const plain = code.replace('-', '');

    // Act
    const withHyphen = validateOrganisationCode(code);
    const withoutHyphen = validateOrganisationCode(plain);

    // Assess
    expect(withHyphen).toEqual({ ok: true, value: plain, formatted: code });
    expect(withoutHyphen).toEqual(withHyphen);
  });

  it('accepts full-width input with a full-width hyphen and lower-case x', () => {
    // Prepare
    const raw = '７１５２６７２６－ｘ';

    // Act
    const result = validateOrganisationCode(raw);

    // Assess
    expect(result).toEqual({ ok: true, value: '71526726X', formatted: '71526726-X' });
  });

  it('accepts letters I, O, S, V, Z in the body, which GB 11714 allows', () => {
    // Prepare
    const body = 'MAOSVZI1';
    const raw = `${body}-${computeOrganisationCheckCharacter(body)}`;

    // Act
    const result = validateOrganisationCode(raw);

    // Assess
    expect(result).toMatchObject({ ok: true, formatted: raw });
  });

  it('reports EMPTY', () => {
    // Prepare
    const raw = ' - ';

    // Act
    const result = validateOrganisationCode(raw);

    // Assess
    expect(result).toEqual({ ok: false, code: 'EMPTY', value: '', message: 'organisation code is empty' });
  });

  it('reports LENGTH with the length found, not counting the hyphen', () => {
    // Prepare
    const raw = '7152672-X';

    // Act
    const result = validateOrganisationCode(raw);

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'LENGTH', expected: '9', found: '8' });
    expect(!result.ok && result.message).toBe(
      'organisation code must have 9 characters (8 and a check character, hyphen not counted), found 8',
    );
  });

  it('reports CHARACTER in the body with its position', () => {
    // Prepare
    const raw = '715_6726-X';

    // Act
    const result = validateOrganisationCode(raw);

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'CHARACTER', position: 4, found: '_' });
    expect(!result.ok && result.message).toBe(
      'character "_" at position 4 is not allowed in an organisation code: the body uses only the digits 0–9 and the letters A–Z',
    );
  });

  it('reports CHARACTER when the check character is a letter other than X', () => {
    // Prepare
    const raw = '71526726-Y';

    // Act
    const result = validateOrganisationCode(raw);

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'CHARACTER', position: 9, found: 'Y' });
    expect(!result.ok && result.message).toContain('the check character is a digit or X');
  });

  it('reports CHECK_CHARACTER with expected and found', () => {
    // Prepare
    const raw = '71526726-1';

    // Act
    const result = validateOrganisationCode(raw);

    // Assess
    expect(result).toEqual({
      ok: false,
      code: 'CHECK_CHARACTER',
      value: '715267261',
      position: 9,
      expected: 'X',
      found: '1',
      message: 'check character at position 9 should be "X" but is "1"',
    });
  });
});

describe('Function: formatOrganisationCode', () => {
  it('inserts the hyphen before the check character', () => {
    // Prepare
    const raw = ' 71526726x ';

    // Act
    const formatted = formatOrganisationCode(raw);

    // Assess
    expect(formatted).toBe('71526726-X');
  });

  it('throws a RangeError when the code does not have 9 characters', () => {
    // Prepare
    const raw = '71526726';

    // Act
    const format = () => formatOrganisationCode(raw);

    // Assess
    expect(format).toThrow(RangeError);
  });
});

describe('Function: organisationCodeFromUscc', () => {
  it('takes positions 9–17 of a USCC, which validate as the legacy organisation code', () => {
    // Prepare
    const uscc = '91440300 71526726X G';

    // Act
    const code = organisationCodeFromUscc(uscc);

    // Assess
    expect(code).toBe('71526726X');
    expect(validateOrganisationCode(code)).toMatchObject({ ok: true, formatted: '71526726-X' });
  });

  it('also works for the Fujian pilot code, whose embedded organisation code is valid', () => {
    // Prepare
    const uscc = '91350100M0001TGQXM';

    // Act
    const code = organisationCodeFromUscc(uscc);

    // Assess
    expect(code).toBe('M0001TGQX');
    expect(validateOrganisationCode(code).ok).toBe(true);
  });

  it('throws a RangeError when the input does not have 18 characters', () => {
    // Prepare
    const uscc = '9144030071526726X';

    // Act
    const extract = () => organisationCodeFromUscc(uscc);

    // Assess
    expect(extract).toThrow('a unified social credit code has 18 characters, got 17');
  });
});
