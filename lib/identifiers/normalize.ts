/**
 * Normalisation shared by every identifier validator. Codes arrive typed by hand in Chinese office
 * software, pasted from PDFs or exported from Excel, so full-width forms, stray spaces, dashes and
 * byte-order marks are routine and must not make a correct code fail.
 */

// Hyphen look-alikes seen in pasted codes: ASCII hyphen, Unicode hyphens and dashes, minus sign,
// small and full-width hyphen-minus (the latter is already folded to ASCII before this runs).
const HYPHENS = /[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D]/gu;
// \s covers ASCII and Unicode spaces including the ideographic space U+3000 and NBSP; the
// zero-width characters and the BOM are not whitespace to JavaScript but are invisible in a cell.
const INVISIBLES = /\s|[\u200B\u200C\u2060\uFEFF]|\u200D/gu;

/** Full-width ASCII (U+FF01–U+FF5E) to its half-width form; the ideographic space to a space. */
function toHalfWidth(text: string): string {
  let out = '';
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    if (cp >= 0xff01 && cp <= 0xff5e) out += String.fromCodePoint(cp - 0xfee0);
    else if (cp === 0x3000) out += ' ';
    else out += char;
  }
  return out;
}

/**
 * Trim, fold full-width to half-width, remove inner whitespace and hyphens, upper-case.
 * Deliberately not NFKC: that would also turn ① or ² into digits and hide garbage input.
 * `null` and `undefined` normalise to the empty string so callers can pass optional cells.
 */
export function normaliseCode(raw: string | null | undefined): string {
  if (raw === null || raw === undefined) return '';
  return toHalfWidth(String(raw)).replace(INVISIBLES, '').replace(HYPHENS, '').toUpperCase();
}

/**
 * How a character is named in an error message: quoted, with its code point when it is not
 * printable ASCII, so that "全角" look-alikes and invisible characters can be told apart.
 */
export function describeCharacter(char: string): string {
  const cp = char.codePointAt(0) ?? 0;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  if (cp >= 0x21 && cp <= 0x7e) return `"${char}"`;
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return hex;
  return `"${char}" (${hex})`;
}

/** Code points, not UTF-16 units, so positions in messages match what a person counts. */
export function codePoints(value: string): string[] {
  return Array.from(value);
}
