import { request as httpRequest } from 'node:http';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
} from 'aws-lambda';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startLocalApiServer } from '#local/api/server';
import { createLocalLogger } from '#local/log';
import { useLocalStack } from '../support/local-stack';

const authorizerEvents: APIGatewayRequestAuthorizerEvent[] = [];
const apiEvents: APIGatewayProxyEvent[] = [];

function policy(effect: 'Allow' | 'Deny', resource: string): APIGatewayAuthorizerResult['policyDocument'] {
  return {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
  };
}

async function authorizer(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  authorizerEvents.push(event);
  const stageArn = event.methodArn.split('/').slice(0, 2).join('/');
  switch (event.headers?.Authorization ?? event.headers?.authorization) {
    case 'Bearer good':
      return {
        principalId: 'key-1',
        policyDocument: policy('Allow', `${stageArn}/*`),
        context: {
          agencyCode: 'A1000001',
          roles: 'case-officer,auditor',
          keyId: 'key-1',
          weight: 3,
          active: true,
        },
      };
    case 'Bearer this-method-only':
      return { principalId: 'key-2', policyDocument: policy('Allow', event.methodArn) };
    case 'Bearer denied':
      return { principalId: 'key-3', policyDocument: policy('Deny', `${stageArn}/*`) };
    case 'Bearer broken':
      throw new Error('DynamoDB is on fire');
    default:
      throw new Error('Unauthorized');
  }
}

async function apiHandler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  apiEvents.push(event);
  switch (event.path) {
    case '/v1/binary':
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/octet-stream' },
        body: Buffer.from([0, 1, 2, 255]).toString('base64'),
        isBase64Encoded: true,
      };
    case '/v1/throws':
      throw new Error('handler bug');
    case '/v1/malformed':
      return { body: 'no status code' } as unknown as APIGatewayProxyResult;
    default:
      return {
        statusCode: event.httpMethod === 'POST' ? 201 : 200,
        headers: { 'content-type': 'application/json', 'x-single': 'one' },
        multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'] },
        body: JSON.stringify({ ok: true }),
      };
  }
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json: () => Record<string, unknown>;
}

/** node:http keeps header names as written, unlike fetch. */
function send(
  url: string,
  method: string,
  headers: Record<string, string> = {},
  body?: Buffer | string,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const content = Buffer.concat(chunks);
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: content,
          json: () => JSON.parse(content.toString('utf8')),
        });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

