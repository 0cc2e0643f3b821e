import { beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_CONTENT_TYPE } from '#lib/http/problem';
import { registerAgency } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';

const stack = useLocalStack();

const base64url = (value: unknown): string =>
  Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** Each paged listing with the gsi1 partition its cursors belong to. */
const listings = [
  ['/v1/watches', 'AGENCY#SCJG#WATCH'],
  ['/v1/alerts', 'AGENCY#SCJG#ALERT'],
  ['/v1/ingestion/jobs', 'AGENCY#SCJG#JOB'],
] as const;

/** Cursors this API never issued: each must be a 400 problem, never reach the database. */
const cursors = (partition: string) =>
  [
    ['forged: only the partition', base64url({ gsi1pk: partition })],
    [
      'forged: a key with an extra attribute',
      base64url({ pk: 'X', sk: 'Y', gsi1pk: partition, gsi1sk: 'Z', a: 1 }),
    ],
    [
      'forged: a number where a key string goes',
      base64url({ pk: 'X', sk: 1, gsi1pk: partition, gsi1sk: 'Z' }),
    ],
    ['garbage: not base64url', 'not a cursor!'],
    ['garbage: base64url of no JSON', Buffer.from('not-a-key', 'utf8').toString('base64url')],
  ] as const;

describe('Paged listings: cursors the API did not issue', () => {
  let apiKey: string;
  beforeAll(async () => {
    apiKey = await registerAgency(stack(), 'SCJG');
  });

  describe.each(listings)('Route: GET %s', (path, partition) => {
    it.each(cursors(partition))(
      'answers 400 application/problem+json INVALID_CURSOR for %s',
      async (_what, cursor) => {
        // Act
        const response = await stack().api.request('GET', `${path}?cursor=${encodeURIComponent(cursor)}`, {
          headers: { authorization: `Bearer ${apiKey}` },
        });
        // Assess
        expect(response.status).toBe(400);
        expect(response.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
        expect(JSON.parse(response.body)).toMatchObject({ status: 400, code: 'INVALID_CURSOR' });
      },
    );
  });
});
