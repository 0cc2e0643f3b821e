import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
/** The one place allowed to read the system time: the system clock adapter. */
const clockAdapter = 'lib/clock/system-clock.ts';
const systemTime = /\bnew Date\(\s*\)|\bDate\.now\(\s*\)/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('The clock rule', () => {
  it('reads the system time only in the clock adapter, so business dates come from an injectable Clock', () => {
    const offenders = ['lib', 'functions']
      .flatMap((dir) => sourceFiles(join(root, dir)))
      .map((path) => relative(root, path))
      .filter((path) => path !== clockAdapter)
      .flatMap((path) =>
        readFileSync(join(root, path), 'utf8')
          .split('\n')
          .map((line, index) => ({ path, line: index + 1, text: line.trim() }))
          .filter(({ text }) => systemTime.test(text) && !text.startsWith('//') && !text.startsWith('*')),
      )
      .map(({ path, line, text }) => `${path}:${line}: ${text}`);
    expect(offenders).toEqual([]);
  });

  it('finds a violation when there is one (the pattern is not dead)', () => {
    expect(systemTime.test('const today = toShanghaiDate(new Date());')).toBe(true);
    expect(systemTime.test('const started = Date.now();')).toBe(true);
    expect(systemTime.test("const decided = new Date('2026-01-01');")).toBe(false);
  });
});
