import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderDatasetDocs } from '#lib/datasets/docs';
import { datasets } from '#lib/datasets/index';

/** Table padding is a formatter's business (Biome pads Markdown tables): compare cell contents only. */
function normalise(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) =>
      line.startsWith('|')
        ? line
            .split(/(?<!\\)\|/)
            .map((cell) => (/^\s*:?-+:?\s*$/.test(cell) ? '---' : cell.trim()))
            .join('|')
        : line.trimEnd(),
    )
    .join('\n')
    .trim();
}

describe('Function: renderDatasetDocs', () => {
  it('docs/datasets.md is what the registered schemas render (run npm run docs:datasets if not)', () => {
    const expected = renderDatasetDocs(datasets);
    const actual = readFileSync(new URL('../../../docs/datasets.md', import.meta.url), 'utf8');
    expect(normalise(actual)).toBe(normalise(expected));
  });

  it('documents every registered dataset with a row per field and its rules', () => {
    const text = renderDatasetDocs(datasets);
    for (const [id, schema] of Object.entries(datasets)) {
      expect(text).toContain(`## ${id}`);
      expect(text).toContain(`incoming/<agencyCode>/${id}/`);
      for (const spec of schema.fields) expect(text).toContain(`| \`${spec.alias}\` |`);
    }
    expect(text).toContain(
      '| `XK_ZT` | 当前状态 | `status` | yes | enum |  | `1` / `2` / `有效` / `无效` |'.replace('|  |', '|'),
    );
    expect(text).toContain('COURT-SXBZXR');
  });
});
