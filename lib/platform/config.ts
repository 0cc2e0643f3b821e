/** Configuration comes from environment variables, read through one helper that names what is missing. */
export class MissingConfigurationError extends Error {
  override name = 'MissingConfigurationError';
  constructor(variable: string) {
    super(`Environment variable ${variable} is required but not set`);
  }
}

export function requireEnv(variable: string): string {
  const value = process.env[variable];
  if (value === undefined || value === '') throw new MissingConfigurationError(variable);
  return value;
}
