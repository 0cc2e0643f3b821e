/**
 * The one scrubber of free text bound for the public (CF_SY, CF_YJ, CF_NR, XK_NR, 列入原因, 备注…):
 * agencies paste whole decision documents into these fields, with the parties' ID numbers, phone
 * numbers and bank accounts. 行政处罚结果信息网上公开 rules hide a natural person's ID number,
 * contact details and bank account, and an organisation's bank account. Anything that looks like one
 * is replaced; hiding a harmless number now and then is the right side to err on.
 */

/** What replaces a hidden value in public text. */
export const SCRUBBED = '[已隐去]';

const DATE_PART = '(?:18|19|20)\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])';
/** Digit runs are matched whole: no digit (or Latin letter, for codes) right before or after. */
const START = '(?<![0-9A-Za-z])';
const END = '(?![0-9A-Za-z])';
/** Separators people type inside long numbers: spaces, hyphens, full-width spaces. */
const SEP = '[ \\-\u3000]?';

const PATTERNS: readonly { readonly kind: string; readonly pattern: RegExp }[] = [
  // Resident ID, 18 digits (last may be X), with a plausible birth date; and the old 15-digit form.
  { kind: 'resident-id', pattern: new RegExp(`${START}[1-9]\\d{5}${DATE_PART}\\d{3}[\\dXx]${END}`, 'g') },
  {
    kind: 'resident-id-15',
    pattern: new RegExp(
      `${START}[1-9]\\d{5}\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])\\d{3}${END}`,
      'g',
    ),
  },
  // A partly masked ID is still an ID (courts publish 4407021975****4129).
  { kind: 'masked-id', pattern: new RegExp(`${START}\\d{6,14}\\*{2,8}\\d{0,8}[\\dXx]${END}`, 'g') },
  // Bank card and account numbers: 16–19 digits, possibly in groups of four.
  {
    kind: 'bank-account',
    pattern: new RegExp(`${START}\\d{4}(?:${SEP}\\d{4}){3}(?:${SEP}?\\d{1,3})?${END}`, 'g'),
  },
  // Shorter account numbers where the text says they are accounts.
  {
    kind: 'bank-account-labelled',
    pattern: /((?:银行)?(?:账号|帐号|账户|帐户|卡号)[:：]?\s*)\d[\d \-\u3000]{7,30}\d/g,
  },
  // Mobile numbers, with or without +86 / 0086 and separators.
  {
    kind: 'mobile',
    pattern: new RegExp(`${START}(?:(?:\\+|00)?86${SEP})?1[3-9]\\d${SEP}\\d{4}${SEP}\\d{4}${END}`, 'g'),
  },
  // Landlines: area code 0xx(x), optional brackets, 7–8 digits, optional extension.
  {
    kind: 'landline',
    pattern: new RegExp(
      `${START}(?:\\(0\\d{2,3}\\)|（0\\d{2,3}）|0\\d{2,3})${SEP}[2-9]\\d{6,7}(?:${SEP}(?:转|ext\\.?)\\d{1,5})?${END}`,
      'g',
    ),
  },
  // Contact e-mail addresses.
  { kind: 'email', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g },
];

/** The text with every ID number, phone number, bank account and e-mail address replaced. */
export function scrubFreeText(text: string): string {
  // Full-width digits and letters (１２３, Ｘ) hide nothing: read them as half-width first.
  let result = text.replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, (char) =>
    String.fromCharCode(char.charCodeAt(0) - 0xfee0),
  );
  for (const { kind, pattern } of PATTERNS) {
    result =
      kind === 'bank-account-labelled'
        ? result.replace(pattern, (_match, label: string) => `${label}${SCRUBBED}`)
        : result.replace(pattern, SCRUBBED);
  }
  return result;
}

/** The scrubbed text, or undefined when there is none. */
export function scrubOptional(text: string | undefined): string | undefined {
  return text === undefined ? undefined : scrubFreeText(text);
}
