import {
  DIVISION_PREFIX_TABLE,
  type DivisionPrefixTable,
  describeCodes,
  type IdentifierWarning,
  USCC_CATEGORY_TABLE,
  type UsccCategoryTable,
} from './code-tables';
import { codePoints, describeCharacter, normaliseCode } from './normalize';
import { validateOrganisationCode } from './organisation-code';

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

export type UsccFailureCode =
  | 'EMPTY'
  | 'LENGTH'
  | 'CHARACTER'
  | 'CHECK_CHARACTER'
  | 'PLACEHOLDER'
  | UsccStructureFailureCode;

/** Structure failures: the characters and the check character are right, the parts are not. */
export type UsccStructureFailureCode =
  | 'REGISTRATION_AUTHORITY'
  | 'ORGANISATION_CATEGORY'
  | 'DIVISION_CODE'
  | 'ORGANISATION_CODE';

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
  /**
   * Accepted, but worth a look: a division code not in the tables (`DIVISION_UNKNOWN`), or, on an
   * allow-listed code, a structure failure the operator's listing overrides (its failure code).
   */
  readonly warnings: readonly IdentifierWarning[];
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
  /** Positions 1–2; defaults to config/identifiers/uscc-categories.json. */
  readonly categories?: UsccCategoryTable;
  /** Province prefixes of positions 3–8; defaults to config/identifiers/division-prefixes.json. */
  readonly divisionPrefixes?: DivisionPrefixTable;
  /**
   * Every known 6-digit GB/T 2260 code, abolished ones included. Without it only the province
   * prefix is looked at; with it, a code missing from it is a `DIVISION_UNKNOWN` warning.
   */
  readonly divisions?: ReadonlySet<string>;
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
  // Early pilot codes (e.g. Fujian) were legally issued with a wrong check character; only an
  // operator decision, recorded in the allow-list, lets one through, and it stays flagged.
  const allowListed = expected !== found && (options.allowList?.has(value) ?? false);
  if (expected !== found && !allowListed) {
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
  const structure = structureProblem(value, options.categories ?? USCC_CATEGORY_TABLE);
  // The operator vouched for the whole code: a listed code's structure problem is only a warning.
  if (structure && !allowListed) return structure;
  const warnings: IdentifierWarning[] = [];
  if (structure) warnings.push(asWarning(structure));
  const division = divisionWarning(value, options);
  if (division) warnings.push(division);
  return {
    ok: true,
    allowListed,
    value,
    registrationAuthority: value.slice(0, 1),
    orgType: value.slice(1, 2),
    divisionCode: value.slice(2, 8),
    organisationCode: value.slice(8, 17),
    warnings,
  };
}

function asWarning(problem: UsccInvalid): IdentifierWarning {
  return {
    code: problem.code,
    message: problem.message,
    ...(problem.position === undefined ? {} : { position: problem.position }),
    ...(problem.found === undefined ? {} : { found: problem.found }),
  };
}

/** Positions 1–2 against the GB 32100 table, 3–8 digits, 9–17 a valid GB 11714 code. */
function structureProblem(value: string, table: UsccCategoryTable): UsccInvalid | undefined {
  const authorityCode = value[0]!;
  const authority = table.authorities.get(authorityCode);
  if (!authority) {
    const known = describeCodes([...table.authorities.values()].map((a) => [a.code, a.name] as const));
    return {
      ok: false,
      code: 'REGISTRATION_AUTHORITY',
      value,
      position: 1,
      found: authorityCode,
      expected: [...table.authorities.keys()].join(''),
      message:
        `registration authority code "${authorityCode}" at position 1 is not in the GB 32100 table ` +
        `(${table.version}): known codes are ${known}`,
    };
  }
  const category = value[1]!;
  if (!authority.categories.has(category)) {
    return {
      ok: false,
      code: 'ORGANISATION_CATEGORY',
      value,
      position: 2,
      found: category,
      expected: [...authority.categories.keys()].join(''),
      message:
        `organisation category "${category}" at position 2 is not a category of registration authority ` +
        `"${authorityCode}" (${authority.name}) in the GB 32100 table (${table.version}): its categories are ` +
        describeCodes(authority.categories),
    };
  }
  const division = value.slice(2, 8);
  const nonDigit = [...division].findIndex((char) => !/^\d$/.test(char));
  if (nonDigit !== -1) {
    const position = nonDigit + 3;
    return {
      ok: false,
      code: 'DIVISION_CODE',
      value,
      position,
      found: division,
      expected: '6 digits',
      message:
        `character "${division[nonDigit]}" at position ${position} is not allowed: positions 3–8 are the ` +
        `registering authority's administrative division code (GB/T 2260), digits only, found "${division}"`,
    };
  }
  const organisation = validateOrganisationCode(value.slice(8, 17));
  if (!organisation.ok) {
    // Positions in the organisation code's own message count from its first character.
    const position = organisation.position === undefined ? 9 : organisation.position + 8;
    return {
      ok: false,
      code: 'ORGANISATION_CODE',
      value,
      position,
      found: value.slice(8, 17),
      ...(organisation.expected === undefined ? {} : { expected: organisation.expected }),
      message:
        `positions 9–17 "${value.slice(8, 17)}" are not a valid organisation code (GB 11714), which they ` +
        `must be because old records are matched by it: ${organisation.message.replace(
          /at position (\d)\b/,
          (_, p: string) => `at position ${Number(p) + 8} of the code (${p} of the organisation code)`,
        )}`,
    };
  }
  return undefined;
}

/** A division code not known to the tables is a warning only: abolished codes stay on valid codes. */
function divisionWarning(value: string, options: ValidateUsccOptions): IdentifierWarning | undefined {
  const division = value.slice(2, 8);
  if (!/^\d{6}$/.test(division)) return undefined;
  if (options.divisions) {
    if (options.divisions.has(division)) return undefined;
    return {
      code: 'DIVISION_UNKNOWN',
      position: 3,
      found: division,
      message: `division code ${division} at positions 3–8 is not in the GB/T 2260 list in use (it may be abolished or newer)`,
    };
  }
  const prefixes = options.divisionPrefixes ?? DIVISION_PREFIX_TABLE;
  if (prefixes.uscc.has(division.slice(0, 2))) return undefined;
  return {
    code: 'DIVISION_UNKNOWN',
    position: 3,
    found: division,
    message: `division code ${division} at positions 3–8 starts with ${division.slice(0, 2)}, which is not a province-level code of GB/T 2260 (nor 10, national)`,
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
