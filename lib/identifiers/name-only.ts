import type { SubjectIdentity } from '#lib/datasets/index';

/**
 * A subject is known only by name when it carries no identifier the platform can match exactly:
 * no USCC, no 工商注册号 and no full resident ID (court lists publish IDs masked, e.g. 3423011964****3224).
 */
export function isNameOnlySubject(
  subject: Pick<SubjectIdentity, 'uscc' | 'registrationNumber' | 'idNumber' | 'key'>,
): boolean {
  if (subject.uscc || subject.registrationNumber) return false;
  if (subject.idNumber && !subject.idNumber.includes('*')) return false;
  return !/^(USCC|REG|ID)#/.test(subject.key);
}

/**
 * Whether a published masked ID (4407021975****4129) can be the given full ID: same length and every
 * visible character equal. A masked entry that cannot be the checked person is another person.
 */
export function maskedIdMatches(masked: string, id: string): boolean {
  if (masked.length !== id.length) return false;
  for (let i = 0; i < masked.length; i++) {
    if (masked[i] !== '*' && masked[i] !== id[i]) return false;
  }
  return true;
}
