import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publicDisclosure, publicSiteFolder } from '#lib/platform/public-disclosure';
import type { LocalHttpResponse } from './http-types';

/**
 * The public page's static assets, served the way API Gateway serves them from the site bucket in
 * the cloud (GET /public/ → index.html, GET /public/{asset} → the object, no authorizer, ETag and
 * Cache-Control, 304 on If-None-Match). Read from web/public/ on every request, so edits show at once.
 */
const siteRoot = fileURLToPath(new URL(`../../${publicSiteFolder}/`, import.meta.url));
const { basePath } = publicDisclosure;

/** Whether `path` is the page or one of its assets (the API under /public/v1 is not). */
export function isPublicSitePath(path: string): boolean {
  if (path === basePath || path === `${basePath}/`) return true;
  const rest = path.startsWith(`${basePath}/`) ? path.slice(basePath.length + 1) : undefined;
  return rest !== undefined && !rest.includes('/');
}

function response(statusCode: number, headers: [string, string][], body = ''): LocalHttpResponse {
  return { statusCode, headers, body: Buffer.from(body, 'utf8') };
}

export async function servePublicSite(
  method: string,
  path: string,
  ifNoneMatch: string | undefined,
): Promise<LocalHttpResponse> {
  // A relative asset URL needs the trailing slash: /public → /public/.
  if (path === basePath) return response(301, [['Location', `${basePath}/`]]);
  if (method !== 'GET' && method !== 'HEAD') return response(405, [['Allow', 'GET, HEAD']]);
  const name = path === `${basePath}/` ? publicDisclosure.indexDocument : path.slice(basePath.length + 1);
  const extension = publicDisclosure.assetName.exec(name)?.[1] as
    | keyof typeof publicDisclosure.contentTypes
    | undefined;
  let body: Buffer;
  try {
    if (!extension) throw new Error('not an asset name');
    body = await readFile(join(siteRoot, name));
  } catch {
    return response(404, [['Content-Type', 'text/plain; charset=utf-8']], 'Not Found');
  }
  const etag = `"${createHash('md5').update(body).digest('hex')}"`;
  const headers: [string, string][] = [
    ['Content-Type', publicDisclosure.contentTypes[extension]],
    ['Cache-Control', `public, max-age=${publicDisclosure.assetCacheSeconds}`],
    ['ETag', etag],
    ['X-Content-Type-Options', 'nosniff'],
  ];
  if (ifNoneMatch?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
    return response(304, headers);
  }
  return { statusCode: 200, headers, body: method === 'HEAD' ? Buffer.alloc(0) : body };
}
