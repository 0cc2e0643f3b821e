import { describe, expect, it } from 'vitest';
import { problemFor } from '#functions/api/problems';
import { InvalidCalendarDateError } from '#lib/calendar/working-days';
import {
  CheckNotFoundError,
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
import { ProblemError } from '#lib/http/problem';
import { InvalidCursorError } from '#lib/paging/cursor';
import { PastUntilDateError, UnknownSubjectError, WatchNotFoundError } from '#lib/push/errors';

describe('Function: problemFor (the one table from domain errors to HTTP)', () => {
  it.each([
    [new InvalidSubjectCodeError('bad', 'subject.code', 'CHECK_DIGIT'), 400, 'INVALID_SUBJECT_CODE'],
    [new InvalidIdempotencyKeyError(), 400, 'INVALID_IDEMPOTENCY_KEY'],
    [new PastUntilDateError('2026-01-01', '2026-11-24'), 400, 'VALIDATION_FAILED'],
    [new InvalidCalendarDateError('2026-02-30', 'no such day'), 400, 'INVALID_DATE'],
    [new InvalidCursorError('cursor is not one this API returned'), 400, 'INVALID_CURSOR'],
    [new PersonalDataNotAllowedError('no'), 403, 'PERSONAL_DATA_NOT_ALLOWED'],
    [new MatterNotFoundError('X'), 404, 'MATTER_NOT_FOUND'],
    [new SubjectNotFoundError('none'), 404, 'SUBJECT_NOT_FOUND'],
    [new CheckNotFoundError('chk-1'), 404, 'CHECK_NOT_FOUND'],
    [new WatchNotFoundError('wch-1'), 404, 'WATCH_NOT_FOUND'],
    [new NoMeasuresError('chk-1'), 409, 'NO_MEASURES'],
    [new IdempotencyKeyReusedError('reused'), 409, 'IDEMPOTENCY_KEY_REUSED'],
    [new IdempotencyKeyInProgressError('running'), 409, 'IDEMPOTENCY_KEY_IN_PROGRESS'],
    [new UnknownMeasureError('unknown'), 422, 'UNKNOWN_MEASURE'],
    [new UnknownSubjectError('MA4W12346'), 422, 'UNKNOWN_SUBJECT'],
  ])('maps %s to its status and stable code, with the message as detail', (error, status, code) => {
    const problem = problemFor(error);
    expect(problem).toBeInstanceOf(ProblemError);
    expect(problem).toMatchObject({ status, code, detail: error.message });
    expect(error.name).toBe(error.constructor.name);
  });

  it('keeps field-level reasons: those a domain error carries, and the cursor field', () => {
    expect(problemFor(new MatterNotFoundError('X'))?.errors).toEqual([
      { field: 'matterCode', code: 'UNKNOWN', reason: expect.stringContaining('matter X') },
    ]);
    expect(problemFor(new InvalidCursorError('cursor is not one this API returned'))?.errors).toEqual([
      { field: 'query.cursor', code: 'INVALID_CURSOR', reason: 'cursor is not one this API returned' },
    ]);
  });

  it('passes a ProblemError through and leaves anything else to the 500 path', () => {
    const thrown = new ProblemError(415, 'UNSUPPORTED_MEDIA_TYPE', 'json only');
    expect(problemFor(thrown)).toBe(thrown);
    expect(problemFor(new Error('boom'))).toBeUndefined();
    expect(problemFor('boom')).toBeUndefined();
  });
});
