import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileReferenceSecret, referenceSecretFromEnvironment } from '#lib/aws/reference-secret';
import { MissingConfigurationError } from '#lib/platform/config';
import { env } from '#lib/platform/resources';
import { ensureReferenceKeyFile } from '#local/audit-reference-key';

const directories: string[] = [];
afterEach(async () => {
  await Promise.all(directories.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('Function: ensureReferenceKeyFile', () => {
  it('writes the key once under the data directory and keeps it on the next start', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'privacy-key-test-'));
    directories.push(dataDir);
    const first = await ensureReferenceKeyFile(dataDir);
    const key = await readFile(first.path, 'utf8');
    const second = await ensureReferenceKeyFile(dataDir);
    expect(second.path).toBe(first.path);
    expect(await readFile(second.path, 'utf8')).toBe(key);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(await fileReferenceSecret(first.path).read()).toBe(key);
  });

  it('makes a key per run in memory, removed when the stack stops', async () => {
    const one = await ensureReferenceKeyFile(undefined);
    const two = await ensureReferenceKeyFile(undefined);
    expect(await readFile(one.path, 'utf8')).not.toBe(await readFile(two.path, 'utf8'));
    await one.dispose?.();
    await two.dispose?.();
    await expect(access(one.path)).rejects.toThrow();
  });
});

describe('Function: referenceSecretFromEnvironment', () => {
  it('reads the local key file the local stack names', async () => {
    const { path, dispose } = await ensureReferenceKeyFile(undefined);
    const secret = referenceSecretFromEnvironment({ [env.auditReferenceSecretFile]: path });
    expect(await secret.read()).toBe(await readFile(path, 'utf8'));
    await dispose?.();
  });

  it('refuses to start without a key', () => {
    expect(() => referenceSecretFromEnvironment({})).toThrow(MissingConfigurationError);
  });
});
