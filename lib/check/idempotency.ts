import { createHash } from 'node:crypto';
import { ProblemError } from '../http/problem';

/** Idempotency-Key (per agency): 1–128 visible ASCII characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7E]{1,128}$/;

export function validateIdempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!IDEMPOTENCY_KEY_PATTERN.test(value)) {
    throw new ProblemError(
      400,
      'INVALID_IDEMPOTENCY_KEY',
      'Idempotency-Key must be 1–128 visible ASCII characters',
      [
        {
          field: 'Idempotency-Key',
          code: 'FORMAT',
          reason: 'use 1–128 visible ASCII characters, e.g. a UUID',
        },
      ],
    );
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

export interface IdempotencyStore {
  claimIdempotencyKey(
    agencyCode: string,
    key: string,
    claim: { checkId: string; bodyHash: string; createdAt: string },
  ): Promise<
    { claimed: true } | { claimed: false; existing: { checkId: string; bodyHash: string; createdAt: string } }
  >;
  getCheckItem(checkId: string): Promise<Record<string, unknown> | undefined>;
  /** Removes a claim whose check failed (e.g. 404 MATTER_NOT_FOUND), so a corrected retry can run. */
  releaseIdempotencyKey(agencyCode: string, key: string, checkId: string): Promise<void>;
}

/** How long an unfinished claim blocks a retry before the retry runs the check itself (same id). */
export const STALE_CLAIM_MS = 30_000;

/**
 * Runs `perform` at most once per (agency, key): the first call claims the key for a new check id
 * with a conditional put; a retry with the same body gets the stored result of that check; the same
 * key with another body is refused (409 IDEMPOTENCY_KEY_REUSED). A claim whose check never got stored
 * (crash) is taken over after STALE_CLAIM_MS with the same check id; a check that fails (4xx)
 * releases its claim, so the key is not burnt by an error.
 */
export async function withIdempotency<T>(
  store: IdempotencyStore,
  input: { agencyCode: string; key: string; body: unknown; now: Date; newCheckId: string },
  perform: (checkId: string) => Promise<T>,
): Promise<{ result: T; replayed: boolean }> {
  const hash = bodyHash(input.body);
  const claim = await store.claimIdempotencyKey(input.agencyCode, input.key, {
    checkId: input.newCheckId,
    bodyHash: hash,
    createdAt: input.now.toISOString(),
  });
  const attempt = async (checkId: string) => {
    try {
      return { result: await perform(checkId), replayed: false };
    } catch (error) {
      await store.releaseIdempotencyKey(input.agencyCode, input.key, checkId);
      throw error;
    }
  };
  if (claim.claimed) return attempt(input.newCheckId);
  const existing = claim.existing;
  if (existing.bodyHash !== hash) {
    throw new ProblemError(
      409,
      'IDEMPOTENCY_KEY_REUSED',
      `Idempotency-Key ${input.key} was used for another request body (check ${existing.checkId}); use a new key`,
    );
  }
  const stored = await store.getCheckItem(existing.checkId);
  if (stored) return { result: stored.result as T, replayed: true };
  if (input.now.getTime() - Date.parse(existing.createdAt) < STALE_CLAIM_MS) {
    throw new ProblemError(
      409,
      'IDEMPOTENCY_KEY_IN_PROGRESS',
      `the first request with Idempotency-Key ${input.key} is still being processed; retry shortly`,
    );
  }
  return attempt(existing.checkId);
}
