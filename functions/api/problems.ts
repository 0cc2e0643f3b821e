import { InvalidCalendarDateError } from '#lib/calendar/working-days';
import {
  CheckNotFoundError,
  DomainError,
  IdempotencyKeyInProgressError,
  IdempotencyKeyReusedError,
  InvalidIdempotencyKeyError,
  InvalidSubjectCodeError,
  MatterNotFoundError,
  NoMeasuresError,
  PersonalDataNotAllowedError,
  SubjectNotFoundError,
  UnknownMeasureError,
} from '#lib/check/errors';
import {
  InvalidPublicQueryError,
  InvalidPublicSubjectCodeError,
  PublicRecordNotFoundError,
  PublicSubjectNotFoundError,
} from '#lib/disclosure/errors';
import { ProblemError } from '#lib/http/problem';
import {
  FieldNotCorrectableError,
  InvalidCorrectionError,
  ObjectedRecordNotFoundError,
  ObjectionConflictError,
  ObjectionNotFoundError,
  ObjectionStateError,
  UnknownClaimFieldError,
} from '#lib/objections/errors';
import { InvalidCursorError } from '#lib/paging/cursor';
import { PastUntilDateError, UnknownSubjectError, WatchNotFoundError } from '#lib/push/errors';
import { RepairError, type RepairErrorCode } from '#lib/repair/errors';
import { DecisionNotFoundError, RevokedInFutureError } from '#lib/withdrawals/withdraw';

// biome-ignore lint/suspicious/noExplicitAny: a constructor of any error class
type ErrorClass = abstract new (...args: any[]) => Error;

interface Mapping {
  readonly type: ErrorClass;
  readonly status: number;
  readonly code: string;
  /** Field-level reasons, when the error does not carry them itself. */
  readonly field?: string;
}

/**
 * The one table from domain errors to HTTP: status and stable problem code. Every refusal of the
 * domain reaches clients through it; an error not listed here is a 500 (logged, no detail shown).
 */
export const problemTable: readonly Mapping[] = [
  { type: InvalidSubjectCodeError, status: 400, code: 'INVALID_SUBJECT_CODE' },
  { type: InvalidIdempotencyKeyError, status: 400, code: 'INVALID_IDEMPOTENCY_KEY' },
  { type: PastUntilDateError, status: 400, code: 'VALIDATION_FAILED' },
  { type: InvalidCalendarDateError, status: 400, code: 'INVALID_DATE' },
  { type: InvalidCursorError, status: 400, code: 'INVALID_CURSOR', field: 'query.cursor' },
  { type: PersonalDataNotAllowedError, status: 403, code: 'PERSONAL_DATA_NOT_ALLOWED' },
  { type: MatterNotFoundError, status: 404, code: 'MATTER_NOT_FOUND' },
  { type: SubjectNotFoundError, status: 404, code: 'SUBJECT_NOT_FOUND' },
  { type: CheckNotFoundError, status: 404, code: 'CHECK_NOT_FOUND' },
  { type: WatchNotFoundError, status: 404, code: 'WATCH_NOT_FOUND' },
  { type: NoMeasuresError, status: 409, code: 'NO_MEASURES' },
  { type: IdempotencyKeyReusedError, status: 409, code: 'IDEMPOTENCY_KEY_REUSED' },
  { type: IdempotencyKeyInProgressError, status: 409, code: 'IDEMPOTENCY_KEY_IN_PROGRESS' },
  { type: UnknownMeasureError, status: 422, code: 'UNKNOWN_MEASURE' },
  { type: UnknownSubjectError, status: 422, code: 'UNKNOWN_SUBJECT' },
  // The public disclosure (routes/public.ts)
  { type: InvalidPublicQueryError, status: 400, code: 'INVALID_QUERY', field: 'query.q' },
  { type: InvalidPublicSubjectCodeError, status: 400, code: 'INVALID_SUBJECT_CODE' },
  { type: PublicSubjectNotFoundError, status: 404, code: 'SUBJECT_NOT_FOUND' },
  { type: PublicRecordNotFoundError, status: 404, code: 'RECORD_NOT_FOUND' },
  // Objections (routes/objections.ts)
  { type: ObjectedRecordNotFoundError, status: 404, code: 'OBJECTED_RECORD_NOT_FOUND' },
  { type: ObjectionNotFoundError, status: 404, code: 'OBJECTION_NOT_FOUND' },
  { type: ObjectionStateError, status: 409, code: 'OBJECTION_STATE_CONFLICT' },
  { type: ObjectionConflictError, status: 409, code: 'OBJECTION_CONCURRENT_CHANGE' },
  { type: UnknownClaimFieldError, status: 422, code: 'UNKNOWN_CLAIM_FIELD' },
  { type: FieldNotCorrectableError, status: 422, code: 'FIELD_NOT_CORRECTABLE' },
  { type: InvalidCorrectionError, status: 422, code: 'INVALID_CORRECTION' },
  // Withdrawals of published decisions (routes/withdrawals.ts)
  { type: DecisionNotFoundError, status: 404, code: 'DECISION_NOT_FOUND' },
  { type: RevokedInFutureError, status: 422, code: 'REVOKED_IN_FUTURE' },
];

/** Credit repair's refusals (routes/repair.ts), by the RepairError's code. */
export const repairProblems: Readonly<Record<RepairErrorCode, Omit<Mapping, 'type'>>> = {
  'invalid-subject-code': { status: 400, code: 'INVALID_SUBJECT_CODE', field: 'subjectCode' },
  forbidden: { status: 403, code: 'REPAIR_FORBIDDEN' },
  'application-not-found': { status: 404, code: 'REPAIR_APPLICATION_NOT_FOUND' },
  'record-not-found': { status: 404, code: 'RECORD_NOT_FOUND' },
  'already-open': { status: 409, code: 'REPAIR_ALREADY_OPEN' },
  'invalid-transition': { status: 409, code: 'INVALID_TRANSITION' },
  'concurrent-change': { status: 409, code: 'CONCURRENT_CHANGE' },
  'command-already-claimed': { status: 409, code: 'IDEMPOTENCY_KEY_IN_PROGRESS' },
  'idempotency-key-reused': { status: 409, code: 'IDEMPOTENCY_KEY_REUSED' },
  'not-yet-eligible': { status: 422, code: 'REPAIR_NOT_YET_ELIGIBLE' },
  'record-not-repairable': { status: 422, code: 'RECORD_NOT_REPAIRABLE' },
  'materials-missing': { status: 422, code: 'REPAIR_MATERIALS_MISSING' },
  'calendar-unavailable': { status: 503, code: 'CALENDAR_UNAVAILABLE' },
  'rule-set-missing': { status: 503, code: 'RULE_SET_MISSING' },
};

/** The problem an error answers with, or undefined for an unexpected error (a 500). */
export function problemFor(error: unknown): ProblemError | undefined {
  if (error instanceof ProblemError) return error;
  if (!(error instanceof Error)) return undefined;
  const mapping =
    error instanceof RepairError
      ? repairProblems[error.code]
      : problemTable.find((entry) => error instanceof entry.type);
  if (!mapping) return undefined;
  const issues =
    error instanceof DomainError
      ? error.issues
      : mapping.field
        ? [{ field: mapping.field, code: mapping.code, reason: error.message }]
        : undefined;
  const extensions = error instanceof RepairError ? error.extensions : undefined;
  return new ProblemError(mapping.status, mapping.code, error.message, issues, extensions);
}
