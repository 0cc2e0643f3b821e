import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import type { LocalStackFile } from '#local/stack-config';
import type { LocalStackHandle } from './local-stack';

export interface AdminResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = join(root, 'node_modules/.bin/tsx');

/**
 * `npm run admin -- …` against the test's local stack, as an operator runs it: the command is a child
 * process that finds the stack through the stack file (STACK_FILE) written here before the tests and
 * removed after. Call at module level, after useLocalStack.
 */
export function useAdminCommand(stack: () => LocalStackHandle): (args: string[]) => Promise<AdminResult> {
  let workDir: string;
  let stackFile: string;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'admin-command-'));
    stackFile = join(workDir, 'stack.json');
    const file: LocalStackFile = { ...stack().config, pid: process.pid, startedAt: new Date().toISOString() };
    await writeFile(stackFile, JSON.stringify(file), 'utf8');
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  return (args) =>
    new Promise((resolve) => {
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
