import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ObjectionIds } from './ports';

/**
 * The filer's secret: 24 random bytes shown once; only its SHA-256 is stored. A retried filing with
 * the same Idempotency-Key must show the same secret again, so the command keeps it sealed with a
 * key derived from the Idempotency-Key itself (AES-256-GCM): the table alone never reveals it.
 */

export function hashSecret(secret: string): string {
  return createHash('sha256').update(`objection-secret|${secret}`, 'utf8').digest('hex');
}

export function secretMatches(secret: string | undefined, hash: string): boolean {
  if (!secret) return false;
  const given = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(hash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** The command's name in the table: a hash, so the stored key cannot unseal the secret. */
export function commandKeyHash(scope: string, idempotencyKey: string): string {
  return createHash('sha256').update(`command|${scope}|${idempotencyKey}`, 'utf8').digest('hex');
}

function sealingKey(idempotencyKey: string): Buffer {
  return createHash('sha256').update(`seal|${idempotencyKey}`, 'utf8').digest();
}

export function sealSecret(secret: string, idempotencyKey: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(idempotencyKey), iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url')).join('.');
}

export function unsealSecret(sealed: string, idempotencyKey: string): string {
  const [iv, tag, data] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
  if (!iv || !tag || !data) throw new Error('sealed secret is malformed');
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(idempotencyKey), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Random application numbers (YY-<yyyymmdd>-<8 of 32 unambiguous characters>) and secrets. */
export const randomObjectionIds: ObjectionIds = {
  applicationNumber(receivedOn) {
    const suffix = [...randomBytes(8)].map((byte) => ALPHABET[byte % ALPHABET.length]).join('');
    return `YY-${receivedOn.replace(/-/g, '')}-${suffix}`;
  },
  secret: () => randomBytes(24).toString('base64url'),
};
