import { Converter } from 'opencc-js/t2cn';

/**
 * Name normalisation: a check that gives a name finds list entries by it (entries listed by name
 * only, court lists published with masked codes, and coded entries when the check gives no code),
 * and a check that gives a code and a name compares the name with the entry's. Two names that
 * normalise to the same key are a *possible* match, never a confirmed one: a name is not an identifier.
 */

/** Legal-form suffixes that are written in several ways for the same kind of company. */
const SUFFIX_VARIANTS: readonly (readonly [RegExp, string])[] = [
  [/股份有限责任公司$/, '股份有限公司'],
  [/有限责任公司$/, '有限公司'],
  [/有限公司$/, '有限公司'],
  [/\(有限合伙\)$/, '有限合伙'],
  [/有限合伙企业$/, '有限合伙'],
];

/** Full-width ASCII (！ to ～) and the ideographic space become their half-width forms. */
export function toHalfWidth(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

let traditionalToSimplified: ((text: string) => string) | undefined;

/**
 * Traditional characters as simplified (OpenCC's tables, through opencc-js: 臺灣 → 台湾, 恆通 → 恒通),
 * phrase-aware where a character has several simplified forms. The converter is built on first use
 * (about 0.2 s, once per process), not at import.
 */
export function toSimplifiedChinese(text: string): string {
  traditionalToSimplified ??= Converter({ from: 't', to: 'cn' });
  return traditionalToSimplified(text);
}

/** How many characters differ between two strings of the same length (OpenCC converts one for one). */
function changedCharacters(before: string, after: string): number {
  const a = [...before];
  const b = [...after];
  if (a.length !== b.length) return Math.max(a.length, b.length);
  return a.filter((char, i) => char !== b[i]).length;
}

export interface NormalisedName {
  /** The comparison key. */
  readonly key: string;
  /** What was changed to get there, for the explanation of a possible hit. */
  readonly steps: readonly string[];
}

/**
 * full/half width → half width; traditional → simplified characters; brackets （）【】〔〕[] → (); whitespace removed; Latin letters
 * upper-cased; 有限责任公司 → 有限公司 (and 股份有限责任公司 → 股份有限公司), (有限合伙) → 有限合伙.
 */
export function normaliseName(raw: string): NormalisedName {
  const steps: string[] = [];
  const half = toHalfWidth(raw);
  if (half !== raw) steps.push('full-width characters made half-width');
  const compatible = half.normalize('NFKC');
  let text = toSimplifiedChinese(compatible);
  if (text !== compatible) {
    steps.push(`${changedCharacters(compatible, text)} traditional character(s) read as simplified (OpenCC)`);
  }
  const bracketed = text.replace(/[【〔[｛{]/g, '(').replace(/[】〕\]｝}]/g, ')');
  if (bracketed !== text) steps.push('brackets unified');
  text = bracketed;
  const compact = text.replace(/[\s\u00A0]+/g, '');
  if (compact !== text) steps.push('whitespace removed');
  text = compact.toUpperCase();
  for (const [pattern, replacement] of SUFFIX_VARIANTS) {
    if (pattern.test(text)) {
      const replaced = text.replace(pattern, replacement);
      if (replaced !== text) steps.push(`suffix "${text.match(pattern)?.[0]}" read as "${replacement}"`);
      text = replaced;
      break;
    }
  }
  return { key: text, steps };
}

export function nameKey(raw: string): string {
  return normaliseName(raw).key;
}

/** Whether two names are the same after normalisation, and why. */
export function compareNames(a: string, b: string): { readonly same: boolean; readonly reason: string } {
  const left = normaliseName(a);
  const right = normaliseName(b);
  const same = left.key === right.key;
  const steps = [...new Set([...left.steps, ...right.steps])];
  const reason = same
    ? a === b
      ? `the names are identical ("${a}")`
      : `"${a}" and "${b}" are the same name once normalised (${steps.join('; ')})`
    : `"${a}" and "${b}" differ`;
  return { same, reason };
}

/** The parts of two keys between what they share at the start and what they share at the end. */
function differingParts(a: string, b: string): { readonly left: string; readonly right: string } {
  const x = [...a];
  const y = [...b];
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let end = 0;
  while (end < x.length - start && end < y.length - start && x.at(-1 - end) === y.at(-1 - end)) end++;
  return { left: x.slice(start, x.length - end).join(''), right: y.slice(start, y.length - end).join('') };
}

/**
 * How two names that are not the same differ, on their normalised keys: what each has where the
 * other has something else. With `quote: false` (a natural person's name, which the masking step
 * would not recognise in pieces) only the size of the difference is told, no character of it.
 */
export function describeNameDifference(a: string, b: string, options: { readonly quote: boolean }): string {
  const left = nameKey(a);
  const right = nameKey(b);
  const { left: onlyLeft, right: onlyRight } = differingParts(left, right);
  if (!options.quote) {
    const differing = Math.max([...onlyLeft].length, [...onlyRight].length);
    return `once normalised they differ in ${differing} of ${Math.max([...left].length, [...right].length)} characters`;
  }
  const shown = (part: string) => (part === '' ? 'nothing' : `"${part}"`);
  return `once normalised ("${left}" and "${right}") the first has ${shown(onlyLeft)} where the second has ${shown(onlyRight)}`;
}
