// Shrinks .dependency-cruiser-known-violations.json to the violations that still occur.
// It never adds one: a new violation is fixed, not frozen (hand-editing the baseline shows in review).
import { writeFile } from 'node:fs/promises';
import {
  baselinePath,
  cruiseArchitecture,
  describeViolation,
  readBaseline,
  sameViolation,
} from './architecture/cruise';

const baseline = await readBaseline();
const current = (await cruiseArchitecture()).summary.violations;
const kept = baseline.filter((known) => current.some((violation) => sameViolation(known, violation)));
const fresh = current.filter((violation) => !baseline.some((known) => sameViolation(known, violation)));

await writeFile(baselinePath, `${JSON.stringify(kept, null, 2)}\n`);
console.log(`baseline: ${baseline.length} → ${kept.length} known violations`);
if (fresh.length > 0) {
  console.error(`\n${fresh.length} new violation(s), not added to the baseline — fix them:`);
  for (const violation of fresh) console.error(`  ${describeViolation(violation)}`);
  process.exitCode = 1;
}
