import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#functions/api/routes/index';
import { documentedRoutes, type OpenApiDocument, operationIdOf } from '#lib/contract/openapi';
import { publicDisclosure } from '#lib/platform/public-disclosure';
import { api } from '#lib/platform/resources';
import { type Synthesized, synthesize } from '#test/infra/support';
import { registerAgency } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';

const stack = useLocalStack();

type Operation = {
  security?: unknown[];
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: { required?: string[] } }> };
  responses: Record<
    string,
    { content?: Record<string, { schema: unknown }>; 'x-problem-codes'?: string[]; description: string }
  >;
};

const declared = routes.map((route) => `${route.method} ${route.path}`).sort();
/** The public disclosure's routes: under /public/v1, behind its own unauthenticated GET proxy. */
const disclosureApi = `${publicDisclosure.apiPath}/`;
const isDisclosure = (route: string) => (route.split(' ')[1] ?? '').startsWith(disclosureApi);

let document: OpenApiDocument;
let served: { status: number; headers: Record<string, string> };

const operation = (method: string, path: string) =>
  document.paths[path]?.[method.toLowerCase()] as unknown as Operation;

beforeAll(async () => {
  // No Authorization header: the document is public.
  const response = await stack().api.request('GET', '/v1/openapi.json');
  served = { status: response.status, headers: response.headers };
  document = JSON.parse(response.body) as OpenApiDocument;
});

describe('Route: GET /v1/openapi.json', () => {
  it('serves an OpenAPI 3.1 document without an API key', () => {
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toContain('application/json');
    expect(document.openapi).toBe('3.1.0');
    expect(document.components.securitySchemes).toHaveProperty(
      'apiKey',
      expect.objectContaining({ scheme: 'bearer' }),
    );
  });

  it('documents every declared route, and nothing that is not declared', () => {
    expect(documentedRoutes(document).sort()).toEqual(declared);
  });

  it('gives every operation a unique operationId and the summary of its declaration', () => {
    const ids = routes.map(
      (route) => (operation(route.method, route.path) as { operationId?: string }).operationId,
    );
    expect(new Set(ids).size).toBe(routes.length);
    for (const route of routes) {
      expect(operation(route.method, route.path)).toMatchObject({
        operationId: operationIdOf(route.method, route.path),
        summary: route.summary,
      });
    }
  });

  it('marks exactly the public routes of api.publicRoutes as needing no key', () => {
    const open = routes
      .filter((route) => Array.isArray(operation(route.method, route.path).security))
      .map((route) => `${route.method} ${route.path}`);
    const publicRoutes = routes
      .filter((route) => route.public)
      .map((route) => `${route.method} ${route.path}`);
    expect(open.filter((route) => !isDisclosure(route)).sort()).toEqual([...api.publicRoutes].sort());
    expect(publicRoutes.filter((route) => !isDisclosure(route)).sort()).toEqual([...api.publicRoutes].sort());
    // every public disclosure route needs no key, and is a GET or (objection filing) a POST
    const disclosure = declared.filter(isDisclosure);
    expect(disclosure.length).toBeGreaterThan(0);
    expect(open.filter(isDisclosure).sort()).toEqual(disclosure);
    expect(disclosure.every((route) => /^(GET|POST) /.test(route))).toBe(true);
  });

  it('documents the success response and problem+json errors with their stable codes on every route', () => {
    for (const route of routes) {
      const responses = operation(route.method, route.path).responses;
      const where = `${route.method} ${route.path}`;
      expect(responses[String(route.success.status)]?.description, where).toBe(route.success.description);
      expect(responses['500']?.['x-problem-codes'], where).toEqual(['INTERNAL']);
      expect(responses['500']?.content?.['application/problem+json']?.schema, where).toEqual({
        $ref: '#/components/schemas/Problem',
      });
      if (!route.public) {
        expect(responses['401']?.['x-problem-codes'], where).toContain('UNAUTHORIZED');
        expect(responses['403']?.['x-problem-codes'], where).toContain('FORBIDDEN');
      }
      if (route.body) {
        expect(responses['400']?.['x-problem-codes'], where).toEqual(
          expect.arrayContaining(['VALIDATION_FAILED', 'MALFORMED_JSON']),
        );
        expect(responses['415']?.['x-problem-codes'], where).toEqual(['UNSUPPORTED_MEDIA_TYPE']);
      }
      for (const problem of route.problems ?? []) {
        expect(responses[String(problem.status)]?.['x-problem-codes'], where).toContain(problem.code);
      }
    }
  });

  it('takes request bodies, query and path parameters from the zod schemas that validate them', () => {
    // Act
    const open = operation('POST', '/v1/watches');
    const alerts = operation('GET', '/v1/alerts');
    const close = operation('DELETE', '/v1/watches/{watchId}');
    // Assess
    expect(open.requestBody?.content['application/json']?.schema.required).toEqual(['subject', 'caseRef']);
    expect(alerts.parameters).toEqual([
      expect.objectContaining({ name: 'limit', in: 'query', required: false }),
      expect.objectContaining({ name: 'cursor', in: 'query', required: false }),
    ]);
    expect(close.parameters).toEqual([
      expect.objectContaining({ name: 'watchId', in: 'path', required: true }),
    ]);
    for (const route of routes) {
      const names = (operation(route.method, route.path).parameters ?? [])
        .filter((parameter) => parameter.in === 'path')
        .map((parameter) => parameter.name);
      expect(names, route.path).toEqual([...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]));
    }
  });

  it('routes every documented operation through the local API Gateway to a handler', async () => {
    // Prepare: a key with every role, so that no role check hides a missing route
    const key = await registerAgency(stack(), 'CONTRACT', undefined, [
      'case-officer',
      'credit-office',
      'auditor',
    ]);
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const method of Object.keys(operations)) {
        // Act: placeholders for path parameters; no body (body routes answer 415 before any work)
        const concrete = path.replace(/\{(\w+)\}/g, 'contract-probe');
        const response = await stack().api.request(method.toUpperCase(), concrete, {
          headers: { authorization: `Bearer ${key}` },
        });
        // Assess: whatever the route answers, it is not the router's "no such route / method"
        const body = response.body.startsWith('{')
          ? (JSON.parse(response.body) as { code?: string; detail?: string })
          : {};
        const where = `${method.toUpperCase()} ${path} → ${response.status} ${response.body.slice(0, 200)}`;
        expect(body.code === 'NOT_FOUND' && body.detail?.startsWith('no route'), where).toBe(false);
        expect(body.code, where).not.toBe('METHOD_NOT_ALLOWED');
        expect(response.status, where).not.toBe(500);
      }
    }
  });
});

