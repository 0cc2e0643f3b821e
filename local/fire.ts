import { schedules } from '../lib/platform/resources';
import { readRunningStack, sendStdoutToStderr, useRunningStackEnvironment } from './cli/running-stack';
import { loadHandler } from './lambda/handlers';
import { invokeHandler } from './lambda/invoke';
import { describeError } from './log';
import { createScheduledEvent, type ScheduleName, scheduleTargets } from './schedules';

/**
 * `npm run fire -- <schedule>`: fires a schedule now — its handler, with a fresh scheduled event,
 * against the running local stack. Logs go to stderr, the result to stdout.
 */
async function main(): Promise<number> {
  const [name] = process.argv.slice(2);
  if (!name || !(name in schedules)) {
    console.error(`Usage: npm run fire -- <schedule>\n  schedules: ${Object.keys(schedules).join(', ')}`);
    return 2;
  }
  const schedule = name as ScheduleName;
  const stack = await readRunningStack();
  useRunningStackEnvironment(stack);
  const target = scheduleTargets[schedule];
  const restoreStdout = sendStdoutToStderr();
  let result: unknown;
  try {
    const handler = await loadHandler(target);
    result = await invokeHandler(target, handler, createScheduledEvent(schedule, stack.region), stack.region);
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
