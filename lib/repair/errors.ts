/**
 * What credit repair refuses. One error type with a code: functions/api/problems.ts maps each code
 * once to a status and a problem code. `extensions` are extra members of the problem document (e.g.
 * minEligibleDate).
 */
export type RepairErrorCode =
  | 'invalid-subject-code'
  | 'forbidden'
  | 'application-not-found'
  | 'record-not-found'
  | 'already-open'
  | 'invalid-transition'
  | 'concurrent-change'
  | 'command-already-claimed'
  | 'idempotency-key-reused'
  | 'not-yet-eligible'
  | 'record-not-repairable'
  | 'materials-missing'
  | 'calendar-unavailable'
  | 'rule-set-missing';

export class RepairError extends Error {
  override name = 'RepairError';
  readonly extensions?: Readonly<Record<string, unknown>>;
  constructor(
    readonly code: RepairErrorCode,
    message: string,
    extensions?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    if (extensions) this.extensions = extensions;
  }
}

/** The refusals of credit repair, each with its message and problem extensions. */
export const repairErrors = {
  invalidSubjectCode: (message: string) => new RepairError('invalid-subject-code', message),
  forbidden: (message: string) => new RepairError('forbidden', message),
  // The same answer for an unknown number and a wrong secret: the secret cannot be guessed by number.
  applicationNotFound: () =>
    new RepairError('application-not-found', 'no repair application with this number and secret'),
  recordNotFound: () =>
    new RepairError('record-not-found', 'the subject has no penalty or list entry with this id'),
  alreadyOpen: () => new RepairError('already-open', 'this record already has an open repair application'),
  invalidTransition: (action: string, status: string, allowed: readonly string[]) =>
    new RepairError(
      'invalid-transition',
      `cannot ${action} an application in state ${status}; allowed from ${allowed.join(', ')}`,
      { status, allowedFrom: allowed },
    ),
  concurrentChange: () =>
    new RepairError(
      'concurrent-change',
      'the application changed while this command ran; read it again and retry',
    ),
  commandAlreadyClaimed: () =>
    new RepairError('command-already-claimed', 'this Idempotency-Key was claimed by a concurrent request'),
  idempotencyKeyReused: (key: string) =>
    new RepairError(
      'idempotency-key-reused',
      `Idempotency-Key ${key} was used for another request; use a new key`,
    ),
  notYetEligible: (
    minEligibleDate: string,
    detail: { severity: string | null; ruleSet: string; minimumUntil: string },
  ) =>
    new RepairError(
      'not-yet-eligible',
      `repair may be applied for from ${minEligibleDate}: the minimum publication period of this ${detail.severity ?? 'unclassified'} record (rule set ${detail.ruleSet}) ends on ${detail.minimumUntil}`,
      { minEligibleDate, severity: detail.severity, displayRuleSet: detail.ruleSet },
    ),
  notRepairable: (message: string) => new RepairError('record-not-repairable', message),
  materialsMissing: (missing: readonly string[]) =>
    new RepairError('materials-missing', `upload these materials before submitting: ${missing.join(', ')}`, {
      missing,
    }),
  calendarUnavailable: (message: string) => new RepairError('calendar-unavailable', message),
  ruleSetMissing: (date: string) =>
    new RepairError(
      'rule-set-missing',
      `no repair rule set covers applications made on ${date} (config/repair.json)`,
    ),
};
