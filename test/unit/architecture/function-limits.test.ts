import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '#tools/architecture/cruise';

const biome = join(repoRoot, 'node_modules', '.bin', 'biome');
const limitedRules = ['noExcessiveLinesPerFunction', 'noExcessiveCognitiveComplexity'] as const;

interface Override {
  includes: string[];
  linter?: { rules?: { complexity?: Record<string, unknown> } };
}
const biomeConfig = JSON.parse(readFileSync(join(repoRoot, 'biome.json'), 'utf8'));
const overrides: Override[] = biomeConfig.overrides;

function exceptedFrom(rule: string): string[] {
  return overrides.filter((o) => o.linter?.rules?.complexity?.[rule] === 'off').flatMap((o) => o.includes);
}

/** Files Biome reports for the rule (GitHub reporter: one `::… file=<path>,line=…` line per finding). */
function reportedFiles(args: readonly string[], cwd = repoRoot): Set<string> {
  const run = spawnSync(biome, ['lint', '--reporter=github', '--max-diagnostics=none', ...args], {
    cwd,
    encoding: 'utf8',
  });
  const files = [...run.stdout.matchAll(/file=([^,]+),line=/g)].map((match) => match[1]!);
  return new Set(files.map((file) => file.replace(cwd, '').replace(/^\//, '')));
}

/** A scratch tree linted with a copy of the repository's biome.json, so fixtures sit at lib/… paths. */
const scratch = mkdtempSync(join(tmpdir(), 'function-limits-'));
writeFileSync(
  join(scratch, 'biome.json'),
  JSON.stringify({ ...biomeConfig, $schema: undefined, vcs: undefined }),
);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function lintScratch(path: string, source: string): Set<string> {
  mkdirSync(dirname(join(scratch, path)), { recursive: true });
  writeFileSync(join(scratch, path), source);
  return reportedFiles([path], scratch);
}

function longFunction(lines: number): string {
  const body = Array.from({ length: lines }, (_, i) => `  total += ${i};`).join('\n');
  return `export function long(): number {\n  let total = 0;\n${body}\n  return total;\n}\n`;
}

function tangledFunction(): string {
  const nested = 'if (a) { if (b) { if (c) { if (d) { if (e) { return 1; } } } } }';
  return `export function tangled(a: boolean, b: boolean, c: boolean, d: boolean, e: boolean): number {\n  ${nested}\n  ${nested}\n  return 0;\n}\n`;
}

describe('Lint: function length and cognitive complexity (biome.json overrides)', () => {
  it('rejects a function over 80 lines in lib/ and accepts one of 80', () => {
    expect([...lintScratch('lib/check/too-long.ts', longFunction(79))]).toEqual(['lib/check/too-long.ts']);
    expect([...lintScratch('lib/check/long-enough.ts', longFunction(78))]).toEqual([]);
  });

  it('rejects a tangled function in functions/, but not in test/', () => {
    expect([...lintScratch('functions/api/tangled.ts', tangledFunction())]).toEqual([
      'functions/api/tangled.ts',
    ]);
    expect([...lintScratch('test/unit/tangled.ts', tangledFunction())]).toEqual([]);
  });

  it.each(limitedRules)(
    'every file excepted from %s still breaks it (remove a fixed file from biome.json)',
    (rule) => {
      const excepted = exceptedFrom(rule);
      expect(excepted.length).toBeGreaterThan(0);
      const reported = reportedFiles([`--only=complexity/${rule}`, ...excepted]);
      expect(excepted.filter((file) => !reported.has(file))).toEqual([]);
    },
  );
});
