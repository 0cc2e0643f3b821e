import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { internalProblem, PROBLEM_CONTENT_TYPE, type ProblemDetails, ProblemError } from '#lib/http/problem';
import { maskPersonalData } from '#lib/privacy/mask-personal';

export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * A problem response. Its detail and reasons may quote what the caller sent — a mistyped resident ID
 * among them — so it goes through the one masking step: nothing shaped like an ID goes out in full.
 */
export function problem(details: ProblemDetails): APIGatewayProxyResult {
  return {
    statusCode: details.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE },
    body: JSON.stringify(maskPersonalData(details, { idShaped: true })),
  };
}

/** Parses a JSON body or fails with a 4xx problem; never lets a parser error become a 500. */
export function jsonBody(event: APIGatewayProxyEvent): unknown {
  const contentType = event.headers?.['content-type'] ?? event.headers?.['Content-Type'] ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new ProblemError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the request body as application/json');
  }
  const raw = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  try {
    return JSON.parse(raw);
  } catch {
    throw new ProblemError(400, 'MALFORMED_JSON', 'the request body is not valid JSON');
  }
}

/**
 * Maps errors to RFC 9457 responses once, for every route: a ProblemError keeps its status and
 * code, a domain error gets the status and code `toProblem` gives it (the function's one table),
 * anything else is logged and answered with a generic 500 that never shows a stack trace.
 */
export function problemDetailsMiddleware(
  log: (error: unknown) => void,
  toProblem: (error: unknown) => ProblemError | undefined = (error) =>
    error instanceof ProblemError ? error : undefined,
): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    onError: async (request) => {
      const instance = request.event?.requestContext?.requestId;
      const known = toProblem(request.error);
      if (known) {
        request.response = problem(known.toProblem(instance));
        return;
      }
      log(request.error);
      request.response = problem(internalProblem(instance));
    },
  };
}
