/**
 * What the public disclosure refuses, as typed errors; functions/api/problems.ts maps each to its
 * HTTP status and problem code once.
 */

/** The search text is too short or too long to be a code or a full name. */
export class InvalidPublicQueryError extends Error {
  override name = 'InvalidPublicQueryError';
}

/** Not a USCC (with its check character) or a 工商注册号. */
export class InvalidPublicSubjectCodeError extends Error {
  override name = 'InvalidPublicSubjectCodeError';
}

/** Nothing public about the code: unknown, a natural person, or nothing in display. */
export class PublicSubjectNotFoundError extends Error {
  override name = 'PublicSubjectNotFoundError';
}

/** No such public record: withdrawn, withheld, out of display, repaired, or unknown. */
export class PublicRecordNotFoundError extends Error {
  override name = 'PublicRecordNotFoundError';
}
