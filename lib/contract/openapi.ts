import { z } from 'zod';
import { problemType } from '../http/problem';

/**
 * The OpenAPI 3.1 document of the /v1 API, generated from the route declarations of
 * functions/api/routes — the same zod schemas that validate requests — so the contract cannot drift
 * from the code. OpenAPI 3.1 schemas are JSON Schema 2020-12, which is what z.toJSONSchema emits.
 */

/** What the generator needs of a route (functions/api/router.ts `Route` satisfies it). */
export interface DocumentedRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly summary: string;
  readonly public?: boolean;
  readonly roles?: readonly string[];
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  readonly success: { readonly status: number; readonly description: string; readonly schema?: z.ZodType };
  readonly problems?: readonly {
    readonly status: number;
    readonly code: string;
    readonly description: string;
  }[];
}

export interface DocumentOptions {
  readonly title?: string;
  readonly version?: string;
  /** Server URLs, e.g. the stage URL; the paths carry /v1 themselves. */
  readonly servers?: readonly string[];
}

type JsonSchema = Record<string, unknown>;
type Operation = Record<string, unknown>;
export type OpenApiDocument = {
  openapi: '3.1.0';
  info: Record<string, unknown>;
  servers?: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
  security: Record<string, string[]>[];
};

/** RFC 9457 problem details as every error of the API carries them. */
export const problemSchema = z
  .object({
    type: z.string().describe('URI derived from code'),
    title: z.string(),
    status: z.number().int(),
    code: z.string().describe('Stable, machine-readable error code'),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), code: z.string(), reason: z.string() }))
      .optional()
      .describe('One entry per invalid field'),
  })
  .describe('RFC 9457 problem details (application/problem+json)');

interface ProblemDoc {
  readonly status: number;
  readonly code: string;
  readonly description: string;
}

/** The errors every route can answer, from the router, the shared HTTP helpers and the gateway. */
function commonProblems(route: DocumentedRoute): ProblemDoc[] {
  const problems: ProblemDoc[] = [];
  if (route.body || route.query) {
    problems.push({ status: 400, code: 'VALIDATION_FAILED', description: 'A field is missing or invalid' });
  }
  if (route.body) {
    problems.push(
      { status: 400, code: 'MALFORMED_JSON', description: 'The body is not valid JSON' },
      { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', description: 'The body is not application/json' },
    );
  }
  if (!route.public) {
    problems.push(
      { status: 401, code: 'UNAUTHORIZED', description: 'No valid API key in Authorization: Bearer <key>' },
      {
        status: 403,
        code: 'FORBIDDEN',
        description: route.roles
          ? `The key lacks the roles (needs one of: ${route.roles.join(', ')})`
          : 'The key may not call this operation',
      },
    );
  }
  problems.push(
    { status: 429, code: 'THROTTLED', description: 'Rate limit exceeded; retry with backoff' },
    { status: 500, code: 'INTERNAL', description: 'Unexpected error; logged, never a stack trace' },
  );
  return problems;
}

function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return json;
}

export function operationIdOf(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((segment) => segment !== '' && segment !== 'v1')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment)?.[1];
      const word = param ? `by-${param}` : segment;
      return word.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''));
    })
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1));
  return `${method.toLowerCase()}${words.join('')}`;
}

function queryParameters(query: z.ZodType): Record<string, unknown>[] {
  const schema = toSchema(query, 'input');
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: 'query',
      required: required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

function pathParameters(path: string): Record<string, unknown>[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((match) => ({
    name: match[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
}

function problemResponses(problems: readonly ProblemDoc[]): Record<string, unknown> {
  const byStatus = new Map<number, ProblemDoc[]>();
  for (const problem of problems)
    byStatus.set(problem.status, [...(byStatus.get(problem.status) ?? []), problem]);
  return Object.fromEntries(
    [...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, list]) => [
        String(status),
        {
          description: list.map((problem) => `${problem.code}: ${problem.description}`).join('; '),
          content: {
            'application/problem+json': {
              schema: { $ref: '#/components/schemas/Problem' },
              examples: Object.fromEntries(
                list.map((problem) => [
                  problem.code,
                  {
                    value: {
                      type: problemType(problem.code),
                      title: problem.code,
                      status,
                      code: problem.code,
                      detail: problem.description,
                    },
                  },
                ]),
              ),
            },
          },
          'x-problem-codes': list.map((problem) => problem.code),
        },
      ]),
  );
}

export function operationFor(route: DocumentedRoute): Operation {
  const parameters = [...pathParameters(route.path), ...(route.query ? queryParameters(route.query) : [])];
  const problems = [...commonProblems(route), ...(route.problems ?? [])];
  return {
    operationId: operationIdOf(route.method, route.path),
    summary: route.summary,
    tags: [route.path.split('/')[2] ?? 'v1'],
    ...(route.public ? { security: [] } : {}),
    ...(route.roles ? { 'x-roles': [...route.roles] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: toSchema(route.body, 'input') } },
          },
        }
      : {}),
    responses: {
      [String(route.success.status)]: {
        description: route.success.description,
        content: {
          'application/json': {
            schema: route.success.schema ? toSchema(route.success.schema, 'output') : {},
          },
        },
      },
      ...problemResponses(problems),
    },
  };
}

export function openApiDocument(
  routes: readonly DocumentedRoute[],
  options: DocumentOptions = {},
): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    const operations = paths[route.path] ?? {};
    paths[route.path] = operations;
    const method = route.method.toLowerCase();
    if (operations[method]) throw new Error(`Route ${route.method} ${route.path} is declared twice`);
    operations[method] = operationFor(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'Joint credit rewards and sanctions API (信用联合奖惩)',
      version: options.version ?? '1',
      description:
        'One-click credit checks, feedback, watches and alerts for business systems of government agencies. ' +
        'Every error is RFC 9457 problem details with a stable `code`. ' +
        'Every business date (YYYY-MM-DD: audit days, due dates, report periods, display periods, statistics ranges, "today" in a check) is a calendar day in China (Asia/Shanghai, UTC+8); timestamps are ISO 8601 instants in UTC.',
    },
    ...(options.servers ? { servers: options.servers.map((url) => ({ url })) } : {}),
    paths,
    components: {
      schemas: { Problem: toSchema(problemSchema, 'output') },
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'Per-agency API key: Authorization: Bearer jc_<agency>_<secret>',
        },
      },
    },
    security: [{ apiKey: [] }],
  };
}

/** Every `METHOD path` a document describes, e.g. `GET /v1/alerts`. */
export function documentedRoutes(document: OpenApiDocument): string[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
  );
}
