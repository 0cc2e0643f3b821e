import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditReferenceSecret } from '#lib/platform/resources';

/**
 * The local stack's stand-in for the Secrets Manager secret that keys the access log's subject
 * references: a key file under the data directory, written once and kept (a new key would give every
 * person in the kept log a new reference), or a key per run, in a temporary directory, in memory.
 */
export async function ensureReferenceKeyFile(
  dataDir: string | undefined,
): Promise<{ path: string; dispose?: () => Promise<void> }> {
  const key = randomBytes(32).toString('hex');
  if (!dataDir) {
    const directory = await mkdtemp(join(tmpdir(), 'joint-credit-audit-'));
    const path = join(directory, auditReferenceSecret.localFileName);
    await writeFile(path, key, { mode: 0o600 });
    return { path, dispose: () => rm(directory, { recursive: true, force: true }) };
  }
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, auditReferenceSecret.localFileName);
  try {
    await writeFile(path, key, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return { path };
}
