import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type FunctionName, functions } from '../lib/platform/resources';
import { readRunningStack, sendStdoutToStderr, useRunningStackEnvironment } from './cli/running-stack';
import { loadHandler } from './lambda/handlers';
import { invokeHandler } from './lambda/invoke';
import { describeError } from './log';

/**
 * `npm run invoke -- <function> <event.json|->`: runs one handler once, in this process, against the
 * running local stack (.local/stack.json), like `sam local invoke`. Logs go to stderr, the result to
 * stdout.
 */
const usage = `Usage: npm run invoke -- <function> <event file | ->
  functions: ${Object.keys(functions).join(', ')}
  example:   npm run invoke -- ingest events/ingest/sqs-s3-object-created.json`;

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

async function main(): Promise<number> {
  const [name, eventSource] = process.argv.slice(2);
  if (!name || !eventSource || !(name in functions)) {
    console.error(usage);
    return 2;
  }
  const functionName = name as FunctionName;
  const stack = await readRunningStack();
  useRunningStackEnvironment(stack);
  const event = await readEvent(eventSource);
  const restoreStdout = sendStdoutToStderr();
  let result: unknown;
  try {
    const handler = await loadHandler(functionName);
    result = await invokeHandler(functionName, handler, event, stack.region);
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
