import { api } from './resources';

/**
 * RFC 9457 bodies for the errors API Gateway answers itself, before or instead of the api function.
 * One list: the CDK stack turns it into gateway responses, the local gateway answers with it.
 */
export type GatewayResponseType =
  | 'UNAUTHORIZED'
  | 'ACCESS_DENIED'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'THROTTLED'
  | 'INTEGRATION_TIMEOUT'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX';

export interface GatewayProblem {
  /** Overrides the gateway's status; omitted where one type covers several statuses. */
  readonly status?: number;
  readonly title: string;
  readonly code: string;
  /** A literal sentence, or undefined to pass the gateway's own message through. */
  readonly detail?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export const gatewayProblems: Readonly<Record<GatewayResponseType, GatewayProblem>> = {
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
  THROTTLED: {
    status: 429,
    title: 'Too Many Requests',
    code: 'THROTTLED',
    detail: 'The request rate limit was exceeded; retry with backoff.',
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
