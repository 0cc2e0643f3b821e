import { createHmac } from 'node:crypto';
import { nameKey } from '#lib/identifiers/subject-names';
import type { SubjectCodeCandidate } from '../identifiers/classify';
import type { ReferenceSecret, SubjectReferencer } from './ports';

/**
 * The access log's subject reference: HMAC-SHA256 of the subject's canonical key under a secret key.
 * An unkeyed hash of an ID number is no protection: beside the masked ID (4407021975****4129) only
 * the four hidden digits are unknown, ≤ 372 valid birth days, so anyone could hash them all. With the
 * key kept in Secrets Manager (or the local stack's key file) the reference is stable per person and
 * useless without the key.
 */
export function hmacSubjectReferencer(secret: ReferenceSecret): SubjectReferencer {
  // Read once per container; a failed read is retried on the next reference, not cached.
  let key: Promise<string | Uint8Array> | undefined;
  const keyOnce = () => {
    key ??= secret.read().catch((error: unknown) => {
      key = undefined;
      throw error;
    });
    return key;
  };
  return {
    async reference(subjectKey) {
      const digest = createHmac('sha256', await keyOnce())
        .update(subjectKey)
        .digest('hex');
      return `sub-${digest.slice(0, 32)}`;
    },
  };
}

const KEY_PREFIX: Record<SubjectCodeCandidate['type'], string> = {
  'resident-id': 'ID#',
  uscc: 'USCC#',
  'business-registration-number': 'REG#',
  'organisation-code': 'ORG#',
};

/**
 * The canonical key a reference is made from, the same whichever route reads the subject: a resident
 * ID (15 digits converted to 18) as `ID#<id>` like its subject partition, else the partition the code
 * found, else the code by its kind, else the normalised name (a check by name only).
 */
export function referenceKeyOf(input: {
  readonly candidates: readonly SubjectCodeCandidate[];
  readonly subjectKey?: string | undefined;
  readonly name?: string | undefined;
}): string {
  const id = input.candidates.find((candidate) => candidate.type === 'resident-id');
  if (id) return `${KEY_PREFIX['resident-id']}${id.result.value}`;
  if (input.subjectKey) return input.subjectKey;
  const first = input.candidates[0];
  if (first) return `${KEY_PREFIX[first.type]}${first.result.value}`;
  return `NAME#${nameKey(input.name ?? '')}`;
}
