import type { Publication } from '#lib/ingest/types';

/**
 * A 双公示 record item's first public visibility: `firstPublicAt` (ISO instant), `firstPublicDate`
 * (its Asia/Shanghai day, the one the 7-working-day rule counts) and `firstPublicBy` (the receipt
 * instant of the arrival that published it). Written with the record item by ingestion, carried over
 * by every later arrival, absent while the record never was public.
 */
export function publicationAttributes(publication: Publication | undefined): Record<string, string> {
  if (!publication) return {};
  return {
    firstPublicAt: publication.at,
    firstPublicDate: publication.date,
    firstPublicBy: publication.by,
  };
}

/** The first publication stored on a record item, if any. */
export function storedPublication(item: Record<string, unknown>): Publication | undefined {
  const { firstPublicAt: at, firstPublicDate: date, firstPublicBy: by } = item;
  if (typeof at !== 'string' || typeof date !== 'string' || typeof by !== 'string') return undefined;
  return { at, date, by };
}
