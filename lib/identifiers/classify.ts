import { codePoints, describeCharacter, normaliseCode } from './normalize';
import {
  type OrganisationCodeInvalid,
  type OrganisationCodeResult,
  type OrganisationCodeValid,
  validateOrganisationCode,
} from './organisation-code';
import {
  type ResidentIdInvalid,
  type ResidentIdResult,
  type ResidentIdValid,
  validateResidentId,
} from './resident-id';
import { type UsccInvalid, type UsccResult, type UsccValid, validateUscc } from './uscc';

/**
 * Business systems send "the subject's code" without saying which kind it is. This decides what a
 * raw code can be. Some shapes are genuinely ambiguous (15 digits: 工商注册号 or a legacy ID;
 * 18 digits: USCC or ID), so every interpretation that validates is returned, most likely first,
 * and the caller decides (usually by the subject category it already knows).
 */

export type SubjectCodeType = 'uscc' | 'organisation-code' | 'resident-id' | 'business-registration-number';

// ---------------------------------------------------------------------------------------------
// 工商注册号 (market-entity registration number, GS 15-2006): 6-digit registration authority
// code, 8-digit sequence, 1 check digit by ISO 7064 MOD 11,10.

export type BusinessRegistrationNumberFailureCode = 'EMPTY' | 'LENGTH' | 'CHARACTER' | 'CHECK_CHARACTER';

export interface BusinessRegistrationNumberValid {
  readonly ok: true;
  readonly value: string;
  /** Positions 1–6, the division code of the registering authority. */
  readonly authorityCode: string;
}

export interface BusinessRegistrationNumberInvalid {
  readonly ok: false;
  readonly code: BusinessRegistrationNumberFailureCode;
  readonly message: string;
  readonly value: string;
  readonly position?: number;
  readonly expected?: string;
  readonly found?: string;
}

export type BusinessRegistrationNumberResult =
  | BusinessRegistrationNumberValid
  | BusinessRegistrationNumberInvalid;

function mod1110Product(digits: string): number {
  let product = 10;
  for (const digit of digits) {
    const sum = (product + Number(digit)) % 10;
    product = ((sum === 0 ? 10 : sum) * 2) % 11;
  }
  return product;
}

/** ISO 7064 MOD 11,10 check digit for the first 14 digits; throws RangeError otherwise. */
export function computeBusinessRegistrationCheckDigit(first14: string): string {
  const value = normaliseCode(first14);
  if (!/^\d{14}$/.test(value)) {
    throw new RangeError(`computeBusinessRegistrationCheckDigit needs 14 digits, got "${value}"`);
  }
  return String((11 - mod1110Product(value)) % 10);
}

/** Validate a 15-digit 工商注册号 (normalised first). Never throws. */
export function validateBusinessRegistrationNumber(
  raw: string | null | undefined,
): BusinessRegistrationNumberResult {
  const value = normaliseCode(raw);
  if (value === '')
    return { ok: false, code: 'EMPTY', value, message: 'business registration number is empty' };
  const chars = codePoints(value);
  if (chars.length !== 15) {
    return {
      ok: false,
      code: 'LENGTH',
      value,
      expected: '15',
      found: String(chars.length),
      message: `business registration number must have 15 digits, found ${chars.length}`,
    };
  }
  const badIndex = chars.findIndex((char) => !/^\d$/.test(char));
  if (badIndex !== -1) {
    const char = chars[badIndex]!;
    return {
      ok: false,
      code: 'CHARACTER',
      value,
      position: badIndex + 1,
      found: char,
      expected: '0-9',
      message: `character ${describeCharacter(char)} at position ${badIndex + 1} is not allowed in a business registration number: it has digits only`,
    };
  }
  const expected = computeBusinessRegistrationCheckDigit(value.slice(0, 14));
  const found = value[14]!;
  if (expected !== found) {
    return {
      ok: false,
      code: 'CHECK_CHARACTER',
      value,
      position: 15,
      expected,
      found,
      message: `check digit at position 15 should be "${expected}" but is "${found}"`,
    };
  }
  return { ok: true, value, authorityCode: value.slice(0, 6) };
}

// ---------------------------------------------------------------------------------------------

export type SubjectCodeCandidate =
  | { readonly type: 'uscc'; readonly result: UsccValid }
  | { readonly type: 'organisation-code'; readonly result: OrganisationCodeValid }
  | { readonly type: 'resident-id'; readonly result: ResidentIdValid }
  | { readonly type: 'business-registration-number'; readonly result: BusinessRegistrationNumberValid };

export type SubjectCodeAttempt =
  | { readonly type: 'uscc'; readonly result: UsccInvalid }
  | { readonly type: 'organisation-code'; readonly result: OrganisationCodeInvalid }
  | { readonly type: 'resident-id'; readonly result: ResidentIdInvalid }
  | { readonly type: 'business-registration-number'; readonly result: BusinessRegistrationNumberInvalid };

export type SubjectCodeFailureCode = 'EMPTY' | 'LENGTH' | 'PLACEHOLDER' | 'INVALID';

export interface SubjectCodeRecognised {
  readonly ok: true;
  /** The normalised input. */
  readonly value: string;
  /** Interpretations that validate, most likely first; never empty. */
  readonly candidates: readonly [SubjectCodeCandidate, ...SubjectCodeCandidate[]];
  /** True when more than one interpretation validates. */
  readonly ambiguous: boolean;
  /** Interpretations of the same shape that did not validate, with their reasons. */
  readonly rejected: readonly SubjectCodeAttempt[];
}

