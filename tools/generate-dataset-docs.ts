/**
 * Writes docs/datasets.md from the registered dataset schemas.
 *   npm run docs:datasets            regenerate the file
 *   npm run docs:datasets -- --check exit 1 if the file is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderDatasetDocs } from '#lib/datasets/docs';
import { datasets } from '#lib/datasets/index';

export const datasetDocsPath = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'datasets.md');

function main(argv: readonly string[]): number {
  const text = renderDatasetDocs(datasets);
  if (argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(datasetDocsPath, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== text) {
      console.error('docs/datasets.md is stale: run npm run docs:datasets');
      return 1;
    }
    console.log('docs/datasets.md is up to date');
    return 0;
  }
  writeFileSync(datasetDocsPath, text);
  console.log(`wrote ${datasetDocsPath} (${Object.keys(datasets).length} datasets)`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