describe('Contract: OpenAPI document and the API Gateway of the CDK stack', () => {
  let synth: Synthesized;
  let methods: { path: string; httpMethod: string; authorization: string }[];

  beforeAll(() => {
    synth = synthesize('dev');
    const resources = synth.template.findResources('AWS::ApiGateway::Resource');
    const restApiId = Object.keys(synth.template.findResources('AWS::ApiGateway::RestApi'))[0];
    const pathOf = (id: unknown): string => {
      const ref = (id as { Ref?: string }).Ref;
      if (ref === undefined || ref === restApiId) return ''; // the root resource (Fn::GetAtt RootResourceId)
      const resource = resources[ref];
      if (!resource) return '';
      return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart as string}`;
    };
    methods = Object.values(synth.template.findResources('AWS::ApiGateway::Method')).map((method) => ({
      path: pathOf(method.Properties.ResourceId) || '/',
      httpMethod: method.Properties.HttpMethod as string,
      authorization: method.Properties.AuthorizationType as string,
    }));
  }, 120_000);

  it('has an unauthenticated method for every public operation of the document, and no other', () => {
    const unauthenticated = methods
      .filter((method) => method.authorization === 'NONE' && method.httpMethod !== 'OPTIONS')
      .map((method) => `${method.httpMethod} ${method.path}`);
    const publicOperations = documentedRoutes(document).filter((route) => {
      const [method = '', path = ''] = route.split(' ');
      return Array.isArray(operation(method, path).security);
    });
    const siteOrDisclosure = (route: string) =>
      (route.split(' ')[1] ?? '').startsWith(publicDisclosure.basePath);
    expect(unauthenticated.filter((route) => !siteOrDisclosure(route)).sort()).toEqual(
      publicOperations.filter((route) => !isDisclosure(route)).sort(),
    );
  });

  it('serves every public disclosure operation through the unauthenticated GET or POST /public/v1/{proxy+}', () => {
    const proxies = methods.filter((method) => method.path === `${publicDisclosure.apiPath}/{proxy+}`);
    expect(proxies).toEqual(
      expect.arrayContaining(
        ['GET', 'POST'].map((httpMethod) => ({
          path: `${publicDisclosure.apiPath}/{proxy+}`,
          httpMethod,
          authorization: 'NONE',
        })),
      ),
    );
    expect(proxies).toHaveLength(2);
    for (const route of documentedRoutes(document).filter(isDisclosure)) {
      const [method = '', path = ''] = route.split(' ');
      expect(path.startsWith(disclosureApi), route).toBe(true);
      expect(Array.isArray(operation(method, path).security), route).toBe(true);
    }
  });

  it('sends every other documented operation through the authorized /v1/{proxy+} method', () => {
    // Prepare
    const proxy = methods.find((method) => method.path === `${api.basePath}/{proxy+}`);
    // Assess
    expect(proxy).toEqual({ path: `${api.basePath}/{proxy+}`, httpMethod: 'ANY', authorization: 'CUSTOM' });
    for (const route of documentedRoutes(document).filter((route) => !isDisclosure(route))) {
      const [, path = ''] = route.split(' ');
      expect(path.startsWith(`${api.basePath}/`), route).toBe(true);
    }
  });

  it('has no API Gateway method the document does not describe', () => {
    const documented = new Set(documentedRoutes(document));
    const undocumented = methods.filter(
      (method) =>
        !(method.path === `${api.basePath}/{proxy+}` && method.httpMethod === 'ANY') &&
        // the public disclosure's API proxy and its page (static assets, not operations)
        !(method.path.startsWith(publicDisclosure.basePath) && method.httpMethod === 'GET') &&
        // the public API proxy's POST: objection filing and withdrawal, documented per operation
        !(method.path === `${publicDisclosure.apiPath}/{proxy+}` && method.httpMethod === 'POST') &&
        !documented.has(`${method.httpMethod} ${method.path}`),
    );
    expect(undocumented).toEqual([]);
  });
});
