/**
 * Writes docs/architecture.md from .dependency-cruiser.js and the import graph.
 *   npm run docs:architecture            regenerate the file
 *   npm run docs:architecture -- --check exit 1 if the file is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cruiseArchitecture, readBaseline, repoRoot } from './architecture/cruise';
import { renderArchitectureDocs } from './architecture/docs';

export const architectureDocsPath = join(repoRoot, 'docs', 'architecture.md');

const [result, baseline] = await Promise.all([cruiseArchitecture(), readBaseline()]);
const text = renderArchitectureDocs(result, baseline);
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(architectureDocsPath, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    console.error('docs/architecture.md is stale: run npm run docs:architecture');
    process.exitCode = 1;
  } else console.log('docs/architecture.md is up to date');
} else {
  writeFileSync(architectureDocsPath, text);
  console.log(`wrote ${architectureDocsPath}`);
}
