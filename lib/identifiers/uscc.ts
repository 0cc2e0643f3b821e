import { codePoints, describeCharacter, normaliseCode } from './normalize';

/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from a 31-character
 * alphabet; 1 registration authority, 2 organisation type, 3–8 administrative division,
 * 9–17 the organisation code (GB 11714), 18 a check character.
 */

/** The code alphabet; a character's value is its index (I, O, S, V, Z are excluded). */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Weights for positions 1–17: 3^(i−1) mod 31. */
export const USCC_WEIGHTS: readonly number[] = [
  1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
export const USCC_LENGTH = 18;
/** Carried by 个体工商户 without a code; the 15-digit 工商注册号 is then the identifier. */
export const USCC_PLACEHOLDER = '00000000000000000X';

const EXCLUDED_LETTERS = new Set(['I', 'O', 'S', 'V', 'Z']);

export type UsccFailureCode = 'EMPTY' | 'LENGTH' | 'CHARACTER' | 'CHECK_CHARACTER' | 'PLACEHOLDER';

export interface UsccValid {
  readonly ok: true;
  /** The normalised code. */
  readonly value: string;
  /** True when the check character is wrong but the operator allow-list admits the code. */
  readonly allowListed: boolean;
  /** Position 1 (登记管理部门), e.g. `9` market regulation, `5` civil affairs, `Y` other. */
  readonly registrationAuthority: string;
  /** Position 2 (机构类别). */
  readonly orgType: string;
  /** Positions 3–8 (登记管理机关行政区划码, GB/T 2260). */
  readonly divisionCode: string;
  /** Positions 9–17: the organisation code (组织机构代码) without hyphen. */
  readonly organisationCode: string;
}

export interface UsccInvalid {
  readonly ok: false;
  readonly code: UsccFailureCode;
  readonly message: string;
  /** The normalised input; positions in the message refer to it. */
  readonly value: string;
  /** 1-based position of the offending character, for CHARACTER and CHECK_CHARACTER. */
  readonly position?: number;
  readonly expected?: string;
  readonly found?: string;
}

export type UsccResult = UsccValid | UsccInvalid;

export interface ValidateUsccOptions {
  /** Normalised codes known to be legally issued although their check character fails. */
  readonly allowList?: ReadonlySet<string>;
}

export class AllowListParseError extends Error {
  override name = 'AllowListParseError';
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`USCC allow-list line ${line}: ${reason}`);
  }
}

/** True when `raw` normalises to the 个体工商户 placeholder `00000000000000000X`. */
export function isUsccPlaceholder(raw: string | null | undefined): boolean {
  return normaliseCode(raw) === USCC_PLACEHOLDER;
}

function characterProblem(char: string, position: number): string {
  const upper = char.toUpperCase();
  if (EXCLUDED_LETTERS.has(upper)) {
    return (
      `character ${describeCharacter(char)} at position ${position} is not allowed in a unified social ` +
      'credit code: the letters I, O, S, V and Z are excluded from the code alphabet (GB 32100-2015)'
    );
  }
  return (
    `character ${describeCharacter(char)} at position ${position} is not allowed in a unified social ` +
    'credit code: only the digits 0–9 and the letters A–Z except I, O, S, V, Z are used'
  );
}

/** First character outside the alphabet, as a 1-based position, or undefined. */
function findBadCharacter(chars: readonly string[]): { position: number; char: string } | undefined {
  for (const [index, char] of chars.entries()) {
    if (char.length !== 1 || !USCC_ALPHABET.includes(char)) return { position: index + 1, char };
  }
  return undefined;
}

function checkCharacterFor(chars: readonly string[]): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(chars[i]!) * USCC_WEIGHTS[i]!;
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
}

/**
 * The check character (position 18) for the first 17 characters of a code. The input is
 * normalised first; anything other than 17 alphabet characters is a programming error here.
 */
export function computeUsccCheckCharacter(first17: string): string {
  const chars = codePoints(normaliseCode(first17));
  if (chars.length !== 17) {
    throw new RangeError(`computeUsccCheckCharacter needs 17 characters, got ${chars.length}`);
  }
  const bad = findBadCharacter(chars);
  if (bad) throw new RangeError(characterProblem(bad.char, bad.position));
  return checkCharacterFor(chars);
}

/** Validate a unified social credit code after normalising it. Never throws. */
export function validateUscc(raw: string | null | undefined, options: ValidateUsccOptions = {}): UsccResult {
  const value = normaliseCode(raw);
  if (value === '') {
    return { ok: false, code: 'EMPTY', value, message: 'unified social credit code is empty' };
  }
  if (value === USCC_PLACEHOLDER) {
    return {
      ok: false,
      code: 'PLACEHOLDER',
      value,
      message:
        `${USCC_PLACEHOLDER} is the placeholder for an individual business (个体工商户) without a unified ` +
        'social credit code, not a code: the 15-digit business registration number (工商注册号) identifies the subject',
    };
  }
  const chars = codePoints(value);
  if (chars.length !== USCC_LENGTH) {
    return {
      ok: false,
      code: 'LENGTH',
      value,
      expected: String(USCC_LENGTH),
      found: String(chars.length),
      message: `unified social credit code must have 18 characters, found ${chars.length}`,
    };
  }
  const bad = findBadCharacter(chars);
  if (bad) {
    return {
      ok: false,
      code: 'CHARACTER',
      value,
      position: bad.position,
      found: bad.char,
      expected: USCC_ALPHABET,
      message: characterProblem(bad.char, bad.position),
    };
  }
  const expected = checkCharacterFor(chars);
  const found = chars[17]!;
  const parts = {
    value,
    registrationAuthority: value.slice(0, 1),
    orgType: value.slice(1, 2),
    divisionCode: value.slice(2, 8),
    organisationCode: value.slice(8, 17),
  };
  if (expected === found) return { ok: true, allowListed: false, ...parts };
  // Early pilot codes (e.g. Fujian) were legally issued with a wrong check character; only an
  // operator decision, recorded in the allow-list, lets one through, and it stays flagged.
  if (options.allowList?.has(value)) return { ok: true, allowListed: true, ...parts };
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
 * Parse the operator-maintained allow-list: one code per line, `#` starts a comment (whole line or
 * trailing), blank lines ignored. Entries are normalised; a malformed entry is rejected with its
 * line number rather than skipped, because a typo would silently fail to admit the intended code.
 */
export function parseAllowList(text: string): ReadonlySet<string> {
  const codes = new Set<string>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (const [index, line] of lines.entries()) {
    const hash = line.indexOf('#');
    const entry = normaliseCode(hash === -1 ? line : line.slice(0, hash));
    if (entry === '') continue;
    const chars = codePoints(entry);
    if (chars.length !== USCC_LENGTH) {
      throw new AllowListParseError(index + 1, `"${entry}" has ${chars.length} characters, expected 18`);
    }
    const bad = findBadCharacter(chars);
    if (bad) throw new AllowListParseError(index + 1, characterProblem(bad.char, bad.position));
    codes.add(entry);
  }
  return codes;
}
