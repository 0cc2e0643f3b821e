/**
 * Opaque pagination cursors: the DynamoDB LastEvaluatedKey of a gsi1 page, as base64url JSON.
 * A cursor is only accepted for the listing it came from (same gsi1 partition) and only with the
 * key attributes a gsi1 page returns, so that a tampered cursor cannot start another agency's
 * listing or smuggle other attributes into the query.
 */
export type JobListingKey = Readonly<{ pk: string; sk: string; gsi1pk: string; gsi1sk: string }>;

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;

export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
}

export function encodeCursor(key: Readonly<Record<string, unknown>>): string {
  const picked = Object.fromEntries(KEY_ATTRIBUTES.map((name) => [name, key[name]]));
  return Buffer.from(JSON.stringify(picked), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, expectedPartition: string): JobListingKey {
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) throw new InvalidCursorError('the cursor is not base64url');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('the cursor is not one this API issued');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidCursorError('the cursor is not one this API issued');
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  if (
    keys.join(',') !== [...KEY_ATTRIBUTES].sort().join(',') ||
    !KEY_ATTRIBUTES.every((name) => typeof record[name] === 'string')
  )
    throw new InvalidCursorError('the cursor is not one this API issued');
  if (record.gsi1pk !== expectedPartition)
    throw new InvalidCursorError('the cursor belongs to another listing; start again without it');
  return record as JobListingKey;
}
