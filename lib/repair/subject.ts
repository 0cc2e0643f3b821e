import { maskResidentId, normaliseCode, validateResidentId, validateUscc } from '../identifiers';
import { repairErrors } from './errors';

const REGISTRATION_NUMBER = /^[0-9A-Z]{13,15}$/;

/**
 * The subject key behind the code an applicant gives: a USCC (USCC#…), a 个体工商户's 工商注册号
 * (REG#…) or a natural person's resident ID (ID#…). `today` bounds the birth date of an ID.
 */
export function repairSubjectKey(raw: string, today: string): string {
  const code = normaliseCode(raw);
  if (code.length === 18 && /^\d{17}[\dX]$/.test(code)) {
    const id = validateResidentId(code, { today });
    if (id.ok) return `ID#${id.value}`;
  }
  if (code.length === 18) {
    const uscc = validateUscc(code);
    if (uscc.ok) return `USCC#${uscc.value}`;
    throw repairErrors.invalidSubjectCode(uscc.message);
  }
  if (REGISTRATION_NUMBER.test(code)) return `REG#${code}`;
  throw repairErrors.invalidSubjectCode(
    'the subject code is an 18-character unified social credit code, a resident identity number or a 13–15 character 工商注册号',
  );
}

/** The key as a case shows it: a natural person's ID number masked. */
export function maskedSubjectKey(subjectKey: string): string {
  return subjectKey.startsWith('ID#') ? `ID#${maskResidentId(subjectKey.slice(3))}` : subjectKey;
}
