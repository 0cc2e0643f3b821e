import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ReferenceRecord } from '#lib/datasets/reference/index';
import { buildCatalogue, consistencyReport } from '#lib/reference/catalogue';
import { ingestText } from '../datasets/support';

const files = {
  'list-type': 'list-types.csv',
  memorandum: 'memoranda.csv',
  measure: 'measures.csv',
  matter: 'matters.csv',
} as const;

describe('Demo data: the credit office reference files (local/demo/XYB)', () => {
  it('ingest without a rejected row and form a consistent catalogue with the matters the README uses', async () => {
    const records: ReferenceRecord[] = [];
    for (const [dataset, file] of Object.entries(files)) {
      const body = readFileSync(new URL(`../../../local/demo/XYB/${dataset}/${file}`, import.meta.url));
      const { outcome, stored } = await ingestText(dataset as keyof typeof files, body);
      expect(outcome.counts.rejected, `${dataset}/${file}`).toBe(0);
      records.push(...stored.map((row) => row.record as ReferenceRecord));
    }
    const catalogue = buildCatalogue(records);
    expect(consistencyReport(catalogue).consistent).toBe(true);
    expect([...catalogue.matters.keys()]).toContain('SCJG-XK-001');
    expect([...catalogue.listTypes.keys()].sort()).toEqual(['HMD-FY-SXBZXR', 'HMD-SW-ZDSSWF', 'HONG-SW-A']);
  });
});
