import { PROBLEM_CONTENT_TYPE, problemType } from '../../lib/http/problem';
import { api } from '../../lib/platform/resources';
import type { LocalHttpResponse } from './http-types';

/**
 * The responses API Gateway gives itself, before or instead of the api function, with the
 * problem+json bodies the CDK stack configures as gateway responses (infra/constructs/credit-api.ts,
 * `gatewayProblems`; mirrored here because that module loads aws-cdk-lib).
 */
export type GatewayResponseType =
  | 'UNAUTHORIZED'
  | 'ACCESS_DENIED'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'INTEGRATION_TIMEOUT'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX';

interface GatewayProblem {
  status?: number;
  title: string;
  code: string;
  /** Omitted: the gateway's own message is passed through. */
  detail?: string;
  headers?: Record<string, string>;
}

export const gatewayProblems: Record<GatewayResponseType, GatewayProblem> = {
  UNAUTHORIZED: {
    status: 401,
    title: 'Unauthorized',
    code: 'UNAUTHORIZED',
    detail: 'A valid API key is required in the Authorization header: Bearer <key>.',
    headers: { 'WWW-Authenticate': 'Bearer realm="joint-credit"' },
  },
  ACCESS_DENIED: {
    status: 403,
    title: 'Forbidden',
    code: 'FORBIDDEN',
    detail: 'This API key is not allowed to call this operation.',
  },
  MISSING_AUTHENTICATION_TOKEN: {
    status: 404,
    title: 'Not Found',
    code: 'NOT_FOUND',
    detail: `No such route; every route lives under ${api.basePath}.`,
  },
  INTEGRATION_TIMEOUT: {
    status: 504,
    title: 'Gateway Timeout',
    code: 'TIMEOUT',
    detail: 'The request took too long to complete; it has been logged.',
  },
  DEFAULT_4XX: { title: 'Request Rejected', code: 'REQUEST_REJECTED' },
  DEFAULT_5XX: { title: 'Gateway Error', code: 'GATEWAY_ERROR' },
};

export interface GatewayResponseInput {
  type: GatewayResponseType;
  /** The gateway's status where the type does not fix one (DEFAULT_4XX / DEFAULT_5XX). */
  status?: number;
  /** The gateway's message ($context.error.message). */
  message: string;
  /** $context.path: stage and path. */
  path: string;
  requestId: string;
}

export function gatewayResponse(input: GatewayResponseInput): LocalHttpResponse {
  const problem = gatewayProblems[input.type];
  const status = problem.status ?? input.status ?? (input.type === 'DEFAULT_4XX' ? 400 : 500);
  const body = {
    type: problemType(problem.code),
    title: problem.title,
    status,
    code: problem.code,
    detail: problem.detail ?? input.message,
    instance: input.path,
    requestId: input.requestId,
  };
  return {
    statusCode: status,
    headers: [
      ['Content-Type', PROBLEM_CONTENT_TYPE],
      ['x-amzn-RequestId', input.requestId],
      ['x-amzn-ErrorType', gatewayErrorType(input.type, status)],
      ...Object.entries(problem.headers ?? {}),
    ],
    body: Buffer.from(JSON.stringify(body)),
  };
}

function gatewayErrorType(type: GatewayResponseType, status: number): string {
  switch (type) {
    case 'UNAUTHORIZED':
      return 'UnauthorizedException';
    case 'ACCESS_DENIED':
      return 'AccessDeniedException';
    case 'MISSING_AUTHENTICATION_TOKEN':
      return 'MissingAuthenticationTokenException';
    case 'INTEGRATION_TIMEOUT':
      return 'InternalServerErrorException';
    default:
      return status >= 500 ? 'InternalServerErrorException' : 'BadRequestException';
  }
}
