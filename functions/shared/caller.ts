import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Caller } from '#lib/check/types';
import { ProblemError } from '#lib/http/problem';
import { env } from '#lib/platform/resources';

/**
 * SigV4 callers (stage setting apiAccess=iam): the agency role the caller assumed, looked up in the
 * role map the stack derives from the agency registry (IAM_CALLERS). Undefined for any other caller.
 */
function iamCallerOf(event: APIGatewayProxyEvent): Caller | undefined {
  const map = process.env[env.iamCallers];
  const userArn = event.requestContext?.identity?.userArn;
  if (!map || !userArn) return undefined;
  // arn:<partition>:sts::<account>:assumed-role/<role name>/<session>
  const roleName = /:assumed-role\/([^/]+)\//.exec(userArn)?.[1];
  const entry = roleName === undefined ? undefined : (JSON.parse(map) as Record<string, IamCaller>)[roleName];
  return entry
    ? { agencyCode: entry.agencyCode, keyId: `iam:${roleName}`, roles: [...entry.roles] }
    : undefined;
}

interface IamCaller {
  readonly agencyCode: string;
  readonly roles: readonly string[];
}

/** The authorizer's context, as API Gateway passes it: strings only, roles comma-joined. */
export function callerOf(event: APIGatewayProxyEvent): Caller {
  const context = event.requestContext?.authorizer;
  const agencyCode = context?.agencyCode;
  if (typeof agencyCode !== 'string' || agencyCode === '') {
    const signed = iamCallerOf(event);
    if (signed) return signed;
    throw new ProblemError(401, 'UNAUTHORIZED', 'an API key is required: send Authorization: Bearer <key>');
  }
  const roles = typeof context?.roles === 'string' && context.roles !== '' ? context.roles.split(',') : [];
  return { agencyCode, keyId: String(context?.keyId ?? ''), roles };
}
