import { readFile } from 'node:fs/promises';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ReferenceSecret } from '../audit/ports';
import { MissingConfigurationError } from '../platform/config';
import { env } from '../platform/resources';

/** The access log's reference key from Secrets Manager (the stack's generated secret), as text. */
export function secretsManagerReferenceSecret(
  client: SecretsManagerClient,
  secretId: string,
): ReferenceSecret {
  return {
    async read() {
      const answer = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      if (!answer.SecretString) throw new Error(`secret ${secretId} has no SecretString`);
      return answer.SecretString;
    },
  };
}

/** The same key from a file: the local stack writes one under its data directory. */
export function fileReferenceSecret(path: string): ReferenceSecret {
  return {
    async read() {
      const text = (await readFile(path, 'utf8')).trim();
      if (text === '') throw new Error(`the reference key file ${path} is empty`);
      return text;
    },
  };
}

/**
 * Where this function's reference key is: the secret's ARN (set by CDK) or, in the local stack, the
 * key file; neither set is a MissingConfigurationError when the composition root is built.
 */
export function referenceSecretFromEnvironment(
  variables: NodeJS.ProcessEnv = process.env,
  createClient: () => SecretsManagerClient = () => new SecretsManagerClient({}),
): ReferenceSecret {
  const arn = variables[env.auditReferenceSecretArn];
  if (arn) return secretsManagerReferenceSecret(createClient(), arn);
  const file = variables[env.auditReferenceSecretFile];
  if (file) return fileReferenceSecret(file);
  throw new MissingConfigurationError(`${env.auditReferenceSecretArn} (or ${env.auditReferenceSecretFile})`);
}
