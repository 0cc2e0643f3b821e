import { maskPersonName, maskResidentId } from '../identifiers/mask';

/**
 * The one masking step for output: views the API returns, problem details and log lines. The fields
 * that carry a person (name, ID, subject key) are not the only place a person shows up: an
 * explanation, a possible hit's reason or an error message quotes them in free text. So the values
 * known to be a natural person's are masked wherever they occur, in every string of the output,
 * the way lib/identifiers/mask.ts masks them (王*, 4407021975****4129).
 */

/** A natural person's identifying values, as they may occur in output. */
export interface PersonalValues {
  readonly names?: readonly (string | undefined)[];
  readonly ids?: readonly (string | undefined)[];
  /** Also mask anything shaped like a resident ID (17 digits and a check character, or 15 digits). */
  readonly idShaped?: boolean;
}

/** A resident ID as typed: 18 characters (17 digits and 0-9/X) or a legacy 15 digits, standing alone. */
const ID_SHAPED = /(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g;

/**
 * One-character names are left to the fields that carry them (masking every occurrence of one
 * character would mangle the text); so are masked values, which mask to themselves.
 */
function replacements(personal: PersonalValues): [string, string][] {
  const pairs = new Map<string, string>();
  for (const id of personal.ids ?? []) {
    const value = id?.trim();
    if (value && !value.includes('*')) pairs.set(value, maskResidentId(value));
  }
  for (const name of personal.names ?? []) {
    const value = name?.trim();
    if (value && [...value].length > 1 && !value.includes('*')) pairs.set(value, maskPersonName(value));
  }
  // Longest first: a name that contains another is masked as a whole.
  return [...pairs].sort(([a], [b]) => b.length - a.length);
}

function maskText(text: string, pairs: readonly [string, string][], idShaped: boolean): string {
  let result = text;
  for (const [full, masked] of pairs) result = result.split(full).join(masked);
  return idShaped ? result.replace(ID_SHAPED, (id) => maskResidentId(id)) : result;
}

function maskValue(value: unknown, pairs: readonly [string, string][], idShaped: boolean): unknown {
  if (typeof value === 'string') return maskText(value, pairs, idShaped);
  if (Array.isArray(value)) return value.map((item) => maskValue(item, pairs, idShaped));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, maskValue(item, pairs, idShaped)]),
    );
  }
  return value;
}

/** The value (a view, a problem, a log line's attributes) with the person's names and IDs masked in every string. */
export function maskPersonalData<T>(value: T, personal: PersonalValues): T {
  const pairs = replacements(personal);
  if (pairs.length === 0 && !personal.idShaped) return value;
  return maskValue(value, pairs, personal.idShaped ?? false) as T;
}

/** The same for one string. */
export function maskPersonalText(text: string, personal: PersonalValues): string {
  return maskPersonalData(text, personal);
}
