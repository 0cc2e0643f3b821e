import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Caller } from '../../lib/check/types';
import { ProblemError } from '../../lib/http/problem';

/** The authorizer's context, as API Gateway passes it: strings only, roles comma-joined. */
export function callerOf(event: APIGatewayProxyEvent): Caller {
  const context = event.requestContext?.authorizer;
  const agencyCode = context?.agencyCode;
  if (typeof agencyCode !== 'string' || agencyCode === '') {
    throw new ProblemError(401, 'UNAUTHORIZED', 'an API key is required: send Authorization: Bearer <key>');
  }
  const roles = typeof context?.roles === 'string' && context.roles !== '' ? context.roles.split(',') : [];
  return { agencyCode, keyId: String(context?.keyId ?? ''), roles };
}
