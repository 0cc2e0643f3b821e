import { DomainError } from '../check/errors';

/** A watch's until-date already passed. */
export class PastUntilDateError extends DomainError {
  override name = 'PastUntilDateError';
  constructor(until: string, today: string) {
    super(`until ${until} is in the past`, [
      { field: 'until', code: 'PAST_DATE', reason: `until must be today (${today}) or later` },
    ]);
  }
}

/** A code that leads to no subject the platform knows (an organisation code or 工商注册号 without alias). */
export class UnknownSubjectError extends DomainError {
  override name = 'UnknownSubjectError';
  constructor(code: string) {
    super(`no subject is known under ${code}`);
  }
}

/** The agency has no watch with this id (another agency's watch is answered alike). */
export class WatchNotFoundError extends DomainError {
  override name = 'WatchNotFoundError';
  constructor(watchId: string) {
    super(`no watch ${watchId}`);
  }
}
