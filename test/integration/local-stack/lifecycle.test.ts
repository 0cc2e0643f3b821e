import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScheduledEvent } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { isProcessAlive, isProcessGroupAlive } from '#local/emulators/processes';
import { createLocalLogger } from '#local/log';
import { cleanUpStaleProcesses, StackAlreadyRunningError, writePidFile } from '#local/pid-files';
import { PortInUseError } from '#local/stack';
import { startTestStack, useLocalStack, waitFor } from '../support/local-stack';

const scheduledEvents: ScheduledEvent[] = [];
const deadlines = async (event: ScheduledEvent) => {
  scheduledEvents.push(event);
  return { fired: event.id };
};

/** Live DynamoDB Local java processes listening on `port`, from /proc. */
function javaOnPort(port: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
        return (
          commandLine[0]?.endsWith('java') &&
          commandLine.some((arg) => arg.endsWith('DynamoDBLocal.jar')) &&
          commandLine[commandLine.indexOf('-port') + 1] === String(port) &&
          state !== 'Z'
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('Local stack: lifecycle', () => {
  const stack = useLocalStack({ handlers: { deadlines }, scheduleIntervalSeconds: 1 });

  describe('Method: fireSchedule', () => {
    it('invokes the deadlines handler now with a scheduled event of the real shape', async () => {
      // Act
      const result = (await stack().fireSchedule('deadlines')) as { fired: string };

      // Assess
      const event = scheduledEvents.find((candidate) => candidate.id === result.fired);
      expect(event).toMatchObject({
        version: '0',
        id: expect.any(String),
        'detail-type': 'Scheduled Event',
        source: 'aws.scheduler',
        account: '000000000000',
        time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
        region: stack().config.region,
        resources: [
          'arn:aws-cn:scheduler:cn-north-1:000000000000:schedule/default/joint-credit-local-DeadlinesSchedule',
        ],
        detail: {},
      });
    });

    it('fires on the timer as well', async () => {
      await waitFor(() => stack().schedules.firings.deadlines >= 1, {
        timeoutMs: 3000,
        what: 'a timer firing',
      });
    });
  });

  describe('Method: startLocalStack', () => {
    it('refuses a port in use with an error naming the variable to change, starting nothing', async () => {
      // Prepare
      const blocker: Server = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      const blockedPort = (blocker.address() as { port: number }).port;

      // Act
      const apiTaken = startTestStack({ ports: { api: Number(new URL(stack().config.apiBaseUrl).port) } });
      const s3Taken = startTestStack({ ports: { s3: blockedPort } });

      // Assess
      await expect(apiTaken).rejects.toThrow(PortInUseError);
      await expect(apiTaken).rejects.toThrow(/JC_API_PORT/);
      await expect(s3Taken).rejects.toThrow(/Port \d+ for s3 is already in use.*JC_S3_PORT/);
      expect(javaOnPort(Number(new URL(stack().config.endpoints.dynamodb).port))).toHaveLength(1);
      blocker.close();
    });
  });

  describe('Method: stop', () => {
    it('stops pollers, server and emulators, and leaves no java process', async () => {
      // Prepare
      const { pgid } = stack().emulators.dynamodb;
      const dynamodbPort = Number(new URL(stack().config.endpoints.dynamodb).port);
      expect(javaOnPort(dynamodbPort)).toHaveLength(1);
      const started = Date.now();

      // Act
      await stack().stop();

      // Assess
      expect(Date.now() - started).toBeLessThan(5000);
      expect(isProcessGroupAlive(pgid)).toBe(false);
      expect(javaOnPort(dynamodbPort)).toEqual([]);
      expect(Object.values(stack().pollers).map((poller) => poller.running)).toEqual([false, false]);
      await expect(fetch(`${stack().config.apiBaseUrl}/v1/health`)).rejects.toThrow();
      await expect(stack().stop()).resolves.toBeUndefined();
    });
  });
});

describe('Local stack: stale processes from a crashed run', () => {
  const logger = createLocalLogger({ quiet: true });
  const children: ChildProcess[] = [];
  const directories: string[] = [];
  /** A stand-in whose command line looks like `marker`, in a process group of its own. */
  const fakeProcess = (marker: string) => {
    const child = spawn('sh', ['-c', 'sleep 30', marker], { detached: true, stdio: 'ignore' });
    children.push(child);
    return child.pid as number;
  };
  const pidDirectory = async () => {
    const directory = await mkdtemp(join(tmpdir(), 'jc-pids-'));
    directories.push(directory);
    return directory;
  };

  afterAll(async () => {
    for (const child of children)
      if (child.pid && isProcessAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
    for (const directory of directories) await rm(directory, { recursive: true, force: true });
  });

  it('kills a DynamoDB Local process group left behind, after checking its command line', async () => {
    // Prepare
    const directory = await pidDirectory();
    const stale = fakeProcess('/opt/DynamoDBLocal.jar');
    await writePidFile(directory, 'dynamodb-local', {
      kind: 'dynamodb-local',
      pid: stale,
      pgid: stale,
      startedAt: '',
    });

    // Act
    await cleanUpStaleProcesses(directory, logger);

    // Assess
    await waitFor(() => !isProcessGroupAlive(stale), { what: 'the stale group to end' });
    expect(await readdir(directory)).toEqual([]);
  });

  it('leaves alone a process that reuses the recorded pid', async () => {
    // Prepare
    const directory = await pidDirectory();
    const unrelated = fakeProcess('something-else');
    await writePidFile(directory, 'dynamodb-local', {
      kind: 'dynamodb-local',
      pid: unrelated,
      pgid: unrelated,
      startedAt: '',
    });

    // Act
    await cleanUpStaleProcesses(directory, logger);

    // Assess
    expect(isProcessAlive(unrelated)).toBe(true);
    expect(await readdir(directory)).toEqual([]);
  });

  it('refuses to start while another stack is running', async () => {
    // Prepare
    const directory = await pidDirectory();
    const running = fakeProcess('local/start.ts');
    await writePidFile(directory, 'stack', { kind: 'stack', pid: running, startedAt: '' });

    // Act & Assess
    await expect(cleanUpStaleProcesses(directory, logger)).rejects.toThrow(StackAlreadyRunningError);
    expect(isProcessAlive(running)).toBe(true);
  });
});
