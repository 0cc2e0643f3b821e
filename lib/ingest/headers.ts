import type { FieldSpec } from '../datasets';

export interface HeaderMapping {
  /** For each column, the field key it feeds, or null for a column the schema does not know. */
  readonly columnKeys: readonly (string | null)[];
  readonly recognised: readonly string[];
  readonly unknown: readonly string[];
  /** Required fields with no column at all: the file cannot be ingested. */
  readonly missingRequired: readonly FieldSpec[];
  /** Two columns naming the same field: ambiguous, so the file is rejected. */
  readonly duplicated: readonly string[];
}

/** Header cells are compared after trimming, dropping a BOM and unifying case, width and brackets. */
export function normaliseHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .toLowerCase();
}

/** Maps a header row to field keys: a column may be named by field code, Chinese name or English alias. */
export function mapHeaders(headerRow: readonly string[], fields: readonly FieldSpec[]): HeaderMapping {
  const byName = new Map<string, FieldSpec>();
  for (const spec of fields) {
    for (const name of [spec.code, spec.nameZh, spec.alias]) {
      if (name) byName.set(normaliseHeader(name), spec);
    }
  }
  const seen = new Set<string>();
  const duplicated: string[] = [];
  const unknown: string[] = [];
  const recognised: string[] = [];
  const columnKeys = headerRow.map((header) => {
    const spec = byName.get(normaliseHeader(header));
    if (!spec) {
      if (header.trim() !== '') unknown.push(header.trim());
      return null;
    }
    if (seen.has(spec.key)) duplicated.push(header.trim());
    seen.add(spec.key);
    recognised.push(header.trim());
    return spec.key;
  });
  const missingRequired = fields.filter((spec) => spec.required && !seen.has(spec.key));
  return { columnKeys, recognised, unknown, missingRequired, duplicated };
}
