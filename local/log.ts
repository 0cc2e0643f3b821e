/** The local stack's own console output: one prefix, and `quiet` keeps it to warnings and errors. */
export interface LocalLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export function createLocalLogger(options: { quiet?: boolean; prefix?: string } = {}): LocalLogger {
  const prefix = options.prefix ?? '[local]';
  return {
    info: (message) => {
      if (!options.quiet) console.log(`${prefix} ${message}`);
    },
    warn: (message) => console.warn(`${prefix} ${message}`),
    error: (message, error) =>
      console.error(`${prefix} ${message}${error === undefined ? '' : `: ${describeError(error)}`}`),
  };
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
