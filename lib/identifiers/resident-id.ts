import { DIVISION_PREFIX_TABLE, type DivisionPrefixTable, type IdentifierWarning } from './code-tables';
import { codePoints, describeCharacter, normaliseCode } from './normalize';

/**
 * Resident identity number (居民身份证号码), GB 11643-1999: 6-digit address code, 8-digit birth
 * date, 3-digit sequence (odd male, even female), ISO 7064 MOD 11-2 check character (0–9 or X).
 * Legacy 15-digit numbers (2-digit year, no check) still occur in old records and are converted.
 */

export const RESIDENT_ID_WEIGHTS: readonly number[] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';
// Numbers were first issued in 1984; anything before this is a data error, not an old person.
const EARLIEST_BIRTH_YEAR = 1800;

export type ResidentIdFailureCode =
  | 'EMPTY'
  | 'LENGTH'
  | 'CHARACTER'
  | 'REGION'
  | 'BIRTH_DATE'
  | 'FUTURE_BIRTH_DATE'
  | 'CHECK_CHARACTER';

export type Sex = 'male' | 'female';

export interface ResidentIdValid {
  readonly ok: true;
  /** Always the 18-character form (converted when the input had 15 digits). */
  readonly value: string;
  /** `YYYY-MM-DD`. */
  readonly birthDate: string;
  readonly sex: Sex;
  /** Positions 1–6, the address code (GB/T 2260) where the number was first issued. */
  readonly regionCode: string;
  /** True when a legacy 15-digit number was converted; the input is kept in `original`. */
  readonly converted15: boolean;
  readonly original?: string;
  /** Accepted but worth a look: an address code missing from the full division list (`DIVISION_UNKNOWN`). */
  readonly warnings: readonly IdentifierWarning[];
}

export interface ResidentIdInvalid {
  readonly ok: false;
  readonly code: ResidentIdFailureCode;
  readonly message: string;
  /** The normalised input; positions refer to it. */
  readonly value: string;
  readonly position?: number;
  readonly expected?: string;
  readonly found?: string;
}

export type ResidentIdResult = ResidentIdValid | ResidentIdInvalid;

