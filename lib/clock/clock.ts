import { toShanghaiDate } from '../calendar/working-days';

/**
 * The platform's one clock. Business dates (audit days, due dates, report periods, "today" in a
 * check) are calendar days in China (Asia/Shanghai), whatever zone the function runs in — Lambda
 * runs in UTC, so from 16:00 to 24:00 UTC the UTC date is already yesterday in Shanghai.
 */
export interface Clock {
  /** The current instant. */
  now(): Date;
  /** Today's calendar day in Asia/Shanghai, `YYYY-MM-DD`. */
  today(): string;
}

/** A clock built on any source of instants. */
export function clockOf(source: () => Date): Clock {
  return {
    now: () => new Date(source().getTime()),
    today: () => toShanghaiDate(source()),
  };
}

/** A clock stopped at one instant (ISO string or Date): for tests, replays and scheduled runs. */
export function fixedClock(instant: Date | string): Clock {
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(at.getTime())) throw new RangeError(`fixedClock: not an instant: ${String(instant)}`);
  return clockOf(() => at);
}

/** The Shanghai calendar day of an ISO instant (e.g. a stored `at` timestamp). */
export function shanghaiDateOfInstant(iso: string): string {
  return toShanghaiDate(new Date(iso));
}
