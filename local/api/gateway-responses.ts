import { PROBLEM_CONTENT_TYPE, problemType } from '#lib/http/problem';
import { type GatewayResponseType, gatewayProblems } from '#lib/platform/gateway-problems';
import type { LocalHttpResponse } from './http-types';

/** The responses API Gateway gives itself, with the bodies the CDK stack configures (one list). */
export type { GatewayResponseType };

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
