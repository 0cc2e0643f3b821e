import { createHash } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { z } from 'zod';
import { json } from '#functions/shared/http';
import { discloseRecord, discloseSubject, searchSubjects } from '#lib/disclosure/disclose';
import { publicDisclosure } from '#lib/platform/public-disclosure';
import { defineRoute, type Route } from '../router';

/**
 * The public disclosure API (信用信息公示): no key, read-only, cacheable. Natural persons, withheld and
 * withdrawn records are never here (lib/disclosure); answers carry Cache-Control and an ETag, and a
 * matching If-None-Match gets 304 without a body. Refusals are typed errors (lib/disclosure/errors.ts)
 * mapped once in problems.ts.
 */

/** A strong validator of the representation: the same JSON gives the same tag in every container. */
export function entityTag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

function ifNoneMatch(event: APIGatewayProxyEvent): string | undefined {
  const entry = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === 'if-none-match');
  return entry?.[1] ?? undefined;
}

/** RFC 9110 §13.1.2: weak comparison, a list of tags or `*`. */
function matches(header: string | undefined, tag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === tag);
}

function cacheable(event: APIGatewayProxyEvent, body: unknown): APIGatewayProxyResult {
  const response = json(200, body);
  const tag = entityTag(response.body);
  const headers = {
    'cache-control': `public, max-age=${publicDisclosure.cacheSeconds}`,
    etag: tag,
    'x-content-type-options': 'nosniff',
  };
  if (matches(ifNoneMatch(event), tag)) return { statusCode: 304, headers, body: '' };
  return { ...response, headers: { ...response.headers, ...headers } };
}

const searchQuery = z.object({ q: z.string().trim().min(1).max(200) });
type SearchQuery = z.infer<typeof searchQuery>;

const base = publicDisclosure.apiPath;
const notModified = 'If-None-Match matches the ETag: 304 without a body';

export const publicRoutes: Route[] = [
  defineRoute<undefined, SearchQuery>({
    method: 'GET',
    path: `${base}/subjects`,
    summary: 'Public search (no key): legal persons and 个体工商户 by USCC, 工商注册号 or exact name',
    public: true,
    query: searchQuery,
    success: {
      status: 200,
      description: `{ results: [{ code, codeType, name, kind, kindLabel }] } (the query is not echoed); Cache-Control and ETag (${notModified})`,
    },
    problems: [
      {
        status: 400,
        code: 'INVALID_QUERY',
        description: 'The query is shorter than 2 or longer than 200 characters',
      },
      { status: 400, code: 'INVALID_SUBJECT_CODE', description: 'An 18-character code fails the USCC check' },
    ],
    handle: async ({ event, query, deps }) =>
      cacheable(event, await searchSubjects(deps.publicSubjects, query.q, deps.clock.today())),
  }),
  defineRoute({
    method: 'GET',
    path: `${base}/subjects/{code}`,
    summary:
      'Public subject page (no key): list status, list entries in effect, penalties in display, valid licences',
    public: true,
    success: {
      status: 200,
      description: `{ subject, listStatus, listEntries, penalties, licences }; Cache-Control and ETag (${notModified})`,
    },
    problems: [
      { status: 400, code: 'INVALID_SUBJECT_CODE', description: 'Not a USCC or 工商注册号' },
      {
        status: 404,
        code: 'SUBJECT_NOT_FOUND',
        description: 'Nothing public about this code (unknown, a natural person, or nothing in display)',
      },
    ],
    handle: async ({ event, params, deps }) =>
      cacheable(event, await discloseSubject(deps.publicSubjects, params.code ?? '', deps.clock.today())),
  }),
  defineRoute({
    method: 'GET',
    path: `${base}/subjects/{code}/records/{recordId}`,
    summary: 'Public record page (no key): one penalty, licence or list entry of a subject',
    public: true,
    success: {
      status: 200,
      description: `{ subject, record }; record.notice 异议处理中 while an objection is open; Cache-Control and ETag (${notModified})`,
    },
    problems: [
      { status: 400, code: 'INVALID_SUBJECT_CODE', description: 'Not a USCC or 工商注册号' },
      {
        status: 404,
        code: 'RECORD_NOT_FOUND',
        description: 'No such public record (withdrawn, withheld, out of display, repaired, or unknown)',
      },
    ],
    handle: async ({ event, params, deps }) =>
      cacheable(
        event,
        await discloseRecord(
          deps.publicSubjects,
          params.code ?? '',
          params.recordId ?? '',
          deps.clock.today(),
        ),
      ),
  }),
];
