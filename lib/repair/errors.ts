/**
 * What credit repair refuses, as typed errors; functions/api/problems.ts maps each to a status and
 * a problem code. `extensions` are extra members of the problem document (e.g. minEligibleDate).
 */
export abstract class RepairError extends Error {
  readonly extensions?: Readonly<Record<string, unknown>>;
  constructor(message: string, extensions?: Readonly<Record<string, unknown>>) {
    super(message);
    if (extensions) this.extensions = extensions;
  }
}

export class RepairNotYetEligibleError extends RepairError {
  override name = 'RepairNotYetEligibleError';
  constructor(
    readonly minEligibleDate: string,
    detail: { severity: string | null; ruleSet: string; minimumUntil: string },
  ) {
    super(
      `repair may be applied for from ${minEligibleDate}: the minimum publication period of this ${detail.severity ?? 'unclassified'} record (rule set ${detail.ruleSet}) ends on ${detail.minimumUntil}`,
      { minEligibleDate, severity: detail.severity, displayRuleSet: detail.ruleSet },
    );
  }
}

export class RepairRecordNotFoundError extends RepairError {
  override name = 'RepairRecordNotFoundError';
  constructor() {
    super('the subject has no penalty or list entry with this id');
  }
}

export class RecordNotRepairableError extends RepairError {
  override name = 'RecordNotRepairableError';
}

export class RepairAlreadyOpenError extends RepairError {
  override name = 'RepairAlreadyOpenError';
  constructor() {
    super('this record already has an open repair application');
  }
}

export class RepairApplicationNotFoundError extends RepairError {
  override name = 'RepairApplicationNotFoundError';
  constructor() {
    // The same answer for an unknown number and a wrong secret: the secret cannot be guessed by number.
    super('no repair application with this number and secret');
  }
}

export class RepairInvalidTransitionError extends RepairError {
  override name = 'RepairInvalidTransitionError';
  constructor(action: string, status: string, allowed: readonly string[]) {
    super(`cannot ${action} an application in state ${status}; allowed from ${allowed.join(', ')}`, {
      status,
      allowedFrom: allowed,
    });
  }
}

export class RepairForbiddenError extends RepairError {
  override name = 'RepairForbiddenError';
}

export class RepairMaterialsMissingError extends RepairError {
  override name = 'RepairMaterialsMissingError';
  constructor(missing: readonly string[]) {
    super(`upload these materials before submitting: ${missing.join(', ')}`, { missing });
  }
}

export class RepairConcurrentChangeError extends RepairError {
  override name = 'RepairConcurrentChangeError';
  constructor() {
    super('the application changed while this command ran; read it again and retry');
  }
}

export class CommandAlreadyClaimedError extends RepairError {
  override name = 'CommandAlreadyClaimedError';
  constructor() {
    super('this Idempotency-Key was claimed by a concurrent request');
  }
}

export class RepairIdempotencyKeyReusedError extends RepairError {
  override name = 'RepairIdempotencyKeyReusedError';
  constructor(key: string) {
    super(`Idempotency-Key ${key} was used for another request; use a new key`);
  }
}

export class RepairRuleSetMissingError extends RepairError {
  override name = 'RepairRuleSetMissingError';
  constructor(date: string) {
    super(`no repair rule set covers applications made on ${date} (config/repair.json)`);
  }
}

export class RepairCalendarUnavailableError extends RepairError {
  override name = 'RepairCalendarUnavailableError';
}
