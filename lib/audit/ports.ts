import type { PersonalDataAccess } from './types';

/**
 * Ports of the personal-data access log (查询使用登记). lib/aws implements them; the unit tests
 * implement them in memory.
 */

/**
 * The reference the access log keeps instead of a natural person's number: keyed, so that the same
 * person always gets the same reference (an auditor finds every read of one person) while nobody
 * without the key can turn a reference, or a masked ID beside it, back into the number.
 */
export interface SubjectReferencer {
  /** The reference of a subject, given its canonical key (`ID#<18-digit id>`, `USCC#…`, `NAME#<name key>`…). */
  reference(subjectKey: string): Promise<string>;
}

/** The key the references are made with: from Secrets Manager in AWS, a local file in the local stack. */
export interface ReferenceSecret {
  /** The secret's bytes (or text); read once per container by the referencer. */
  read(): Promise<string | Uint8Array>;
}

/** The personal-data access log: every read of a natural person's data, appended. */
export interface AuditLog {
  logPersonalDataAccess(entries: readonly PersonalDataAccess[]): Promise<void>;
}
