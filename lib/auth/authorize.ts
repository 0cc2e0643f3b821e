import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { bearerToken, hashApiKey } from './api-keys';
import type { ApiKeyReader } from './ports';

export type AuthorizeDecision =
  | { ok: true; result: APIGatewayAuthorizerResult }
  | { ok: false; reason: 'MISSING_KEY' | 'UNKNOWN_KEY' | 'REVOKED_KEY' | 'DUPLICATE_AUTHORIZATION' };

type Headers = Readonly<Record<string, string | undefined>> | null | undefined;
type MultiValueHeaders = Readonly<Record<string, readonly string[] | undefined>> | null | undefined;

/**
 * Every Authorization header of the request, whatever its case (`authorization`, `AUTHORIZATION`…),
 * from the single- and multi-value maps API Gateway passes. The identity source (the cache key)
 * and the authorizer must read the same header: two different values are refused, never resolved
 * by picking one.
 */
export function authorizationValues(headers: Headers, multiValueHeaders?: MultiValueHeaders): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'authorization' && value !== undefined) values.add(value);
  }
  for (const [name, list] of Object.entries(multiValueHeaders ?? {})) {
    if (name.toLowerCase() === 'authorization') for (const value of list ?? []) values.add(value);
  }
  return [...values];
}

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
  headers: Headers,
  methodArn: string,
  multiValueHeaders?: MultiValueHeaders,
): Promise<AuthorizeDecision> {
  const authorization = authorizationValues(headers, multiValueHeaders);
  if (authorization.length > 1) return { ok: false, reason: 'DUPLICATE_AUTHORIZATION' };
  const token = bearerToken(authorization[0]);
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
