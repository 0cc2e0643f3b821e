import type { ApiKeyReader } from '#lib/auth/ports';
import { createDocumentClient } from '#lib/aws/clients';
import { CreditStore } from '#lib/aws/credit-store';
import { requireEnv } from '#lib/platform/config';
import { type Observability, observability } from '#lib/platform/observability';
import { env } from '#lib/platform/resources';

export interface AuthorizerDependencies extends Observability {
  readonly apiKeys: ApiKeyReader;
}

/** The composition root of the authorizer: the key table through a traced client, built once per container. */
export function createAuthorizerDependencies(): AuthorizerDependencies {
  const instruments = observability('authorizer');
  const client = instruments.tracer.captureAWSv3Client(createDocumentClient());
  return { ...instruments, apiKeys: new CreditStore(client, requireEnv(env.tableName)) };
}
