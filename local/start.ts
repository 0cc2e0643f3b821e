import { rm, writeFile } from 'node:fs/promises';
import { localDirectory, pidDirectory, stackFilePath } from './cli/running-stack';
import { PortInUseError, type PortName, portEnvironmentVariables } from './emulators/ports';
import { killProcessGroup } from './emulators/processes';
import { createLocalLogger, describeError } from './log';
import { cleanUpStaleProcesses, removePidFile, StackAlreadyRunningError, writePidFile } from './pid-files';
import { type LocalStackHandle, startLocalStack } from './stack';
import type { LocalStackFile } from './stack-config';

/**
 * `npm start`: the local stack on fixed ports, persisted under .local/ (queues excepted), with the
 * demo data. Flags: --fresh (wipe .local data first), --no-demo, --quiet. Ports from JC_API_PORT
 * (3000), JC_DYNAMODB_PORT (8000), JC_S3_PORT (4569), JC_SQS_PORT (4566); 0 picks a free port.
 */
const defaultPorts: Record<PortName, number> = { api: 3000, dynamodb: 8000, s3: 4569, sqs: 4566 };

class UsageError extends Error {
  override name = 'UsageError';
}

function portsFromEnvironment(): Record<PortName, number> {
  const ports = { ...defaultPorts };
  for (const name of Object.keys(defaultPorts) as PortName[]) {
    const variable = portEnvironmentVariables[name];
    const value = process.env[variable];
    if (value === undefined || value === '') continue;
    const port = Number(value);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new UsageError(`${variable}=${value} is not a port number (0–65535; 0 picks a free port)`);
    }
    ports[name] = port;
  }
  return ports;
}

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const known = new Set(['--fresh', '--no-demo', '--quiet']);
  const unknown = [...args].filter((arg) => !known.has(arg));
  if (unknown.length > 0)
    throw new UsageError(`Unknown option ${unknown.join(' ')}. Options: ${[...known].join(' ')}`);
  const quiet = args.has('--quiet');
  const logger = createLocalLogger({ quiet });
  const ports = portsFromEnvironment();

  await cleanUpStaleProcesses(pidDirectory, logger);
  await writePidFile(pidDirectory, 'stack', {
    kind: 'stack',
    pid: process.pid,
    startedAt: new Date().toISOString(),
  });
  logger.info(`Starting the local stack${args.has('--fresh') ? ' from empty data' : ''}…`);

  let stack: LocalStackHandle;
  try {
    stack = await startLocalStack({
      ports,
      dataDir: localDirectory,
      fresh: args.has('--fresh'),
      loadDemo: !args.has('--no-demo'),
      quiet,
      logger,
    });
  } catch (error) {
    await removePidFile(pidDirectory, 'stack');
    throw error;
  }
  const dynamodbGroup = stack.emulators.dynamodb.pgid;
  await writePidFile(pidDirectory, 'dynamodb-local', {
    kind: 'dynamodb-local',
    pid: dynamodbGroup,
    pgid: dynamodbGroup,
    startedAt: new Date().toISOString(),
  });
  const file: LocalStackFile = { ...stack.config, pid: process.pid, startedAt: new Date().toISOString() };
  await writeFile(stackFilePath, `${JSON.stringify(file, null, 2)}\n`);

  console.log(JSON.stringify(file, null, 2));
  console.log(
    `\nLocal stack ready in ${(stack.startupMs / 1000).toFixed(1)} s — written to ${stackFilePath}`,
  );
  console.log(`  curl ${stack.config.apiBaseUrl}/v1/health`);
  if (stack.config.demo) {
    console.log(
      `  curl -X POST ${stack.config.apiBaseUrl}/v1/checks -H 'Authorization: Bearer ${stack.config.demo.apiKey}' ` +
        `-H 'Content-Type: application/json' -d '{"subject":{"code":"91440703MA4W12346G"},"matterCode":"SCJG-XK-001"}'`,
    );
  }
  console.log(
    `  operator page: ${stack.config.apiBaseUrl}/ops   ·   API contract: ${stack.config.apiBaseUrl}/v1/openapi.json`,
  );
  console.log(`  public page (信用信息公示, no key): ${stack.config.apiBaseUrl}/public/`);
  console.log(
    '  npm run invoke -- <function> <event.json>   ·   npm run fire -- deadlines   ·   Ctrl-C stops',
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      // A second Ctrl-C: do not wait for graceful shutdown.
      await killProcessGroup(dynamodbGroup, 0);
      process.exit(1);
    }
    stopping = true;
    logger.info(`${signal}: stopping…`);
    await stack.stop();
    await rm(stackFilePath, { force: true });
    await removePidFile(pidDirectory, 'dynamodb-local');
    await removePidFile(pidDirectory, 'stack');
    logger.info('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  if (
    error instanceof PortInUseError ||
    error instanceof StackAlreadyRunningError ||
    error instanceof UsageError
  ) {
    console.error(error.message);
  } else {
    console.error(`The local stack could not start: ${describeError(error)}`);
    if (error instanceof Error && error.stack) console.error(error.stack);
  }
  process.exit(1);
});
