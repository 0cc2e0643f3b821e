import { createHash } from 'node:crypto';
import {
  IdempotencyKeyInProgressError,
  IdempotencyKeyReusedError,
  InvalidIdempotencyKeyError,
} from './errors';
import type { IdempotencyScope, IdempotencyStore } from './idempotency-ports';
import type { StoredCheck } from './types';

export type { IdempotencyClaim, IdempotencyScope, IdempotencyStore } from './idempotency-ports';

/** Idempotency-Key (per API key): 1–128 visible ASCII characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7E]{1,128}$/;

export function validateIdempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!IDEMPOTENCY_KEY_PATTERN.test(value)) {
    throw new InvalidIdempotencyKeyError();
  }
  return value;
}

/** A stable hash of the validated body: keys sorted, so field order does not matter. */
export function bodyHash(body: unknown): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value as Record<string, unknown>)
              .filter(([, v]) => v !== undefined)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, v]) => [k, canonical(v)]),
          )
        : value;
  return createHash('sha256')
    .update(JSON.stringify(canonical(body)))
    .digest('hex');
}

/** How long an unfinished claim blocks a retry before the retry runs the check itself (same id). */
export const STALE_CLAIM_MS = 30_000;

/**
 * Runs `perform` at most once per (API key, Idempotency-Key): the first call claims the key for a new check id
 * with a conditional put; a retry with the same body gets the stored result of that check; the same
 * key with another body is refused (409 IDEMPOTENCY_KEY_REUSED). A claim whose check never got stored
 * (crash) is taken over after STALE_CLAIM_MS with the same check id; a check that fails (4xx)
 * releases its claim, so the key is not burnt by an error.
 */
export async function withIdempotency<T>(
  store: IdempotencyStore,
  input: { scope: IdempotencyScope; key: string; body: unknown; now: Date; newCheckId: string },
  run: { perform: (checkId: string) => Promise<T>; replay: (stored: StoredCheck) => Promise<T> },
): Promise<{ result: T; replayed: boolean }> {
  const perform = run.perform;
  const hash = bodyHash(input.body);
  const claim = await store.claimIdempotencyKey(input.scope, input.key, {
    checkId: input.newCheckId,
    bodyHash: hash,
    createdAt: input.now.toISOString(),
  });
  const attempt = async (checkId: string) => {
    try {
      return { result: await perform(checkId), replayed: false };
    } catch (error) {
      await store.releaseIdempotencyKey(input.scope, input.key, checkId);
      throw error;
    }
  };
  if (claim.claimed) return attempt(input.newCheckId);
  const existing = claim.existing;
  if (existing.bodyHash !== hash) {
    throw new IdempotencyKeyReusedError(
      `Idempotency-Key ${input.key} was used for another request body (check ${existing.checkId}); use a new key`,
    );
  }
  const stored = await store.getCheck(existing.checkId);
  if (stored) return { result: await run.replay(stored), replayed: true };
  if (input.now.getTime() - Date.parse(existing.createdAt) < STALE_CLAIM_MS) {
    throw new IdempotencyKeyInProgressError(
      `the first request with Idempotency-Key ${input.key} is still being processed; retry shortly`,
    );
  }
  return attempt(existing.checkId);
}
