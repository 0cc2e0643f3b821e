import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { removeAbandonedSpools } from '#lib/ingest/readers/xlsx-archive';

/** A temporary directory holding a spool left by a stopped read and a directory of someone else. */
function leftovers(): string {
  const root = mkdtempSync(join(tmpdir(), 'spool-cleanup-test-'));
  mkdirSync(join(root, 'xlsx-left'));
  mkdirSync(join(root, 'other'));
  return root;
}

describe('Function: removeAbandonedSpools', () => {
  it('removes the workbook spools under the directory and nothing else', () => {
    const root = leftovers();
    expect(removeAbandonedSpools(root)).toBe(1);
    expect(readdirSync(root)).toEqual(['other']);
    rmSync(root, { recursive: true });
  });
});

describe('Function: ingestDependencies (spools left by a stopped invocation)', () => {
  let root: string;

  beforeEach(() => {
    root = leftovers();
    vi.resetModules();
    vi.stubEnv('TMPDIR', root);
    vi.stubEnv('TABLE_NAME', 'credit');
    vi.stubEnv('BUCKET_NAME', 'data');
    vi.stubEnv('MATCH_QUEUE_URL', 'http://localhost/queue/match');
    vi.stubEnv('AWS_REGION', 'cn-north-1');
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(root, { recursive: true });
  });

  it('removes them when the container starts in a Lambda sandbox, which no other process shares', async () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'joint-credit-ingest');
    const { ingestDependencies } = await import('#functions/ingest/dependencies');
    ingestDependencies();
    expect(readdirSync(root)).toEqual(['other']);
  });

  it('leaves them outside Lambda, where other processes read workbooks in the same directory', async () => {
    const { ingestDependencies } = await import('#functions/ingest/dependencies');
    ingestDependencies();
    expect(readdirSync(root).sort()).toEqual(['other', 'xlsx-left']);
  });
});
