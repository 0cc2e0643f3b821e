/**
 * Opaque pagination cursors: the LastEvaluatedKey of a page, as base64url JSON. A cursor is accepted
 * only for the listing it came from (same partition) and only with exactly the key attributes a page
 * of that listing returns, so a tampered cursor can neither start another agency's listing nor smuggle
 * other attributes (or leave some out) into the query — either would be a 500 from the database.
 */

/** One page of a listing. */
export interface Page<T> {
  readonly items: T[];
  /** Opaque; pass it back as `cursor` for the next page. Absent on the last page. */
  readonly nextCursor?: string;
}

export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
}

export type CursorKey = Readonly<Record<string, string>>;

export interface CursorCodec {
  encode(key: Readonly<Record<string, unknown>>): string;
  /**
   * The start key the cursor stands for; throws InvalidCursorError for anything this API did not
   * issue. A listing over several partitions names them all.
   */
  decode(cursor: string, expectedPartition: string | readonly string[]): CursorKey;
}

const NOT_ISSUED = 'the cursor is not one this API issued';

function parse(cursor: string): Record<string, unknown> {
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) throw new InvalidCursorError('the cursor is not base64url');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError(NOT_ISSUED);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidCursorError(NOT_ISSUED);
  return value as Record<string, unknown>;
}

/**
 * A codec for one index's cursors: `keyAttributes` are the attributes of its LastEvaluatedKey (table
 * key and index key), `partitionAttribute` the one naming the listing.
 */
export function cursorCodec(keyAttributes: readonly string[], partitionAttribute: string): CursorCodec {
  const expected = [...keyAttributes].sort().join(',');
  return {
    encode(key) {
      const picked = Object.fromEntries(keyAttributes.map((name) => [name, key[name]]));
      return Buffer.from(JSON.stringify(picked), 'utf8').toString('base64url');
    },
    decode(cursor, expectedPartition) {
      const record = parse(cursor);
      const exact = Object.keys(record).sort().join(',') === expected;
      if (!exact || !keyAttributes.every((name) => typeof record[name] === 'string'))
        throw new InvalidCursorError(NOT_ISSUED);
      const partitions = typeof expectedPartition === 'string' ? [expectedPartition] : expectedPartition;
      if (!partitions.includes(record[partitionAttribute] as string))
        throw new InvalidCursorError('the cursor belongs to another listing; start again without it');
      return record as CursorKey;
    },
  };
}
