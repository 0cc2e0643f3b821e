import { createHash } from 'node:crypto';

/** A short, stable id part: the first 24 hex digits of SHA-256 (watch and alert ids are derived, not random). */
export function stableDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}
