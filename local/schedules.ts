import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ScheduledEvent } from 'aws-lambda';
import { type FunctionName, resourceName, schedules } from '#lib/platform/resources';
import { invokeHandler, type LambdaHandler } from './lambda/invoke';
import { describeError, type LocalLogger } from './log';
import { arnPartition, LOCAL_ACCOUNT_ID, LOCAL_STAGE } from './naming';

/**
 * The EventBridge schedules, as timers: every `localIntervalSeconds` each schedule fires its handler
 * with a "Scheduled Event" of the real shape, retried like EventBridge Scheduler does
 * (maximumRetryAttempts, back-off). `fire(name)` runs one right away and returns the handler's result.
 */
export type ScheduleName = keyof typeof schedules;

/** Which function each schedule targets. */
export const scheduleTargets: Record<ScheduleName, FunctionName> = {
  deadlines: 'deadlines',
};

export function scheduleArn(name: ScheduleName, region: string): string {
  return `arn:${arnPartition(region)}:scheduler:${region}:${LOCAL_ACCOUNT_ID}:schedule/default/${resourceName(LOCAL_STAGE, schedules[name].id)}`;
}

/** A scheduled event as EventBridge delivers it; `time` is the scheduled time, to the second. */
export function createScheduledEvent(name: ScheduleName, region: string, time = new Date()): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.scheduler',
    account: LOCAL_ACCOUNT_ID,
    time: `${time.toISOString().slice(0, 19)}Z`,
    region,
    resources: [scheduleArn(name, region)],
    detail: {},
  };
}

export interface ScheduleRunnerOptions {
  region: string;
  handlers: Record<FunctionName, LambdaHandler>;
  logger: LocalLogger;
  /** Overrides each schedule's localIntervalSeconds; 0 or less disables the timers. */
  intervalSeconds?: number;
  /** First retry delay (doubles each time); EventBridge uses about a minute, locally 2 s. */
  retryDelaySeconds?: number;
}

export interface ScheduleRunner {
  fire(name: ScheduleName): Promise<unknown>;
  /** Times each schedule's timer fired (including retries as one). */
  readonly firings: Record<ScheduleName, number>;
  stop(): Promise<void>;
}

export function startSchedules(options: ScheduleRunnerOptions): ScheduleRunner {
  const timers: NodeJS.Timeout[] = [];
  const inFlight = new Set<Promise<void>>();
  const abort = new AbortController();
  const firings = Object.fromEntries(Object.keys(schedules).map((name) => [name, 0])) as Record<
    ScheduleName,
    number
  >;

  const fire = (name: ScheduleName) => {
    const target = scheduleTargets[name];
    return invokeHandler(
      target,
      options.handlers[target],
      createScheduledEvent(name, options.region),
      options.region,
    );
  };

  const fireWithRetries = async (name: ScheduleName) => {
    firings[name] += 1;
    const { maximumRetryAttempts } = schedules[name];
    let delay = (options.retryDelaySeconds ?? 2) * 1000;
    for (let attempt = 0; ; attempt += 1) {
      try {
        await fire(name);
        return;
      } catch (error) {
        if (attempt >= maximumRetryAttempts || abort.signal.aborted) {
          options.logger.error(
            `Schedule ${name} failed after ${attempt + 1} attempt(s)`,
            describeError(error),
          );
          return;
        }
        options.logger.warn(
          `Schedule ${name} failed (${describeError(error)}); retrying in ${delay / 1000} s`,
        );
        const aborted = await sleep(delay, false, { signal: abort.signal }).catch(() => true);
        if (aborted) return;
        delay *= 2;
      }
    }
  };

  for (const name of Object.keys(schedules) as ScheduleName[]) {
    const seconds = options.intervalSeconds ?? schedules[name].localIntervalSeconds;
    if (seconds <= 0) continue;
    const timer = setInterval(() => {
      const run = fireWithRetries(name).finally(() => inFlight.delete(run));
      inFlight.add(run);
    }, seconds * 1000);
    timer.unref();
    timers.push(timer);
  }

  return {
    fire,
    firings,
    stop: async () => {
      for (const timer of timers) clearInterval(timer);
      abort.abort();
      await Promise.all([...inFlight]);
    },
  };
}
