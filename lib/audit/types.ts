/**
 * The personal-data access log (查询使用登记): every read of a natural person's data through the API
 * — who (agency, key, roles), when, what subject (masked, plus a stable reference), for what
 * purpose, through which route, and whether the data was shown in full.
 */
export interface PersonalDataAccess {
  readonly at: string;
  readonly agencyCode: string;
  readonly keyId: string;
  readonly roles: readonly string[];
  readonly action: 'check' | 'read-check' | 'read-subject' | 'feedback';
  /** The subject as it may be shown in the log: masked. */
  readonly subject: string;
  /** A hash of the subject key: the same person gives the same reference, without the number. */
  readonly subjectRef: string;
  readonly purpose: string | null;
  readonly fullView: boolean;
  readonly checkId?: string;
}
