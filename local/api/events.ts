import { randomBytes, randomUUID } from 'node:crypto';
import type {
  APIGatewayEventIdentity,
  APIGatewayEventRequestContextWithAuthorizer,
  APIGatewayProxyEvent,
  APIGatewayRequestAuthorizerEvent,
} from 'aws-lambda';
import { publicDisclosure } from '#lib/platform/public-disclosure';
import { api } from '#lib/platform/resources';
import { arnPartition, LOCAL_ACCOUNT_ID, LOCAL_API_ID } from '../naming';
import type { LocalHttpRequest } from './http-types';

/**
 * API Gateway REST (v1) events built from a local HTTP request: the REQUEST authorizer's event and
 * the Lambda proxy integration's event, for the resources the CDK stack creates — one resource per
 * public route (`GET /v1/health`, no authorizer, no path parameters) and `ANY /v1/{proxy+}` behind
 * the authorizer; and `GET /public/v1/{proxy+}` (the public disclosure API), no authorizer.
 */
export interface MatchedRoute {
  resource: string;
  pathParameters: Record<string, string> | null;
  public: boolean;
}

function decodedOr(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The resource a request lands on, or undefined where API Gateway has none (it answers 403/404). */
export function matchRoute(method: string, path: string): MatchedRoute | undefined {
  for (const route of api.publicRoutes) {
    const [routeMethod, routePath] = route.split(' ');
    if (routePath === path && (routeMethod === method || routeMethod === 'ANY')) {
      return { resource: routePath, pathParameters: null, public: true };
    }
  }
  // The public disclosure API: `GET|POST /public/v1/{proxy+}`, no authorizer (authorizationType NONE).
  const publicApi = `${publicDisclosure.apiPath}/`;
  if (path.startsWith(publicApi) && path.length > publicApi.length) {
    if (!publicDisclosure.apiMethods.includes(method)) return undefined;
    return {
      resource: `${publicDisclosure.apiPath}/{proxy+}`,
      pathParameters: { proxy: decodedOr(path.slice(publicApi.length)) },
      public: true,
    };
  }
  const prefix = `${api.basePath}/`;
  if (!path.startsWith(prefix) || path.length === prefix.length) return undefined;
  let proxy: string;
  try {
    proxy = decodeURIComponent(path.slice(prefix.length));
  } catch {
    proxy = path.slice(prefix.length);
  }
  return { resource: `${api.basePath}/{proxy+}`, pathParameters: { proxy }, public: false };
}

export interface RequestParts {
  method: string;
  path: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  body: string | null;
  isBase64Encoded: boolean;
  requestId: string;
  requestTimeEpoch: number;
  sourceIp: string;
  domainName: string;
}

const TEXT_TYPES = /^(text\/|application\/([\w.+-]+\+)?(json|xml|x-www-form-urlencoded|javascript|csv)\b)/i;

/** A body is passed as text when it is declared textual (or undeclared) and is valid UTF-8. */
function encodeBody(
  body: Buffer | undefined,
  contentType: string | undefined,
): { body: string | null; isBase64Encoded: boolean } {
  if (!body || body.length === 0) return { body: null, isBase64Encoded: false };
  const textual = contentType === undefined || TEXT_TYPES.test(contentType);
  if (textual) {
    const text = body.toString('utf8');
    if (Buffer.from(text, 'utf8').equals(body)) return { body: text, isBase64Encoded: false };
  }
  return { body: body.toString('base64'), isBase64Encoded: true };
}

function xRayTraceId(now: number): string {
  return `Root=1-${Math.floor(now / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
}

/** Splits a local request into the parts both events share, adding the headers API Gateway adds. */
export function requestParts(request: LocalHttpRequest, localPort: number, now = Date.now()): RequestParts {
  const url = new URL(request.url, 'http://local');
  const headerPairs: [string, string][] = [...request.headers];
  const has = (name: string) => headerPairs.some(([key]) => key.toLowerCase() === name.toLowerCase());
  if (!has('X-Forwarded-For')) headerPairs.push(['X-Forwarded-For', request.sourceIp]);
  if (!has('X-Forwarded-Port')) headerPairs.push(['X-Forwarded-Port', String(localPort)]);
  if (!has('X-Forwarded-Proto')) headerPairs.push(['X-Forwarded-Proto', 'http']);
  if (!has('X-Amzn-Trace-Id')) headerPairs.push(['X-Amzn-Trace-Id', xRayTraceId(now)]);

  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of headerPairs) {
    headers[name] = value;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }

  let queryStringParameters: Record<string, string> | null = null;
  let multiValueQueryStringParameters: Record<string, string[]> | null = null;
  for (const [name, value] of url.searchParams) {
    queryStringParameters ??= {};
    multiValueQueryStringParameters ??= {};
    queryStringParameters[name] = value;
    multiValueQueryStringParameters[name] = [...(multiValueQueryStringParameters[name] ?? []), value];
  }

  const contentType = headerPairs.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  return {
    method: request.method.toUpperCase(),
    path: url.pathname,
    headers,
    multiValueHeaders,
    queryStringParameters,
    multiValueQueryStringParameters,
    ...encodeBody(request.body, contentType),
    requestId: randomUUID(),
    requestTimeEpoch: now,
    sourceIp: request.sourceIp,
    domainName: request.host ?? `127.0.0.1:${localPort}`,
  };
}

export function methodArn(region: string, stage: string, method: string, path: string): string {
  return `arn:${arnPartition(region)}:execute-api:${region}:${LOCAL_ACCOUNT_ID}:${LOCAL_API_ID}/${stage}/${method}${path}`;
}

function identity(parts: RequestParts): APIGatewayEventIdentity {
  const userAgent =
    Object.entries(parts.headers).find(([name]) => name.toLowerCase() === 'user-agent')?.[1] ?? null;
  return {
    accessKey: null,
    accountId: null,
    apiKey: null,
    apiKeyId: null,
    caller: null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp: parts.sourceIp,
    user: null,
    userAgent,
    userArn: null,
  };
}

/** `dd/MMM/yyyy:HH:mm:ss +0000`, API Gateway's requestTime. */
function requestTime(epoch: number): string {
  const date = new Date(epoch);
  const month = date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${month}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

function requestContext(
  parts: RequestParts,
  route: MatchedRoute,
  stage: string,
  authorizer: Record<string, unknown> | null,
): Omit<APIGatewayEventRequestContextWithAuthorizer<unknown>, 'authorizer'> & {
  authorizer?: Record<string, unknown>;
} {
  return {
    accountId: LOCAL_ACCOUNT_ID,
    apiId: LOCAL_API_ID,
    // Methods without an authorizer have no authorizer member at all.
    ...(authorizer ? { authorizer } : {}),
    domainName: parts.domainName,
    domainPrefix: parts.domainName.split('.')[0] ?? parts.domainName,
    extendedRequestId: randomBytes(8).toString('base64').replace(/=+$/, ''),
    httpMethod: parts.method,
    identity: identity(parts),
    path: `/${stage}${parts.path}`,
    protocol: 'HTTP/1.1',
    requestId: parts.requestId,
    requestTime: requestTime(parts.requestTimeEpoch),
    requestTimeEpoch: parts.requestTimeEpoch,
    resourceId: route.public ? 'localpublic' : 'localproxy',
    resourcePath: route.resource,
    stage,
  };
}

export function buildAuthorizerEvent(
  parts: RequestParts,
  route: MatchedRoute,
  region: string,
  stage: string,
): APIGatewayRequestAuthorizerEvent {
  const context = requestContext(parts, route, stage, null);
  return {
    type: 'REQUEST',
    methodArn: methodArn(region, stage, parts.method, parts.path),
    resource: route.resource,
    path: parts.path,
    httpMethod: parts.method,
    headers: parts.headers,
    multiValueHeaders: parts.multiValueHeaders,
    pathParameters: route.pathParameters,
    queryStringParameters: parts.queryStringParameters,
    multiValueQueryStringParameters: parts.multiValueQueryStringParameters,
    stageVariables: null,
    requestContext: context as unknown as APIGatewayRequestAuthorizerEvent['requestContext'],
  };
}

export function buildProxyEvent(
  parts: RequestParts,
  route: MatchedRoute,
  stage: string,
  authorizer: Record<string, unknown> | null,
): APIGatewayProxyEvent {
  return {
    resource: route.resource,
    path: parts.path,
    httpMethod: parts.method,
    headers: parts.headers,
    multiValueHeaders: parts.multiValueHeaders,
    queryStringParameters: parts.queryStringParameters,
    multiValueQueryStringParameters: parts.multiValueQueryStringParameters,
    pathParameters: route.pathParameters,
    stageVariables: null,
    requestContext: requestContext(
      parts,
      route,
      stage,
      authorizer,
    ) as unknown as APIGatewayProxyEvent['requestContext'],
    body: parts.body,
    isBase64Encoded: parts.isBase64Encoded,
  };
}
