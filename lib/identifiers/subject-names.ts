/**
 * Name normalisation for subjects known only by name (court lists published with masked codes,
 * old records without a code). Two names that normalise to the same key are a *possible* match,
 * never a confirmed one: a name is not an identifier.
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

export interface NormalisedName {
  /** The comparison key. */
  readonly key: string;
  /** What was changed to get there, for the explanation of a possible hit. */
  readonly steps: readonly string[];
}

/**
 * full/half width → half width; brackets （）【】〔〕[] → (); whitespace removed; Latin letters
 * upper-cased; 有限责任公司 → 有限公司 (and 股份有限责任公司 → 股份有限公司), (有限合伙) → 有限合伙.
 */
export function normaliseName(raw: string): NormalisedName {
  const steps: string[] = [];
  const half = toHalfWidth(raw);
  if (half !== raw) steps.push('full-width characters made half-width');
  let text = half.normalize('NFKC');
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
