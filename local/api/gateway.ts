import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { invokeHandler, type LambdaHandler, LambdaTimeoutError } from '../lambda/invoke';
import { describeError, type LocalLogger } from '../log';
import { buildAuthorizerEvent, buildProxyEvent, matchRoute, type RequestParts, requestParts } from './events';
import { gatewayResponse } from './gateway-responses';
import type { LocalHttpRequest, LocalHttpResponse } from './http-types';
import { evaluatePolicy } from './policy';
import { isPublicSitePath, servePublicSite } from './public-site';

/**
 * API Gateway's request pipeline for the /v1 REST API, in process: route → REQUEST authorizer (with
 * its result cache, keyed by the Authorization header) → IAM policy check against the method ARN →
 * Lambda proxy integration → HTTP response, with the gateway's own problem+json responses where
 * API Gateway answers by itself. The public disclosure (`/public/v1/...` and the page's assets under
 * `/public/`) has no authorizer, as its methods in the cloud have `authorizationType: NONE`.
 */
export interface ApiGatewayOptions {
  region: string;
  stage: string;
  apiHandler: LambdaHandler<APIGatewayProxyEvent, APIGatewayProxyResult>;
  authorizerHandler: LambdaHandler;
  /** Authorizer result cache TTL (api.authorizerCacheSeconds in the cloud); 0 disables it. */
  authorizerCacheSeconds: number;
  /** The local port, for X-Forwarded-Port. */
  port: () => number;
  logger: LocalLogger;
}

/** Lambda's limit on a synchronous invocation's request and response payloads. */
const PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;

interface CachedAuthorization {
  principalId: string;
  policyDocument: unknown;
  context: Record<string, unknown>;
  expiresAt: number;
}

class AuthorizerConfigurationError extends Error {
  override name = 'AuthorizerConfigurationError';
}

/** Context values reach the integration as strings; objects and arrays make API Gateway fail. */
function authorizerContext(result: unknown): CachedAuthorization {
  const value = result as { principalId?: unknown; policyDocument?: unknown; context?: unknown } | null;
  if (!value || typeof value !== 'object' || typeof value.principalId !== 'string' || !value.policyDocument) {
    throw new AuthorizerConfigurationError('The authorizer returned no principalId or policyDocument');
  }
  const context: Record<string, unknown> = {};
  for (const [key, item] of Object.entries((value.context as Record<string, unknown> | undefined) ?? {})) {
    if (item === null || item === undefined) continue;
    if (typeof item === 'object')
      throw new AuthorizerConfigurationError(`Authorizer context value ${key} is not a primitive`);
    context[key] = String(item);
  }
  return { principalId: value.principalId, policyDocument: value.policyDocument, context, expiresAt: 0 };
}

function headerValue(parts: RequestParts, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.entries(parts.headers).find(([key]) => key.toLowerCase() === lower)?.[1];
}

function isValidResult(result: unknown): result is APIGatewayProxyResult {
  const value = result as { statusCode?: unknown } | null;
  return (
    !!value &&
    typeof value === 'object' &&
    Number.isInteger(value.statusCode) &&
    (value.statusCode as number) >= 100 &&
    (value.statusCode as number) <= 599
  );
}

function toHttpResponse(result: APIGatewayProxyResult, requestId: string): LocalHttpResponse {
  const headers: [string, string][] = [];
  const single = result.headers ?? {};
  const multi = result.multiValueHeaders ?? {};
  for (const [name, value] of Object.entries(single)) {
    if (multi[name] === undefined) headers.push([name, String(value)]);
  }
  for (const [name, values] of Object.entries(multi)) {
    for (const value of values ?? []) headers.push([name, String(value)]);
  }
  if (!headers.some(([name]) => name.toLowerCase() === 'content-type'))
    headers.push(['Content-Type', 'application/json']);
  headers.push(['x-amzn-RequestId', requestId]);
  const body = result.body ?? '';
  return {
    statusCode: result.statusCode,
    headers,
    body: result.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8'),
  };
}

export interface ApiGateway {
  dispatch(request: LocalHttpRequest): Promise<LocalHttpResponse>;
  clearAuthorizerCache(): void;
}

