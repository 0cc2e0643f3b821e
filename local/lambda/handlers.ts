import { access } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type FunctionName, functions } from '#lib/platform/resources';
import type { LocalLogger } from '../log';
import type { LambdaHandler } from './invoke';

/** The handlers the local stack runs: the real ones by default, any of them replaceable (tests). */
export type LocalHandlers = Record<FunctionName, LambdaHandler>;

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

export class HandlerNotAvailableError extends Error {
  override name = 'HandlerNotAvailableError';
}

export function handlerPath(name: FunctionName): string {
  return fileURLToPath(new URL(functions[name].entry, pathToFileURL(repositoryRoot)));
}

/**
 * Imports functions/<name>/handler.ts and returns its `handler` export. Call only after the
 * environment is set: handlers create their clients at module load. An import error (syntax,
 * missing configuration) is thrown; a handler file that does not exist yet is replaced by one that
 * fails every invocation, with a warning, so the rest of the stack still runs.
 */
export async function loadHandler(name: FunctionName, logger?: LocalLogger): Promise<LambdaHandler> {
  const path = handlerPath(name);
  try {
    await access(path);
  } catch {
    logger?.warn(`${functions[name].entry} does not exist yet: invocations of ${name} will fail`);
    return () => {
      throw new HandlerNotAvailableError(`${functions[name].entry} does not exist`);
    };
  }
  const module = (await import(pathToFileURL(path).href)) as { handler?: unknown };
  if (typeof module.handler !== 'function') {
    throw new HandlerNotAvailableError(`${functions[name].entry} has no exported function named handler`);
  }
  return module.handler as LambdaHandler;
}

export async function loadHandlers(
  overrides: Partial<LocalHandlers> = {},
  logger?: LocalLogger,
): Promise<LocalHandlers> {
  const names = Object.keys(functions) as FunctionName[];
  const loaded = await Promise.all(
    names.map(async (name) => overrides[name] ?? (await loadHandler(name, logger))),
  );
  return Object.fromEntries(names.map((name, index) => [name, loaded[index]])) as LocalHandlers;
}
