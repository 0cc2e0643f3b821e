import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { z } from 'zod';
import { performCheck } from '../../lib/check/perform-check';
import { checkRequestSchema } from '../../lib/check/request';
import { ProblemError } from '../../lib/http/problem';
import { callerOf } from '../shared/caller';
import { creditStore } from '../shared/dependencies';
import { json, jsonBody } from '../shared/http';

type RouteHandler = (
  event: APIGatewayProxyEvent,
  params: Record<string, string>,
) => Promise<APIGatewayProxyResult>;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly handle: RouteHandler;
}

function validate<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((issue) => ({
    field: issue.path.join('.') || '(body)',
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

const routes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/v1\/health$/,
    handle: async () => {
      // Reading one item proves the table answers; the result itself does not matter.
      await creditStore().getItem('HEALTH', 'HEALTH');
      return json(200, {
        status: 'ok',
        stage: process.env.STAGE ?? 'unknown',
        time: new Date().toISOString(),
      });
    },
  },
  {
    method: 'POST',
    pattern: /^\/v1\/checks$/,
    handle: async (event) => {
      const caller = callerOf(event);
      const request = validate(checkRequestSchema, jsonBody(event));
      const result = await performCheck({ store: creditStore() }, caller, request);
      return json(201, result, { location: `/v1/checks/${result.checkId}` });
    },
  },
];

export async function route(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const path = event.path.replace(/\/+$/, '') || '/';
  const matching = routes.filter((candidate) => candidate.pattern.test(path));
  if (matching.length === 0) throw new ProblemError(404, 'NOT_FOUND', `no route ${path}`);
  const found = matching.find((candidate) => candidate.method === event.httpMethod);
  if (!found) {
    throw new ProblemError(
      405,
      'METHOD_NOT_ALLOWED',
      `${event.httpMethod} is not allowed on ${path}; use ${matching.map((m) => m.method).join(', ')}`,
    );
  }
  const match = found.pattern.exec(path);
  return found.handle(event, { ...(match?.groups ?? {}) });
}
