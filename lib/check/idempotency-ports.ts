import type { StoredCheck } from './types';

export interface IdempotencyClaim {
  readonly checkId: string;
  readonly bodyHash: string;
  readonly createdAt: string;
}

/** Whose Idempotency-Keys: one API key's. Two keys of an agency never share a claim. */
export interface IdempotencyScope {
  readonly agencyCode: string;
  readonly keyId: string;
}

/** Where Idempotency-Keys are claimed, and the checks they led to are read back. */
export interface IdempotencyStore {
  claimIdempotencyKey(
    scope: IdempotencyScope,
    key: string,
    claim: IdempotencyClaim,
  ): Promise<{ claimed: true } | { claimed: false; existing: IdempotencyClaim }>;
  getCheck(checkId: string): Promise<StoredCheck | undefined>;
  /** Removes a claim whose check failed (e.g. 404 MATTER_NOT_FOUND), so a corrected retry can run. */
  releaseIdempotencyKey(scope: IdempotencyScope, key: string, checkId: string): Promise<void>;
}
