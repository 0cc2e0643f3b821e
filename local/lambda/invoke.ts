import type { Context } from 'aws-lambda';
import { type FunctionName, functions } from '#lib/platform/resources';
import { createLambdaContext } from './context';

// biome-ignore lint/suspicious/noExplicitAny: a handler of any event type; each caller knows its own.
export type LambdaHandler<TEvent = any, TResult = any> = (
  event: TEvent,
  context: Context,
) => Promise<TResult> | TResult;

export class LambdaTimeoutError extends Error {
  override name = 'LambdaTimeoutError';
  constructor(functionName: string, timeoutSeconds: number) {
    super(`Task timed out after ${timeoutSeconds.toFixed(2)} seconds (${functionName})`);
  }
}

/**
 * Calls a handler the way the Lambda runtime does: a fresh context per invocation, and the
 * function's configured timeout. In Lambda a timeout ends the sandbox; here the handler's work
 * cannot be stopped, but its result is discarded and the invocation counts as failed.
 */
export async function invokeHandler<TEvent, TResult>(
  name: FunctionName,
  handler: LambdaHandler<TEvent, TResult>,
  event: TEvent,
  region: string,
): Promise<TResult> {
  const context = createLambdaContext(name, region);
  const timeoutSeconds = functions[name].timeoutSeconds;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new LambdaTimeoutError(context.functionName, timeoutSeconds)),
      timeoutSeconds * 1000,
    );
    timer.unref();
  });
  try {
    return await Promise.race([Promise.resolve().then(() => handler(event, context)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
