import { describe, expect, it } from 'vitest';
import { describeCharacter, normaliseCode } from '#lib/identifiers/normalize';

describe('Function: normaliseCode', () => {
  it('trims and removes inner ASCII spaces, tabs and the ideographic space U+3000', () => {
    // Prepare
    const raw = ' \t9144 0300\u30007152 6726XG \n';

    // Act
    const result = normaliseCode(raw);

    // Assess
    expect(result).toBe('9144030071526726XG');
  });

  it('folds full-width letters and digits to half-width', () => {
    // Prepare
    const raw = '９１４４０３００７１５２６７２６ＸＧ';

    // Act
    const result = normaliseCode(raw);

    // Assess
    expect(result).toBe('9144030071526726XG');
  });

  it('removes ASCII and full-width hyphens, en and em dashes and the minus sign', () => {
    // Prepare
    const raw = '7152-6726－X–1—2\u22123';

    // Act
    const result = normaliseCode(raw);

    // Assess
    expect(result).toBe('71526726X123');
  });

  it('upper-cases, including full-width lower-case letters', () => {
    // Prepare
    const raw = '11010519491231002x ｍａ';

    // Act
    const result = normaliseCode(raw);

    // Assess
    expect(result).toBe('11010519491231002XMA');
  });

  it('removes a byte-order mark, zero-width characters and non-breaking spaces pasted from documents', () => {
    // Prepare
    const raw = '\uFEFF9144\u200B0300\u00A071526726\u200DXG';

    // Act
    const result = normaliseCode(raw);

    // Assess
    expect(result).toBe('9144030071526726XG');
  });

  it('does not turn circled or superscript digits into digits (no NFKC)', () => {
    // Prepare
    const raw = '①²';

    // Act
    const result = normaliseCode(raw);

    // Assess
    expect(result).toBe('①²');
  });

  it('returns the empty string for null, undefined and blank input', () => {
    // Prepare
    const inputs = [null, undefined, '', '  \u3000 '];

    // Act
    const results = inputs.map((input) => normaliseCode(input));

    // Assess
    expect(results).toEqual(['', '', '', '']);
  });
});

describe('Function: describeCharacter', () => {
  it('quotes printable ASCII, adds the code point for other characters and shows only the code point for controls', () => {
    // Prepare
    const chars = ['I', '公', '\u0007'];

    // Act
    const described = chars.map(describeCharacter);

    // Assess
    expect(described).toEqual(['"I"', '"公" (U+516C)', 'U+0007']);
  });
});
