import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type FunctionName, functions, schedules } from '#lib/platform/resources';
import { readRunningStack, sendStdoutToStderr, useRunningStackEnvironment } from './cli/running-stack';
import { loadHandler } from './lambda/handlers';
import { invokeHandler } from './lambda/invoke';
import { describeError } from './log';
import { createScheduledEvent, type ScheduleName, scheduleTargets } from './schedules';

/**
 * Runs one handler once, in this process, against the running local stack (.local/stack.json), like
 * `sam local invoke`. Logs go to stderr, the result to stdout.
 *   npm run invoke -- <function> <event.json|->   the handler with that event
 *   npm run fire -- <schedule>                     (= invoke --schedule) the schedule's handler, with a
 *                                                  fresh scheduled event: the schedule fired now
 */
const usage = `Usage: npm run invoke -- <function> <event file | ->
       npm run fire -- <schedule>
  functions: ${Object.keys(functions).join(', ')}
  schedules: ${Object.keys(schedules).join(', ')}
  example:   npm run invoke -- ingest events/ingest/sqs-s3-object-created.json`;

interface Invocation {
  readonly target: FunctionName;
  event(region: string): Promise<unknown>;
}

async function readEvent(source: string): Promise<unknown> {
  const text =
    source === '-'
      ? await new Promise<string>((done, fail) => {
          const chunks: Buffer[] = [];
          process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
          process.stdin.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
          process.stdin.on('error', fail);
        })
      : await readFile(resolve(source), 'utf8');
  return JSON.parse(text);
}

/** What the command line asks for, or undefined when it is not a valid invocation. */
function invocationOf(args: readonly string[]): Invocation | undefined {
  const [first, second] = args;
  if (first === '--schedule') {
    if (!second || !(second in schedules)) return undefined;
    const schedule = second as ScheduleName;
    return {
      target: scheduleTargets[schedule],
      event: async (region) => createScheduledEvent(schedule, region),
    };
  }
  if (!first || !second || !(first in functions)) return undefined;
  return { target: first as FunctionName, event: () => readEvent(second) };
}

async function main(): Promise<number> {
  const invocation = invocationOf(process.argv.slice(2));
  if (!invocation) {
    console.error(usage);
    return 2;
  }
  const stack = await readRunningStack();
  useRunningStackEnvironment(stack);
  const event = await invocation.event(stack.region);
  const restoreStdout = sendStdoutToStderr();
  let result: unknown;
  try {
    const handler = await loadHandler(invocation.target);
    result = await invokeHandler(invocation.target, handler, event, stack.region);
  } finally {
    restoreStdout();
  }
  process.stdout.write(`${JSON.stringify(result ?? null, null, 2)}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(describeError(error));
    process.exit(1);
  },
);
