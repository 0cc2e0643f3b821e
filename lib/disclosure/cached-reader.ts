import type { PublicListType, PublicSubjectReader } from './ports';

/**
 * The reader with its list-type catalogue kept for `ttlMs`: the catalogue changes a few times a
 * year and is read for every subject with a list entry. `now` is a monotonic clock in milliseconds
 * (the cache's age, not a business time).
 */
export function withCachedListTypes(
  reader: PublicSubjectReader,
  ttlMs: number,
  now: () => number,
): PublicSubjectReader {
  let cached: { at: number; value: Promise<ReadonlyMap<string, PublicListType>> } | undefined;
  return {
    subjectRecords: (subjectKey) => reader.subjectRecords(subjectKey),
    subjectKeysByName: (name) => reader.subjectKeysByName(name),
    subjectKeysByRegistrationNumber: (number) => reader.subjectKeysByRegistrationNumber(number),
    listTypes: () => {
      const at = now();
      if (cached && at - cached.at < ttlMs) return cached.value;
      const value = reader.listTypes();
      cached = { at, value };
      // A failed read is not kept: the next call tries again.
      value.catch(() => {
        if (cached?.value === value) cached = undefined;
      });
      return value;
    },
  };
}
