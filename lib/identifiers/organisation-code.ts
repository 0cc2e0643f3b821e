import { codePoints, describeCharacter, normaliseCode } from './normalize';

/**
 * Organisation code (组织机构代码), GB 11714-1997: 8 body characters (0–9 worth 0–9, A–Z worth
 * 10–35) and a check character, printed `XXXXXXXX-X`. Positions 9–17 of a USCC are this code,
 * which is how legacy records are joined to new ones.
 */

export const ORGANISATION_CODE_WEIGHTS: readonly number[] = [3, 7, 9, 10, 5, 8, 4, 2];
const BODY_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const CHECK_ALPHABET = '0123456789X';

export type OrganisationCodeFailureCode = 'EMPTY' | 'LENGTH' | 'CHARACTER' | 'CHECK_CHARACTER';

export interface OrganisationCodeValid {
  readonly ok: true;
  /** Normalised, 9 characters, no hyphen. */
  readonly value: string;
  /** Printed form `XXXXXXXX-X`. */
  readonly formatted: string;
}

export interface OrganisationCodeInvalid {
  readonly ok: false;
  readonly code: OrganisationCodeFailureCode;
  readonly message: string;
  /** The normalised input (hyphen removed); positions refer to it. */
  readonly value: string;
  readonly position?: number;
  readonly expected?: string;
  readonly found?: string;
}

export type OrganisationCodeResult = OrganisationCodeValid | OrganisationCodeInvalid;

function findBadCharacter(chars: readonly string[]): OrganisationCodeInvalid | undefined {
  for (const [index, char] of chars.entries()) {
    const position = index + 1;
    const isCheck = position === 9;
    const alphabet = isCheck ? CHECK_ALPHABET : BODY_ALPHABET;
    if (char.length === 1 && alphabet.includes(char)) continue;
    return {
      ok: false,
      code: 'CHARACTER',
      value: chars.join(''),
      position,
      found: char,
      expected: alphabet,
      message: isCheck
        ? `character ${describeCharacter(char)} at position 9 is not allowed in an organisation code: ` +
          'the check character is a digit or X'
        : `character ${describeCharacter(char)} at position ${position} is not allowed in an organisation ` +
          'code: the body uses only the digits 0–9 and the letters A–Z',
    };
  }
  return undefined;
}

function checkCharacterFor(body: readonly string[]): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += BODY_ALPHABET.indexOf(body[i]!) * ORGANISATION_CODE_WEIGHTS[i]!;
  const c9 = 11 - (sum % 11);
  if (c9 === 10) return 'X';
  if (c9 === 11) return '0';
  return String(c9);
}

/** Check character for an 8-character body (normalised first); throws RangeError on bad input. */
export function computeOrganisationCheckCharacter(body8: string): string {
  const chars = codePoints(normaliseCode(body8));
  if (chars.length !== 8) {
    throw new RangeError(`computeOrganisationCheckCharacter needs 8 characters, got ${chars.length}`);
  }
  const bad = findBadCharacter(chars);
  if (bad) throw new RangeError(bad.message);
  return checkCharacterFor(chars);
}

/** Validate `XXXXXXXX-X` or the 9 characters without hyphen (normalised first). Never throws. */
export function validateOrganisationCode(raw: string | null | undefined): OrganisationCodeResult {
  const value = normaliseCode(raw);
  if (value === '') return { ok: false, code: 'EMPTY', value, message: 'organisation code is empty' };
  const chars = codePoints(value);
  if (chars.length !== 9) {
    return {
      ok: false,
      code: 'LENGTH',
      value,
      expected: '9',
      found: String(chars.length),
      message: `organisation code must have 9 characters (8 and a check character, hyphen not counted), found ${chars.length}`,
    };
  }
  const bad = findBadCharacter(chars);
  if (bad) return bad;
  const expected = checkCharacterFor(chars);
  const found = chars[8]!;
  if (expected !== found) {
    return {
      ok: false,
      code: 'CHECK_CHARACTER',
      value,
      position: 9,
      expected,
      found,
      message: `check character at position 9 should be "${expected}" but is "${found}"`,
    };
  }
  return { ok: true, value, formatted: `${value.slice(0, 8)}-${value.slice(8)}` };
}

/** `XXXXXXXX-X` from 9 characters with or without hyphen; throws RangeError if not 9 characters. */
export function formatOrganisationCode(code: string): string {
  const value = normaliseCode(code);
  const length = codePoints(value).length;
  if (length !== 9) throw new RangeError(`an organisation code has 9 characters, got ${length}`);
  return `${value.slice(0, 8)}-${value.slice(8)}`;
}

/**
 * Positions 9–17 of a USCC, i.e. the organisation code (no hyphen). Only the shape is checked;
 * validate the USCC and, if needed, the returned code separately.
 */
export function organisationCodeFromUscc(uscc: string): string {
  const chars = codePoints(normaliseCode(uscc));
  if (chars.length !== 18) {
    throw new RangeError(`a unified social credit code has 18 characters, got ${chars.length}`);
  }
  return chars.slice(8, 17).join('');
}
