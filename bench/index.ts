/**
 * `npm run bench`: every benchmark once, at a size that finishes in a few minutes on a laptop, each
 * in its own process (one local stack per process). The full-size runs the issues ask for:
 *   npm run bench:ingest -- --rows 1000000
 *   npm run bench:check -- --entries 1000000 --subjects 1000000
 *   npm run bench:public -- --subjects 100000
 */
import { spawnSync } from 'node:child_process';

const runs: { name: string; script: string; args: string[] }[] = [
  { name: 'ingestion', script: 'bench/ingest.ts', args: ['--rows', '50000'] },
  {
    name: 'credit check and re-screening',
    script: 'bench/check.ts',
    args: [
      '--entries',
      '20000',
      '--subjects',
      '20000',
      '--checks',
      '5000',
      '--rescreen-entries',
      '10000',
      '--watched',
      '2000',
    ],
  },
  {
    name: 'public disclosure lookups',
    script: 'bench/public.ts',
    args: ['--subjects', '20000', '--lookups', '5000'],
  },
];

let failed = 0;
for (const run of runs) {
  console.log(`\n=== ${run.name}: tsx ${run.script} ${run.args.join(' ')}\n`);
  const result = spawnSync('npx', ['tsx', run.script, ...run.args], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed += 1;
    console.error(`${run.name} benchmark failed (exit ${result.status})`);
  }
}
process.exit(failed === 0 ? 0 : 1);
