import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { z } from 'zod';
import type { Caller } from '#lib/check/types';
import { ProblemError } from '#lib/http/problem';
import type { Role } from '#lib/platform/roles';
import { callerOf } from '../shared/caller';
import { jsonBody } from '../shared/http';
import type { ApiDependencies } from './dependencies';

export interface RouteRequest<Body = unknown, Query = unknown> {
  readonly event: APIGatewayProxyEvent;
  /** Path parameters from the `{name}` segments of the route's path. */
  readonly params: Readonly<Record<string, string>>;
  /** The authorizer's caller; undefined only on public routes. */
  readonly caller: Caller;
  readonly body: Body;
  readonly query: Query;
  /** The function's adapters, clock and Powertools instances (functions/api/dependencies.ts). */
  readonly deps: ApiDependencies;
}

/**
 * One route of the /v1 API. The same declaration drives dispatch, validation, role checks and the
 * OpenAPI document, so a route cannot exist undocumented.
 */
export interface Route<Body = unknown, Query = unknown> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** OpenAPI-style template, e.g. /v1/checks/{checkId}. */
  readonly path: string;
  readonly summary: string;
  /** Public routes answer without a key (API Gateway has no authorizer on them). */
  readonly public?: boolean;
  /** Roles allowed; omitted = any authenticated caller. */
  readonly roles?: readonly Role[];
  readonly body?: z.ZodType<Body>;
  readonly query?: z.ZodType<Query>;
  /** Status and description of the success response, for the OpenAPI document. */
  readonly success: { readonly status: number; readonly description: string; readonly schema?: z.ZodType };
  /** Route-specific problem+json errors (status, stable code), for the OpenAPI document. */
  readonly problems?: readonly {
    readonly status: number;
    readonly code: string;
    readonly description: string;
  }[];
  handle(request: RouteRequest<Body, Query>): Promise<APIGatewayProxyResult>;
}

/** Declares a route with its types inferred from its schemas. */
export function defineRoute<Body = undefined, Query = undefined>(route: Route<Body, Query>): Route {
  return route as unknown as Route;
}

export function validate<T>(schema: z.ZodType<T>, value: unknown, where: 'body' | 'query'): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((issue) => ({
    field:
      [where === 'query' ? 'query' : '', ...issue.path.map(String)].filter(Boolean).join('.') || `(${where})`,
    code: issue.code.toUpperCase(),
    reason: issue.message,
  }));
  throw new ProblemError(
    400,
    'VALIDATION_FAILED',
    errors.map((e) => `${e.field}: ${e.reason}`).join('; '),
    errors,
  );
}

function patternOf(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => {
      const name = /^\{(\w+)\}$/.exec(segment)?.[1];
      return name ? `(?<${name}>[^/]+)` : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}$`);
}

/** Longer than any id the API issues or code it accepts; keeps junk out of table keys. */
export const MAX_PATH_PARAMETER_LENGTH = 128;

/**
 * The `{name}` segments of a matched path, percent-decoded. Malformed percent-encoding, control
 * characters and over-long values are refused here, once for every route, with 400 INVALID_PATH.
 */
export function pathParameters(match: RegExpExecArray | null): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, raw] of Object.entries(match?.groups ?? {})) {
    let value: string;
    try {
      value = decodeURIComponent(raw);
    } catch {
      throw new ProblemError(400, 'INVALID_PATH', `path parameter ${name} is not valid percent-encoding`, [
        { field: `path.${name}`, code: 'ENCODING', reason: 'encode the value as UTF-8 percent-encoding' },
      ]);
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
    if (value.length > MAX_PATH_PARAMETER_LENGTH || /[\u0000-\u001f\u007f]/.test(value)) {
      const reason = `at most ${MAX_PATH_PARAMETER_LENGTH} characters, no control characters`;
      throw new ProblemError(400, 'INVALID_PATH', `path parameter ${name} is not acceptable: ${reason}`, [
        { field: `path.${name}`, code: 'FORMAT', reason },
      ]);
    }
    params[name] = value;
  }
  return params;
}

export function createRouter(routes: readonly Route[], deps: ApiDependencies) {
  const compiled = routes.map((route) => ({ route, pattern: patternOf(route.path) }));
  return async function dispatch(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
    const path = event.path.replace(/\/+$/, '') || '/';
    const matching = compiled.filter((candidate) => candidate.pattern.test(path));
    if (matching.length === 0) throw new ProblemError(404, 'NOT_FOUND', `no route ${path}`);
    const found = matching.find((candidate) => candidate.route.method === event.httpMethod);
    if (!found) {
      const allowed = matching.map((candidate) => candidate.route.method).join(', ');
      throw new ProblemError(
        405,
        'METHOD_NOT_ALLOWED',
        `${event.httpMethod} is not allowed on ${path}; use ${allowed}`,
      );
    }
    const { route } = found;
    const caller = route.public ? (undefined as unknown as Caller) : callerOf(event);
    if (route.roles && !route.roles.some((role) => caller.roles.includes(role))) {
      throw new ProblemError(
        403,
        'FORBIDDEN',
        `this route needs one of the roles: ${route.roles.join(', ')}`,
      );
    }
    const params = pathParameters(found.pattern.exec(path));
    const body = route.body ? validate(route.body, jsonBody(event), 'body') : undefined;
    const query = route.query ? validate(route.query, event.queryStringParameters ?? {}, 'query') : undefined;
    return route.handle({ event, params, caller, body, query, deps });
  };
}
