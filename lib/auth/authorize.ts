import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { bearerToken, hashApiKey } from './api-keys';
import type { ApiKeyReader } from './ports';

export type AuthorizeDecision =
  | { ok: true; result: APIGatewayAuthorizerResult }
  | { ok: false; reason: 'MISSING_KEY' | 'UNKNOWN_KEY' | 'REVOKED_KEY' };

/**
 * The policy covers every method of the stage, because API Gateway caches one decision per key
 * and reuses it for other routes; what a caller may do per route is decided by the API from roles.
 */
export function stageWildcard(methodArn: string): string {
  // arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<method>/<path…>
  const [apiArn, stage] = methodArn.split('/');
  return `${apiArn}/${stage}/*`;
}

export async function authorizeRequest(
  store: ApiKeyReader,
  headers: Readonly<Record<string, string | undefined>>,
  methodArn: string,
): Promise<AuthorizeDecision> {
  const authorization = headers.authorization ?? headers.Authorization;
  const token = bearerToken(authorization);
  if (!token) return { ok: false, reason: 'MISSING_KEY' };
  const record = await store.getApiKey(hashApiKey(token));
  if (!record) return { ok: false, reason: 'UNKNOWN_KEY' };
  if (record.revokedAt) return { ok: false, reason: 'REVOKED_KEY' };
  return {
    ok: true,
    result: {
      principalId: record.keyId,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: stageWildcard(methodArn) }],
      },
      context: { agencyCode: record.agencyCode, roles: record.roles.join(','), keyId: record.keyId },
    },
  };
}
