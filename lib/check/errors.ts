/**
 * What the domain refuses, as typed errors. The HTTP layer maps each class to a status and a
 * problem code in one table (functions/api/problems.ts); the domain knows nothing of HTTP.
 */

/** One field-level reason, shown to the client as `errors[]` of the problem. */
export interface FieldIssue {
  readonly field: string;
  readonly code: string;
  readonly reason: string;
}

/** A refusal the caller can act on; `message` is the sentence shown as the problem's detail. */
export abstract class DomainError extends Error {
  constructor(
    message: string,
    readonly issues?: readonly FieldIssue[],
  ) {
    super(message);
  }
}

export class InvalidSubjectCodeError extends DomainError {
  override name = 'InvalidSubjectCodeError';
  constructor(message: string, field: string, code: string) {
    super(message, [{ field, code, reason: message }]);
  }
}

export class MatterNotFoundError extends DomainError {
  override name = 'MatterNotFoundError';
  constructor(
    readonly matterCode: string,
    message?: string,
  ) {
    const reason =
      message ?? `matter ${matterCode} is not in the credit office's catalogue (GET /v1/matters lists them)`;
    super(reason, message ? undefined : [{ field: 'matterCode', code: 'UNKNOWN', reason }]);
  }
}

export class SubjectNotFoundError extends DomainError {
  override name = 'SubjectNotFoundError';
}

/** A check that does not exist, or belongs to another agency (answered alike: ids reveal nothing). */
export class CheckNotFoundError extends DomainError {
  override name = 'CheckNotFoundError';
  constructor(readonly checkId: string) {
    super(`no check ${checkId}`);
  }
}

/** The caller may not see the personal data a stored result shows in full. */
export class PersonalDataNotAllowedError extends DomainError {
  override name = 'PersonalDataNotAllowedError';
}

export class NoMeasuresError extends DomainError {
  override name = 'NoMeasuresError';
  constructor(checkId: string) {
    super(`check ${checkId} surfaced no measures: there is nothing to report`);
  }
}

export class UnknownMeasureError extends DomainError {
  override name = 'UnknownMeasureError';
}

export class InvalidIdempotencyKeyError extends DomainError {
  override name = 'InvalidIdempotencyKeyError';
  constructor() {
    super('Idempotency-Key must be 1–128 visible ASCII characters', [
      { field: 'Idempotency-Key', code: 'FORMAT', reason: 'use 1–128 visible ASCII characters, e.g. a UUID' },
    ]);
  }
}

export class IdempotencyKeyReusedError extends DomainError {
  override name = 'IdempotencyKeyReusedError';
}

export class IdempotencyKeyInProgressError extends DomainError {
  override name = 'IdempotencyKeyInProgressError';
}
