import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  isProcessAlive,
  isProcessGroupAlive,
  killProcessGroup,
  liveGroupMembers,
  processCommandLine,
} from './emulators/processes';
import type { LocalLogger } from './log';

/**
 * Pid files under .local/pids, one per process `npm start` owns, so that the next start can clean up
 * after a crash: a DynamoDB Local whose Node parent died keeps its port. A pid is only acted on after
 * its command line proves it is what the file says (pids are reused).
 */
export type PidKind = 'stack' | 'dynamodb-local';

export interface PidRecord {
  kind: PidKind;
  pid: number;
  /** Process group to kill (DynamoDB Local runs in its own). */
  pgid?: number;
  startedAt: string;
}

export class StackAlreadyRunningError extends Error {
  override name = 'StackAlreadyRunningError';
  constructor(readonly pid: number) {
    super(
      `A local stack is already running (pid ${pid}). Stop it with Ctrl-C in its terminal, or: kill ${pid}`,
    );
  }
}

const commandLineMarkers: Record<PidKind, RegExp> = {
  stack: /local[/\\]start\.ts/,
  'dynamodb-local': /DynamoDBLocal\.jar/,
};

export async function writePidFile(directory: string, name: string, record: PidRecord): Promise<void> {
  await mkdir(directory, { recursive: true });
  await writeFile(join(directory, `${name}.pid`), `${JSON.stringify(record)}\n`);
}

export async function removePidFile(directory: string, name: string): Promise<void> {
  await rm(join(directory, `${name}.pid`), { force: true });
}

async function readPidFiles(directory: string): Promise<{ name: string; record: PidRecord | undefined }[]> {
  let entries: string[];
  try {
    entries = await readdir(directory);
  } catch {
    return [];
  }
  return Promise.all(
    entries
      .filter((entry) => entry.endsWith('.pid'))
      .map(async (entry) => {
        const name = entry.slice(0, -'.pid'.length);
        try {
          return { name, record: JSON.parse(await readFile(join(directory, entry), 'utf8')) as PidRecord };
        } catch {
          return { name, record: undefined };
        }
      }),
  );
}

function isWhatItClaims(record: PidRecord): boolean {
  const marker = commandLineMarkers[record.kind];
  const candidates =
    record.pgid !== undefined ? [record.pid, ...liveGroupMembersSafe(record.pgid)] : [record.pid];
  return candidates.some((pid) => marker.test(processCommandLine(pid) ?? ''));
}

function liveGroupMembersSafe(pgid: number): number[] {
  try {
    return liveGroupMembers(pgid);
  } catch {
    return [];
  }
}

/**
 * Throws StackAlreadyRunningError when a stack recorded here is still alive; otherwise kills the
 * leftovers of a crashed run (verified by command line) and removes every stale pid file.
 */
export async function cleanUpStaleProcesses(directory: string, logger: LocalLogger): Promise<void> {
  const files = await readPidFiles(directory);
  for (const { record } of files) {
    if (
      record?.kind === 'stack' &&
      record.pid !== process.pid &&
      isProcessAlive(record.pid) &&
      isWhatItClaims(record)
    ) {
      throw new StackAlreadyRunningError(record.pid);
    }
  }
  for (const { name, record } of files) {
    if (record && record.kind !== 'stack') {
      const group = record.pgid ?? record.pid;
      const alive = record.pgid !== undefined ? isProcessGroupAlive(group) : isProcessAlive(record.pid);
      if (alive && isWhatItClaims(record)) {
        logger.warn(`Stopping a ${record.kind} left running by an earlier run (process group ${group})`);
        await killProcessGroup(group);
      } else if (alive) {
        logger.warn(
          `Pid file ${name}.pid names process ${record.pid}, which is no longer ${record.kind}; left alone`,
        );
      }
    }
    await removePidFile(directory, name);
  }
}
