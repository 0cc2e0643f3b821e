import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive } from '../emulators/processes';
import { applyHandlerEnvironment } from '../environment';
import { repositoryRoot } from '../lambda/handlers';
import type { LocalStackFile } from '../stack-config';

/** Where `npm start` keeps its data, pid files and stack.json. */
export const localDirectory = join(repositoryRoot, '.local');
export const stackFilePath = join(localDirectory, 'stack.json');
export const pidDirectory = join(localDirectory, 'pids');

export class NoRunningStackError extends Error {
  override name = 'NoRunningStackError';
}

/** The running stack's stack.json; throws NoRunningStackError when there is none. */
export async function readRunningStack(path = stackFilePath): Promise<LocalStackFile> {
  let file: LocalStackFile;
  try {
    file = JSON.parse(await readFile(path, 'utf8')) as LocalStackFile;
  } catch {
    throw new NoRunningStackError(`No local stack is running (${path} not found). Start one with: npm start`);
  }
  if (!isProcessAlive(file.pid)) {
    throw new NoRunningStackError(
      `${path} names process ${file.pid}, which is not running (a crashed run?). Start the stack with: npm start`,
    );
  }
  return file;
}

/** Points this process's handlers at the running stack. */
export function useRunningStackEnvironment(stack: LocalStackFile): void {
  applyHandlerEnvironment({
    region: stack.region,
    endpoints: stack.endpoints,
    tableName: stack.tableName,
    bucketName: stack.bucketName,
    matchQueueUrl: stack.queues.match.url,
    eventBridge: { endpoint: stack.endpoints.eventbridge, busName: stack.eventBusName },
    ...(stack.auditReferenceSecretFile ? { auditReferenceSecretFile: stack.auditReferenceSecretFile } : {}),
  });
}

/**
 * Like `sam local invoke`: the handler's logs go to stderr, the result alone to stdout, so that it
 * can be piped. Returns a function that restores stdout.
 */
export function sendStdoutToStderr(): () => void {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  return () => {
    process.stdout.write = write;
  };
}
