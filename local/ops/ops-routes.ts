import type { LocalHttpRequest, LocalHttpResponse } from '../api/http-types';
import { opsPageHtml } from './page';
import type { OpsRecorder } from './recorder';

/** Paths the local API server answers itself, outside /v1 (API Gateway has no such routes). */
export const opsPaths = {
  page: '/ops',
  metrics: '/ops/metrics.json',
  /** DELETE: forgets every cached authorizer decision (`admin key revoke` calls it). */
  authorizerCache: '/ops/authorizer-cache',
} as const;

function respond(statusCode: number, contentType: string, body: string): LocalHttpResponse {
  return {
    statusCode,
    headers: [
      ['Content-Type', contentType],
      ['Cache-Control', 'no-store'],
    ],
    body: Buffer.from(body, 'utf8'),
  };
}

/**
 * Serves the operator page and its JSON beside the gateway, and records every API request the
 * gateway answers (count, 4xx/5xx, latency, check hits) for it.
 */
/** The operator page and its JSON (GET/HEAD only). */
function opsPage(request: LocalHttpRequest, path: string, recorder: OpsRecorder): LocalHttpResponse {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return respond(405, 'text/plain; charset=utf-8', 'GET only');
  }
  return path === opsPaths.page
    ? respond(200, 'text/html; charset=utf-8', opsPageHtml())
    : respond(200, 'application/json; charset=utf-8', JSON.stringify(recorder.snapshot()));
}

/** DELETE: a revoked key is refused at once locally, where API Gateway would serve its cached decision. */
function flushAuthorizerCache(request: LocalHttpRequest, clear: () => void): LocalHttpResponse {
  if (request.method !== 'DELETE') return respond(405, 'text/plain; charset=utf-8', 'DELETE only');
  clear();
  return { statusCode: 204, headers: [['Cache-Control', 'no-store']], body: Buffer.alloc(0) };
}

export function withOps(
  dispatch: (request: LocalHttpRequest) => Promise<LocalHttpResponse>,
  recorder: OpsRecorder,
  clearAuthorizerCache: () => void = () => undefined,
): (request: LocalHttpRequest) => Promise<LocalHttpResponse> {
  return async (request) => {
    const path = request.url.split('?')[0]?.replace(/\/+$/, '') ?? '';
    if (path === opsPaths.authorizerCache) return flushAuthorizerCache(request, clearAuthorizerCache);
    if (path === opsPaths.page || path === opsPaths.metrics) return opsPage(request, path, recorder);
    const started = Date.now();
    const response = await dispatch(request);
    recorder.recordApiRequest(request.method, path, response.statusCode, Date.now() - started, response.body);
    return response;
  };
}
