import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#functions/api/routes/index';
import { PROBLEM_CONTENT_TYPE } from '#lib/http/problem';
import { codes } from '#test/support/csv-fixtures';
import { registerAgency } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';

/**
 * Property: whatever a client sends to any operation of the route table — malformed
 * percent-encoding, over-long ids, impossible dates, forged cursors, junk bodies and headers — the
 * answer is never a 5xx, every 4xx is application/problem+json with a code, and no answer shows a
 * stack trace or an internal error name.
 */
const stack = useLocalStack();
let apiKey: string;

beforeAll(async () => {
  apiKey = await registerAgency(stack(), 'FUZZ', codes.agencyUscc, [
    'case-officer',
    'credit-office',
    'auditor',
  ]);
});

const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

/** Values chosen to break things, inserted into a path verbatim. */
const rawPathValues = [
  '%',
  '%E0%A4%A',
  '%zz',
  '%ED%A0%80',
  '%00',
  '%0A',
  '..',
  'x'.repeat(5000),
  encodeURIComponent('王'.repeat(300)),
  codes.personId,
  codes.companyUscc,
  'chk-00000000-0000-0000-0000-000000000000',
];

const text = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '2026-02-30',
    '2026-13-01',
    '0000-01-01',
    '9999-12-31',
    '-1',
    '1e309',
    'NaN',
    'x'.repeat(5000),
    '<script>',
    "' OR 1=1 --",
    '\u0000',
    codes.personId,
    codes.companyUscc,
    cursorOf({ gsi1pk: 'AGENCY#SCJG#WATCH' }),
    cursorOf({ gsi1pk: 'AGENCY#FUZZ#ALERT', gsi1sk: 'a'.repeat(1200), pk: 'x', sk: 'y' }),
    cursorOf({ gsi1pk: 'AGENCY#FUZZ#WATCH', gsi1sk: { S: 1 }, pk: 'x', sk: 'y' }),
    cursorOf({ gsi1pk: 'AGENCY#FUZZ#JOB', gsi1sk: 'z', pk: 'p'.repeat(1100), sk: 'JOB' }),
  ),
  fc.string({ maxLength: 40 }),
  fc.integer().map(String),
);

const pathValue = fc.oneof(
  fc.constantFrom(...rawPathValues),
  fc.string({ minLength: 1, maxLength: 30 }).map((value) => {
    try {
      return encodeURIComponent(value);
    } catch {
      return '%ED%A0%80';
    }
  }),
);

const queryNames = [
  'limit',
  'cursor',
  'from',
  'to',
  'purpose',
  'matterCode',
  'agency',
  'workingDays',
  'dataset',
];
const query = fc.dictionary(fc.constantFrom(...queryNames), text, { maxKeys: 4 });

const body = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.record({
    subject: fc.record({ code: text, name: text, type: fc.constantFrom('person', 'organisation', 'x') }),
    matterCode: text,
    caseRef: text,
    purpose: text,
    until: text,
  }),
  fc.record({
    measures: fc.array(fc.record({ measureCode: text, outcome: text, date: text, reason: text }), {
      maxLength: 3,
    }),
  }),
  fc.record({
    kind: fc.constantFrom('quarterly-report', 'monthly-cases'),
    period: text,
    caseCount: fc.integer(),
  }),
  fc.record({
    days: fc.array(fc.record({ date: text, kind: fc.constantFrom('holiday', 'workday') }), { maxLength: 3 }),
  }),
);

const request = fc.record({
  route: fc.constantFrom(...routes.map(({ method, path }) => ({ method, path }))),
  params: fc.array(pathValue, { minLength: 3, maxLength: 3 }),
  query,
  body: fc.option(body, { nil: undefined }),
  contentType: fc.constantFrom(
    'application/json',
    'application/json',
    'text/plain',
    'application/x-www-form-urlencoded',
  ),
  idempotencyKey: fc.option(text, { nil: undefined }),
});

function urlOf(path: string, params: readonly string[], query: Record<string, string>): string {
  let index = 0;
  const filled = path.replace(/\{\w+\}/g, () => params[index++] ?? 'x');
  const search = new URLSearchParams(query).toString();
  return search ? `${filled}?${search}` : filled;
}

async function send(method: string, url: string, extra: Record<string, string> = {}) {
  return stack().api.request(method, url, { headers: { authorization: `Bearer ${apiKey}`, ...extra } });
}

describe('Reproductions: each answered 500 before', () => {
  it.each([
    ['GET', '/v1/checks/%E0%A4%A'],
    ['GET', '/v1/subjects/%'],
    ['GET', `/v1/checks/chk-${'x'.repeat(5000)}`],
    ['DELETE', `/v1/watches/${'w'.repeat(5000)}`],
    ['GET', '/v1/stats/timeliness?from=2026-02-30&to=2026-03-01'],
    ['GET', `/v1/watches?cursor=${cursorOf({ gsi1pk: 'AGENCY#FUZZ#WATCH' })}`],
    ['GET', `/v1/alerts?cursor=${cursorOf({ gsi1pk: 'AGENCY#FUZZ#ALERT' })}`],
  ])('%s %s is a 400 problem', async (method, url) => {
    const response = await send(method, url);
    expect(response.status, response.body).toBe(400);
    expect(response.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
  });
});

describe('Property: no operation answers 5xx or leaks internals', () => {
  it('answers every generated request with a 2xx or a 4xx problem+json', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(request, async (input) => {
        const headers: Record<string, string> = {
          authorization: `Bearer ${apiKey}`,
          'content-type': input.contentType,
          ...(input.idempotencyKey !== undefined ? { 'idempotency-key': input.idempotencyKey } : {}),
        };
        const response = await stack().api.request(
          input.route.method,
          urlOf(input.route.path, input.params, input.query),
          { headers, ...(input.body !== undefined ? { body: JSON.stringify(input.body) } : {}) },
        );
        const where = `${input.route.method} ${input.route.path} → ${response.status} ${response.body.slice(0, 300)}`;
        expect(response.status, where).toBeLessThan(500);
        expect(response.body, where).not.toMatch(
          /\n\s+at |node_modules|ValidationException|TypeError|RangeError/,
        );
        if (response.status >= 400) {
          expect(response.headers['content-type'], where).toContain(PROBLEM_CONTENT_TYPE);
          expect(JSON.parse(response.body), where).toMatchObject({
            status: response.status,
            code: expect.any(String),
          });
        }
      }),
      { numRuns: 300 },
    );
  });
});
