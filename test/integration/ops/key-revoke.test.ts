import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyId, hashApiKey } from '#lib/auth/api-keys';
import type { LocalStackFile } from '#local/stack-config';
import { registerAgency } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';

// The authorizer cache on, as API Gateway's: a decision is reused for 300 s.
const stack = useLocalStack({ authorizerCacheSeconds: 300 });
const root = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = join(root, 'node_modules/.bin/tsx');

let workDir: string;
let stackFile: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'key-revoke-'));
  stackFile = join(workDir, 'stack.json');
  const file: LocalStackFile = { ...stack().config, pid: process.pid, startedAt: new Date().toISOString() };
  await writeFile(stackFile, JSON.stringify(file), 'utf8');
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/** Runs `npm run admin -- …` against the test stack. */
function admin(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      tsx,
      ['tools/admin.ts', ...args],
      { cwd: root, env: { ...process.env, STACK_FILE: stackFile, STAGE: '' }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/** GET /v1/matters through the local API server, as a client would call it. */
async function matters(apiKey: string): Promise<number> {
  const response = await fetch(`${stack().config.apiBaseUrl}/v1/matters`, {
    headers: { Authorization: `Bearer ${apiKey}` },
  });
  await response.arrayBuffer();
  return response.status;
}

describe('npm run admin -- key revoke (local stack)', () => {
  it('flushes the local gateway’s authorizer cache, so the revoked key is refused at once, and says so', async () => {
    // Prepare: the key's decision is in the cache
    const apiKey = await registerAgency(stack(), 'REVOKE1');
    expect(await matters(apiKey)).toBe(200);
    // Act
    const result = await admin([
      'key',
      'revoke',
      '--agency',
      'REVOKE1',
      '--key-id',
      apiKeyId(hashApiKey(apiKey)),
    ]);
    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('revoked');
    expect(result.stdout).toContain('authorizer cache was flushed');
    expect(await matters(apiKey)).toBe(401);
  });
});
