import { DomainError } from '../check/errors';

/**
 * What the objection workflow refuses, as typed errors; functions/api/problems.ts maps each to its
 * HTTP status and problem code once.
 */

/** The subject has no such record (or the dataset is not one objections may name). */
export class ObjectedRecordNotFoundError extends DomainError {
  override name = 'ObjectedRecordNotFoundError';
}

/** The claim names a field the record's dataset does not have. */
export class UnknownClaimFieldError extends DomainError {
  override name = 'UnknownClaimFieldError';
  constructor(field: string, dataset: string) {
    const reason = `${field} is not a field of ${dataset} (use its national code, e.g. CF_SY, or docs/datasets.md)`;
    super(reason, [{ field: 'claim.field', code: 'UNKNOWN_FIELD', reason }]);
  }
}

/** No such objection for this caller (unknown, another agency's, or a wrong secret). */
export class ObjectionNotFoundError extends DomainError {
  override name = 'ObjectionNotFoundError';
}

/** The command does not apply in the objection's current state (e.g. accepting a closed one). */
export class ObjectionStateError extends DomainError {
  override name = 'ObjectionStateError';
}

/** The correction cannot be applied in place: the field changes the record's identity or period. */
export class FieldNotCorrectableError extends DomainError {
  override name = 'FieldNotCorrectableError';
  constructor(field: string, correctable: readonly string[]) {
    const reason = `${field} cannot be corrected in place (correctable: ${correctable.join(', ')}); withdraw and re-submit the record, then answer UPHELD or UNRESOLVED with the reason`;
    super(reason, [{ field: 'claim.field', code: 'NOT_CORRECTABLE', reason }]);
  }
}

/** The corrected value does not fit the field (an amount that is no number). */
export class InvalidCorrectionError extends DomainError {
  override name = 'InvalidCorrectionError';
  constructor(reason: string) {
    super(reason, [{ field: 'correctedValue', code: 'INVALID', reason }]);
  }
}

/** Another change to the objection or its record won the race: retry the request. */
export class ObjectionConflictError extends DomainError {
  override name = 'ObjectionConflictError';
}
