import { createHash, randomBytes } from 'node:crypto';

/** Keys look like `jc_<agency>_<43 random base64url chars>`; only their SHA-256 is stored. */
export function generateApiKey(agencyCode: string): string {
  return `jc_${agencyCode.toLowerCase()}_${randomBytes(32).toString('base64url')}`;
}

export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/** A short public id for logs and listings; never enough to use the key. */
export function apiKeyId(keyHash: string): string {
  return `key-${keyHash.slice(0, 12)}`;
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}
