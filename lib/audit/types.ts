/**
 * The personal-data access log (查询使用登记): every read of a natural person's data through the API
 * — who (agency, key, roles), when, what subject (masked, plus a keyed reference), for what
 * purpose, through which route, and whether the data was shown in full.
 */
export interface PersonalDataAccess {
  readonly at: string;
  readonly agencyCode: string;
  readonly keyId: string;
  readonly roles: readonly string[];
  readonly action: 'check' | 'read-check' | 'read-subject' | 'feedback' | 'read-alerts' | 'read-watches';
  /** The subject as it may be shown in the log: always masked, whatever the caller saw. */
  readonly subject: string;
  /**
   * A keyed reference of the subject (HMAC, lib/audit/subject-reference.ts): the same person gives
   * the same reference on every route, and neither it nor the masked subject gives the number back.
   */
  readonly subjectRef: string;
  readonly purpose: string | null;
  readonly fullView: boolean;
  readonly checkId?: string;
}
