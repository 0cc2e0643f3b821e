import { buildCatalogue, type Catalogue } from './catalogue';
import type { ReferenceRecordSource } from './ports';

/** Seconds an API container keeps the catalogue; reference data changes a few times a year. */
export const REFERENCE_CACHE_ENV = 'JC_REFERENCE_CACHE_SECONDS';
const DEFAULT_CACHE_SECONDS = 60;

let cached: { tableName: string; at: number; catalogue: Promise<Catalogue> } | undefined;

function ttlMs(): number {
  const raw = process.env[REFERENCE_CACHE_ENV];
  const seconds = raw === undefined || raw === '' ? DEFAULT_CACHE_SECONDS : Number(raw);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : DEFAULT_CACHE_SECONDS * 1000;
}

/** The catalogue, read from the REF# partitions at most once per TTL per container (fresh: always). */
export function loadCatalogue(
  store: ReferenceRecordSource,
  options: { fresh?: boolean; now?: number } = {},
): Promise<Catalogue> {
  // Monotonic milliseconds: the cache's age, not a business time.
  const now = options.now ?? performance.now();
  if (!options.fresh && cached && cached.tableName === store.tableName && now - cached.at < ttlMs()) {
    return cached.catalogue;
  }
  const catalogue = store.referenceRecords().then(buildCatalogue);
  cached = { tableName: store.tableName, at: now, catalogue };
  catalogue.catch(() => {
    if (cached?.catalogue === catalogue) cached = undefined;
  });
  return catalogue;
}

export function clearCatalogueCache(): void {
  cached = undefined;
}