describe('Local stack: API Gateway adapter', () => {
  const stack = useLocalStack({ handlers: { api: apiHandler, authorizer } });
  const url = (path: string) => `${stack().config.apiBaseUrl}${path}`;

  beforeEach(() => {
    authorizerEvents.length = 0;
    apiEvents.length = 0;
    stack().api.clearAuthorizerCache();
  });

  describe('Route: public', () => {
    it('calls the api function for GET /v1/health without the authorizer, on its own resource', async () => {
      // Act
      const response = await send(url('/v1/health'), 'GET');

      // Assess
      expect(response.status).toBe(200);
      expect(authorizerEvents).toHaveLength(0);
      const event = apiEvents[0]!;
      expect(event).toMatchObject({
        resource: '/v1/health',
        path: '/v1/health',
        httpMethod: 'GET',
        pathParameters: null,
        queryStringParameters: null,
        multiValueQueryStringParameters: null,
        stageVariables: null,
        body: null,
        isBase64Encoded: false,
        requestContext: { stage: 'local', path: '/local/v1/health', resourcePath: '/v1/health' },
      });
      expect(event.requestContext).not.toHaveProperty('authorizer');
    });
  });

  describe('Route: /v1/{proxy+}', () => {
    it('builds the REQUEST authorizer event and the proxy event of the real shape', async () => {
      // Act
      const response = await send(
        url('/v1/checks?page=1&page=2&name=%E4%B8%AD%E6%96%87'),
        'POST',
        {
          Authorization: 'Bearer good',
          'Content-Type': 'application/json',
          'X-Request-Tag': 'abc',
          'User-Agent': 'tests',
        },
        JSON.stringify({ subject: '中文' }),
      );

      // Assess
      expect(response.status).toBe(201);
      expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2']);
      expect(response.headers['x-single']).toBe('one');
      const authorizerEvent = authorizerEvents[0]!;
      expect(authorizerEvent).toMatchObject({
        type: 'REQUEST',
        methodArn: 'arn:aws-cn:execute-api:cn-north-1:000000000000:local/local/POST/v1/checks',
        resource: '/v1/{proxy+}',
        path: '/v1/checks',
        httpMethod: 'POST',
        headers: { Authorization: 'Bearer good' },
        pathParameters: { proxy: 'checks' },
        queryStringParameters: { page: '2', name: '中文' },
        stageVariables: null,
        requestContext: { stage: 'local', httpMethod: 'POST', resourcePath: '/v1/{proxy+}' },
      });
      const event = apiEvents[0]!;
      expect(event).toMatchObject({
        resource: '/v1/{proxy+}',
        path: '/v1/checks',
        httpMethod: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Request-Tag': 'abc',
          'X-Forwarded-For': '127.0.0.1',
        },
        multiValueHeaders: { 'X-Request-Tag': ['abc'] },
        queryStringParameters: { page: '2', name: '中文' },
        multiValueQueryStringParameters: { page: ['1', '2'], name: ['中文'] },
        pathParameters: { proxy: 'checks' },
        stageVariables: null,
        body: JSON.stringify({ subject: '中文' }),
        isBase64Encoded: false,
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          stage: 'local',
          httpMethod: 'POST',
          path: '/local/v1/checks',
          resourcePath: '/v1/{proxy+}',
          protocol: 'HTTP/1.1',
          requestId: expect.any(String),
          requestTimeEpoch: expect.any(Number),
          identity: { sourceIp: '127.0.0.1', userAgent: 'tests' },
          authorizer: {
            agencyCode: 'A1000001',
            roles: 'case-officer,auditor',
            keyId: 'key-1',
            weight: '3',
            active: 'true',
            principalId: 'key-1',
          },
        },
      });
      expect(event.headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    });

    it('passes binary bodies base64-encoded, both ways', async () => {
      // Prepare
      const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00]);

      // Act
      const response = await send(
        url('/v1/binary'),
        'PUT',
        { Authorization: 'Bearer good', 'Content-Type': 'image/png' },
        bytes,
      );

      // Assess
      expect(apiEvents[0]).toMatchObject({ isBase64Encoded: true, body: bytes.toString('base64') });
      expect(response.status).toBe(200);
      expect([...response.body]).toEqual([0, 1, 2, 255]);
    });
  });

  describe('Gateway responses', () => {
    it('answers 401 problem+json without calling the authorizer when the Authorization header is missing', async () => {
      // Act
      const response = await send(url('/v1/checks'), 'POST');

      // Assess
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(response.headers['www-authenticate']).toBe('Bearer realm="joint-credit"');
      expect(response.json()).toMatchObject({
        type: expect.stringContaining('unauthorized'),
        title: 'Unauthorized',
        status: 401,
        code: 'UNAUTHORIZED',
        detail: expect.any(String),
        instance: '/local/v1/checks',
      });
      expect(authorizerEvents).toHaveLength(0);
    });

    it("answers 401 when the authorizer throws 'Unauthorized'", async () => {
      const response = await send(url('/v1/checks'), 'POST', { Authorization: 'Bearer unknown' });
      expect(response.status).toBe(401);
      expect(response.json()).toMatchObject({ code: 'UNAUTHORIZED' });
      expect(authorizerEvents).toHaveLength(1);
      expect(apiEvents).toHaveLength(0);
    });

    it('answers 403 when the policy denies', async () => {
      const response = await send(url('/v1/checks'), 'POST', { Authorization: 'Bearer denied' });
      expect(response.status).toBe(403);
      expect(response.json()).toMatchObject({ status: 403, code: 'FORBIDDEN', title: 'Forbidden' });
      expect(apiEvents).toHaveLength(0);
    });

    it('answers 500 when the authorizer fails otherwise', async () => {
      const response = await send(url('/v1/checks'), 'POST', { Authorization: 'Bearer broken' });
      expect(response.status).toBe(500);
      expect(response.json()).toMatchObject({ code: 'GATEWAY_ERROR' });
    });

    it('answers 502 when the api function throws or returns a malformed response', async () => {
      const thrown = await send(url('/v1/throws'), 'GET', { Authorization: 'Bearer good' });
      const malformed = await send(url('/v1/malformed'), 'GET', { Authorization: 'Bearer good' });
      expect([thrown.status, malformed.status]).toEqual([502, 502]);
      expect(thrown.json()).toMatchObject({ code: 'GATEWAY_ERROR', detail: 'Internal server error' });
    });

    it('answers 404 for paths without a resource', async () => {
      const response = await send(url('/nowhere'), 'GET');
      expect(response.status).toBe(404);
      expect(response.json()).toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('Authorizer cache', () => {
    it('calls the authorizer once per key within the cache TTL', async () => {
      await send(url('/v1/a'), 'GET', { Authorization: 'Bearer good' });
      await send(url('/v1/b'), 'POST', { Authorization: 'Bearer good' });
      expect(authorizerEvents).toHaveLength(1);
      expect(apiEvents).toHaveLength(2);
    });

    it('applies a cached policy to the next route as API Gateway does: a per-method policy then denies', async () => {
      const first = await send(url('/v1/a'), 'GET', { Authorization: 'Bearer this-method-only' });
      const second = await send(url('/v1/b'), 'POST', { Authorization: 'Bearer this-method-only' });
      expect([first.status, second.status]).toEqual([200, 403]);
    });
  });
});

describe('Local API server', () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closers) await close();
  });

  it('answers 503 until the stack is ready', async () => {
    // Prepare
    const server = await startLocalApiServer({ port: 0, logger: createLocalLogger({ quiet: true }) });
    closers.push(() => server.stop());

    // Act
    const before = await send(`${server.url}/v1/health`, 'GET');
    server.setReady(async () => ({ statusCode: 200, headers: [], body: Buffer.from('ready') }));
    const after = await send(`${server.url}/v1/health`, 'GET');

    // Assess
    expect(before.status).toBe(503);
    expect(before.json()).toMatchObject({ code: 'STACK_NOT_READY' });
    expect(after.status).toBe(200);
  });
});
