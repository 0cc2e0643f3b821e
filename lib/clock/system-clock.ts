import { type Clock, clockOf } from './clock';

/**
 * The system's time: the only place in lib/ and functions/ that reads it (a test enforces this).
 * Composition roots pass it to use cases; tests pass a fixed clock instead.
 */
export const systemClock: Clock = clockOf(() => new Date());
