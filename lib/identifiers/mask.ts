import type { SubjectCodeType } from './classify';
import { codePoints, normaliseCode } from './normalize';

/**
 * Masking for public output, following what the Supreme People's Court publishes: ID numbers with
 * the birth month and day hidden (`3423011964****3224`), natural persons' names with everything
 * but the surname hidden (`张*`, `欧阳**`). Organisations' codes are public and are not masked.
 */

const MASK = '*';

/**
 * Two-character surnames (复姓) kept whole. Not exhaustive: a compound surname not listed here is
 * masked after its first character, which hides more, never less. Left out on purpose: 单于, 段干,
 * 乐正, 宗政 — there the common single surname (单, 段, 乐, 宗) followed by an ordinary given name is
 * the likelier reading, and keeping two characters would reveal part of the given name.
 */
export const COMPOUND_SURNAMES: ReadonlySet<string> = new Set([
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '轩辕',
  '令狐',
  '钟离',
  '端木',
  '澹台',
  '公冶',
  '濮阳',
  '淳于',
  '太叔',
  '申屠',
  '仲孙',
  '闻人',
  '万俟',
  '赫连',
  '呼延',
  '百里',
  '东郭',
  '南宫',
  '西门',
  '独孤',
  '拓跋',
  '闾丘',
  '司空',
  '司寇',
  '亓官',
  '巫马',
  '鲜于',
  '第五',
  '梁丘',
  '左丘',
  '公羊',
  '公西',
  '漆雕',
  '谷梁',
  '羊舌',
]);

// Separators in transliterated minority and foreign names (买买提·艾力) stay visible: they carry no
// identity, and keeping them keeps the masked form readable.
const NAME_SEPARATORS = new Set(['·', '•', '・', '.', ' ', '-']);

/**
 * Mask a resident ID number: 18 characters keep positions 1–10 and 15–18 (`3423011964****3224`);
 * a legacy 15-digit number hides its MMDD at positions 9–12 the same way (`34230164****322`).
 * Any other shape is masked entirely, because a malformed number could still identify a person.
 */
export function maskResidentId(id: string): string {
  const chars = codePoints(normaliseCode(id));
  if (chars.length === 18) return `${chars.slice(0, 10).join('')}****${chars.slice(14).join('')}`;
  if (chars.length === 15) return `${chars.slice(0, 8).join('')}****${chars.slice(12).join('')}`;
  return MASK.repeat(chars.length);
}

/**
 * Keep the surname, mask every other character one for one: `张三` → `张*`, `欧阳修` → `欧阳*`,
 * `欧阳娜娜` → `欧阳**`. A one-character name is masked entirely (it would otherwise be shown in
 * full). A two-character name that happens to be a compound surname (`欧阳`) is read as surname +
 * given name, since nobody is named by a bare surname.
 */
export function maskPersonName(name: string): string {
  const chars = codePoints(name.trim());
  if (chars.length <= 1) return MASK.repeat(chars.length);
  const surnameLength = chars.length > 2 && COMPOUND_SURNAMES.has(chars[0]! + chars[1]!) ? 2 : 1;
  return chars
    .map((char, index) => (index < surnameLength || NAME_SEPARATORS.has(char) ? char : MASK))
    .join('');
}

/**
 * Mask a subject code for public output by its type: resident IDs are masked, organisations' codes
 * (USCC, organisation code, 工商注册号) are public registration data and are only normalised.
 */
export function maskIdentifier(type: SubjectCodeType, value: string): string {
  switch (type) {
    case 'resident-id':
      return maskResidentId(value);
    case 'uscc':
    case 'organisation-code':
    case 'business-registration-number':
      return normaliseCode(value);
  }
}