export function createApiGateway(options: ApiGatewayOptions): ApiGateway {
  const cache = new Map<string, CachedAuthorization>();
  const { region, stage, logger } = options;

  const authorize = async (parts: RequestParts, route: NonNullable<ReturnType<typeof matchRoute>>) => {
    const identity = headerValue(parts, 'Authorization');
    // The identity source is missing: API Gateway answers 401 without calling the authorizer.
    if (!identity) return { outcome: 'unauthorized' as const };
    const now = Date.now();
    let authorization = cache.get(identity);
    if (!authorization || authorization.expiresAt <= now) {
      cache.delete(identity);
      let result: unknown;
      try {
        result = await invokeHandler(
          'authorizer',
          options.authorizerHandler,
          buildAuthorizerEvent(parts, route, region, stage),
          region,
        );
      } catch (error) {
        if (error instanceof Error && error.message === 'Unauthorized')
          return { outcome: 'unauthorized' as const };
        logger.warn(`The authorizer failed: ${describeError(error)}`);
        return { outcome: 'error' as const };
      }
      try {
        authorization = authorizerContext(result);
      } catch (error) {
        logger.warn(describeError(error));
        return { outcome: 'error' as const };
      }
      if (options.authorizerCacheSeconds > 0) {
        authorization.expiresAt = now + options.authorizerCacheSeconds * 1000;
        cache.set(identity, authorization);
      }
    }
    const arn = buildAuthorizerEvent(parts, route, region, stage).methodArn;
    if (evaluatePolicy(authorization.policyDocument, arn) !== 'Allow') return { outcome: 'denied' as const };
    return {
      outcome: 'allowed' as const,
      authorizer: { ...authorization.context, principalId: authorization.principalId, integrationLatency: 0 },
    };
  };

  const dispatch = async (request: LocalHttpRequest): Promise<LocalHttpResponse> => {
    const parts = requestParts(request, options.port());
    const base = { path: `/${stage}${parts.path}`, requestId: parts.requestId };
    // The public page's assets: the cloud serves them from the site bucket, no authorizer.
    if (isPublicSitePath(parts.path))
      return servePublicSite(parts.method, parts.path, headerValue(parts, 'If-None-Match'));
    const route = matchRoute(parts.method, parts.path);
    if (!route) {
      return gatewayResponse({
        ...base,
        type: 'MISSING_AUTHENTICATION_TOKEN',
        message: 'Missing Authentication Token',
      });
    }
    let authorizer: Record<string, unknown> | null = null;
    if (!route.public) {
      const decision = await authorize(parts, route);
      if (decision.outcome === 'unauthorized')
        return gatewayResponse({ ...base, type: 'UNAUTHORIZED', message: 'Unauthorized' });
      if (decision.outcome === 'denied') {
        return gatewayResponse({
          ...base,
          type: 'ACCESS_DENIED',
          message: 'User is not authorized to access this resource with an explicit deny',
        });
      }
      if (decision.outcome === 'error') {
        return gatewayResponse({
          ...base,
          type: 'DEFAULT_5XX',
          status: 500,
          message: 'Internal server error',
        });
      }
      authorizer = decision.authorizer;
    }
    const event = buildProxyEvent(parts, route, stage, authorizer);
    if (Buffer.byteLength(JSON.stringify(event)) > PAYLOAD_LIMIT_BYTES) {
      return gatewayResponse({ ...base, type: 'DEFAULT_4XX', status: 413, message: 'Request Too Long' });
    }
    let result: unknown;
    try {
      result = await invokeHandler('api', options.apiHandler, event, region);
    } catch (error) {
      if (error instanceof LambdaTimeoutError) {
        logger.warn(describeError(error));
        return gatewayResponse({
          ...base,
          type: 'INTEGRATION_TIMEOUT',
          message: 'Endpoint request timed out',
        });
      }
      logger.warn(`The api function failed: ${describeError(error)}`);
      return gatewayResponse({ ...base, type: 'DEFAULT_5XX', status: 502, message: 'Internal server error' });
    }
    if (!isValidResult(result) || Buffer.byteLength(JSON.stringify(result)) > PAYLOAD_LIMIT_BYTES) {
      logger.warn('The api function returned a malformed or oversized proxy response');
      return gatewayResponse({ ...base, type: 'DEFAULT_5XX', status: 502, message: 'Internal server error' });
    }
    return toHttpResponse(result, parts.requestId);
  };

  return { dispatch, clearAuthorizerCache: () => cache.clear() };
}