export interface SubjectCodeUnrecognised {
  readonly ok: false;
  readonly code: SubjectCodeFailureCode;
  readonly message: string;
  readonly value: string;
  /** Every interpretation tried, with its precise failure. */
  readonly attempts: readonly SubjectCodeAttempt[];
}

export type SubjectCodeClassification = SubjectCodeRecognised | SubjectCodeUnrecognised;

export interface ClassifySubjectCodeOptions {
  /** Passed to validateUscc. */
  readonly allowList?: ReadonlySet<string>;
  /** Today in Asia/Shanghai, `YYYY-MM-DD`: passed to validateResidentId. */
  readonly today: string;
}

const TYPE_NAMES: Record<SubjectCodeType, string> = {
  uscc: 'unified social credit code',
  'organisation-code': 'organisation code',
  'resident-id': 'resident identity number',
  'business-registration-number': 'business registration number',
};

interface ResultByType {
  uscc: UsccResult;
  'organisation-code': OrganisationCodeResult;
  'resident-id': ResidentIdResult;
  'business-registration-number': BusinessRegistrationNumberResult;
}

type Outcome = SubjectCodeCandidate | SubjectCodeAttempt;

// The pairing of type and result is guaranteed by ResultByType; TypeScript cannot see through the
// generic to the discriminated unions, hence the one cast.
function outcome<T extends SubjectCodeType>(type: T, result: ResultByType[T]): Outcome {
  return { type, result } as Outcome;
}

// How far an interpretation got before failing. A future but real birth date ranks with a wrong
// check character: both mean the whole structure fitted. A part that breaks the structure (birth
// date, region, a USCC's authority, category, division or organisation code) ranks below: the
// shape fitted but the content did not. Ties keep the likelihood order.
function progress(attempt: SubjectCodeAttempt): number {
  switch (attempt.result.code) {
    case 'CHECK_CHARACTER':
    case 'FUTURE_BIRTH_DATE':
      return 3;
    case 'BIRTH_DATE':
    case 'REGION':
    case 'REGISTRATION_AUTHORITY':
    case 'ORGANISATION_CATEGORY':
    case 'DIVISION_CODE':
    case 'ORGANISATION_CODE':
      return 2;
    case 'CHARACTER':
      return 1;
    default:
      return 0;
  }
}

function conclude(value: string, outcomes: readonly Outcome[]): SubjectCodeClassification {
  const candidates = outcomes.filter((o): o is SubjectCodeCandidate => o.result.ok);
  const rejected = outcomes.filter((o): o is SubjectCodeAttempt => !o.result.ok);
  const [first, ...rest] = candidates;
  if (first) return { ok: true, value, candidates: [first, ...rest], ambiguous: rest.length > 0, rejected };
  // Lead with the interpretation that got furthest: a wrong check character says more about what
  // the sender meant than a character that does not belong to the format at all.
  const attempts = [...rejected].sort((a, b) => progress(b) - progress(a));
  const reasons = attempts.map((a) => `a valid ${TYPE_NAMES[a.type]} (${a.result.message})`);
  const message =
    reasons.length === 1
      ? `"${value}" is not ${reasons[0]}`
      : `"${value}" is neither ${reasons.slice(0, -1).join(', ')} nor ${reasons.at(-1)}`;
  return { ok: false, code: 'INVALID', value, attempts, message };
}

/**
 * Classify a raw subject code. Lengths decide the shapes: 18 → USCC or resident ID, 15 → 工商注册号
 * or legacy resident ID, 9 → organisation code (a hyphen is allowed). Never throws.
 *
 * Ordering when several validate:
 * - 18 characters: the resident ID first, because a real birth date at positions 7–14 is far
 *   stronger evidence than a USCC check character matching by chance (1 in 31); an allow-listed
 *   USCC goes first, since an operator has vouched for it.
 * - 15 digits: the 工商注册号 first, because 15-digit ID cards stopped being valid in 2013 while
 *   registration numbers still identify 个体工商户 under the placeholder USCC.
 */
export function classifySubjectCode(
  raw: string | null | undefined,
  options: ClassifySubjectCodeOptions,
): SubjectCodeClassification {
  const value = normaliseCode(raw);
  if (value === '')
    return { ok: false, code: 'EMPTY', value, attempts: [], message: 'subject code is empty' };
  const idOptions = { today: options.today };
  const length = codePoints(value).length;
  switch (length) {
    case 18: {
      const uscc = validateUscc(value, options.allowList ? { allowList: options.allowList } : {});
      if (!uscc.ok && uscc.code === 'PLACEHOLDER') {
        return {
          ok: false,
          code: 'PLACEHOLDER',
          value,
          attempts: [{ type: 'uscc', result: uscc }],
          message: uscc.message,
        };
      }
      const usccOutcome = outcome('uscc', uscc);
      const idOutcome = outcome('resident-id', validateResidentId(value, idOptions));
      const usccFirst = uscc.ok && uscc.allowListed;
      return conclude(value, usccFirst ? [usccOutcome, idOutcome] : [idOutcome, usccOutcome]);
    }
    case 15:
      return conclude(value, [
        outcome('business-registration-number', validateBusinessRegistrationNumber(value)),
        outcome('resident-id', validateResidentId(value, idOptions)),
      ]);
    case 9:
      return conclude(value, [outcome('organisation-code', validateOrganisationCode(value))]);
    default:
      return {
        ok: false,
        code: 'LENGTH',
        value,
        attempts: [],
        message:
          `a subject code of ${length} characters is none of the known kinds: expected 18 (unified social ` +
          'credit code or resident identity number), 15 (business registration number or legacy resident ' +
          'identity number) or 9 (organisation code, hyphen not counted)',
      };
  }
}