export interface ValidateResidentIdOptions {
  /**
   * Today in Asia/Shanghai, `YYYY-MM-DD` (the caller's `Clock.today()`): a birth date may not be later.
   * A rule reads no clock, so the caller always says which day it is.
   */
  readonly today: string;
  /** Province prefixes of positions 1–2; defaults to config/identifiers/division-prefixes.json. */
  readonly divisionPrefixes?: DivisionPrefixTable;
  /**
   * Every known 6-digit GB/T 2260 code, abolished ones included (a number keeps the code of where it
   * was first issued). With it, an address code missing from it is a `DIVISION_UNKNOWN` warning.
   */
  readonly divisions?: ReadonlySet<string>;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

function checkCharacterFor(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * RESIDENT_ID_WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

/** ISO 7064 MOD 11-2 check character for 17 digits; throws RangeError otherwise. */
export function computeResidentIdCheckCharacter(first17: string): string {
  const value = normaliseCode(first17);
  if (!/^\d{17}$/.test(value))
    throw new RangeError(`computeResidentIdCheckCharacter needs 17 digits, got "${value}"`);
  return checkCharacterFor(value);
}

/**
 * Convert a legacy 15-digit number to 18 digits: insert the century `19` before the 2-digit birth
 * year and append the check character. Every 15-digit number was issued (1984–2004) to people born
 * in the 1900s, so the century is not a guess. Throws RangeError unless given 15 digits.
 */
export function convertId15To18(id15: string): string {
  const value = normaliseCode(id15);
  if (!/^\d{15}$/.test(value)) throw new RangeError(`convertId15To18 needs 15 digits, got "${value}"`);
  const first17 = `${value.slice(0, 6)}19${value.slice(6)}`;
  return first17 + checkCharacterFor(first17);
}

/** Positions 1–2 must be a province-level code: no number was ever issued under another prefix. */
function regionProblem(value: string, options: ValidateResidentIdOptions): ResidentIdInvalid | undefined {
  const table = options.divisionPrefixes ?? DIVISION_PREFIX_TABLE;
  const prefix = value.slice(0, 2);
  if (table.residentId.has(prefix)) return undefined;
  return {
    ok: false,
    code: 'REGION',
    value,
    position: 1,
    found: prefix,
    expected: [...table.residentId.keys()].join(' '),
    message:
      `positions 1–2 "${prefix}" are not a province-level code of GB/T 2260 (${table.version}): ` +
      'a resident identity number begins with the province where it was first issued',
  };
}

function divisionWarnings(regionCode: string, options: ValidateResidentIdOptions): IdentifierWarning[] {
  if (!options.divisions || options.divisions.has(regionCode)) return [];
  return [
    {
      code: 'DIVISION_UNKNOWN',
      position: 1,
      found: regionCode,
      message: `address code ${regionCode} at positions 1–6 is not in the GB/T 2260 list in use (it may be abolished or newer)`,
    },
  ];
}

function firstBadCharacter(chars: readonly string[], legacy: boolean): ResidentIdInvalid | undefined {
  for (const [index, char] of chars.entries()) {
    const position = index + 1;
    if (/^\d$/.test(char)) continue;
    const isCheck = !legacy && position === 18;
    if (isCheck && char === 'X') continue;
    const rule = legacy
      ? 'a 15-digit legacy number has digits only'
      : isCheck
        ? 'the check character at position 18 is a digit or X'
        : 'positions 1–17 are digits';
    return {
      ok: false,
      code: 'CHARACTER',
      value: chars.join(''),
      position,
      found: char,
      expected: isCheck ? '0-9 or X' : '0-9',
      message: `character ${describeCharacter(char)} at position ${position} is not allowed in a resident identity number: ${rule}`,
    };
  }
  return undefined;
}

/** Positions 7–14 (7–12 of a legacy number) must be a real, plausible birth date not after today. */
function birthDateOf(
  value: string,
  legacy: boolean,
  options: ValidateResidentIdOptions,
): { ok: true; birthDate: string } | ResidentIdInvalid {
  const dateDigits = legacy ? `19${value.slice(6, 12)}` : value.slice(6, 14);
  const span = legacy ? 'positions 7–12' : 'positions 7–14';
  const year = Number(dateDigits.slice(0, 4));
  const month = Number(dateDigits.slice(4, 6));
  const day = Number(dateDigits.slice(6, 8));
  const shown = legacy ? value.slice(6, 12) : dateDigits;
  if (!isRealDate(year, month, day)) {
    return {
      ok: false,
      code: 'BIRTH_DATE',
      value,
      found: shown,
      message: `birth date ${shown} at ${span} is not a real date`,
    };
  }
  if (year < EARLIEST_BIRTH_YEAR) {
    return {
      ok: false,
      code: 'BIRTH_DATE',
      value,
      found: shown,
      message: `birth date ${shown} at ${span} is before ${EARLIEST_BIRTH_YEAR}, which is not a plausible birth year`,
    };
  }
  const birthDate = `${dateDigits.slice(0, 4)}-${dateDigits.slice(4, 6)}-${dateDigits.slice(6, 8)}`;
  const today = options.today;
  if (birthDate > today) {
    return {
      ok: false,
      code: 'FUTURE_BIRTH_DATE',
      value,
      found: birthDate,
      message: `birth date ${birthDate} at ${span} is in the future (today is ${today} in China)`,
    };
  }
  return { ok: true, birthDate };
}

/** Position 18 of an 18-character number is its MOD 11-2 check character. */
function checkCharacterProblem(value: string, chars: readonly string[]): ResidentIdInvalid | undefined {
  const expected = checkCharacterFor(value);
  const found = chars[17]!;
  if (expected === found) return undefined;
  return {
    ok: false,
    code: 'CHECK_CHARACTER',
    value,
    position: 18,
    expected,
    found,
    message: `check character at position 18 should be "${expected}" but is "${found}"`,
  };
}

/**
 * Validate an 18-digit resident identity number, or a legacy 15-digit one (converted to 18 and
 * flagged `converted15`). Normalises first (full-width digits, spaces, lower-case x). Never throws.
 */
export function validateResidentId(
  raw: string | null | undefined,
  options: ValidateResidentIdOptions,
): ResidentIdResult {
  const value = normaliseCode(raw);
  if (value === '') return { ok: false, code: 'EMPTY', value, message: 'resident identity number is empty' };
  const chars = codePoints(value);
  if (chars.length !== 18 && chars.length !== 15) {
    return {
      ok: false,
      code: 'LENGTH',
      value,
      expected: '18 or 15',
      found: String(chars.length),
      message: `resident identity number must have 18 characters (or 15 digits for a legacy number), found ${chars.length}`,
    };
  }
  const legacy = chars.length === 15;
  const bad = firstBadCharacter(chars, legacy) ?? regionProblem(value, options);
  if (bad) return bad;
  const birth = birthDateOf(value, legacy, options);
  if (!birth.ok) return birth;
  const wrongCheck = legacy ? undefined : checkCharacterProblem(value, chars);
  if (wrongCheck) return wrongCheck;

  const full = legacy ? convertId15To18(value) : value;
  const sex: Sex = Number(full[16]) % 2 === 1 ? 'male' : 'female';
  return {
    ok: true,
    value: full,
    birthDate: birth.birthDate,
    sex,
    regionCode: full.slice(0, 6),
    converted15: legacy,
    ...(legacy ? { original: value } : {}),
    warnings: divisionWarnings(full.slice(0, 6), options),
  };
}
