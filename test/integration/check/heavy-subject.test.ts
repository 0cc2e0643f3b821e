import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { heavyCompany, heavySubjectKey, seedHeavySubject } from '#bench/support/heavy-subject-data';
import { keys } from '#lib/aws/items/keys';
import { invokeHandler } from '#local/lambda/invoke';
import { registerAgency } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';

// A subject with thousands of records in display (each with its history item, as ingestion writes
// them): its check must answer, store within DynamoDB's 400 KB item limit and page every record.
const stack = useLocalStack({ startPollers: false });
const RECORDS = 2_500;
const company = heavyCompany;
const subjectKey = heavySubjectKey;
let officer = '';
let otherAgency = '';

async function call(method: string, path: string, key: string, body?: unknown) {
  const response = await fetch(`${stack().config.apiBaseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const check = () => call('POST', '/v1/checks', officer, { subject: { code: company }, purpose: 'test' });

/** Every page of a check's records, following nextCursor. */
async function allRecords(checkId: string, limit: number) {
  const ids: string[] = [];
  let pages = 0;
  let cursor: string | undefined;
  do {
    const page = await call(
      'GET',
      `/v1/checks/${checkId}/records?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      officer,
    );
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeLessThanOrEqual(limit);
    ids.push(...page.body.items.map((record: { recordId: string }) => record.recordId));
    pages += 1;
    cursor = page.body.nextCursor;
  } while (cursor);
  return { ids, pages };
}

beforeAll(async () => {
  const { documentClient } = stack().clients;
  const table = stack().config.tableName;
  officer = await registerAgency(stack(), 'HEAVY');
  otherAgency = await registerAgency(stack(), 'OTHER');
  const loaded = await seedHeavySubject(documentClient, table, {
    records: RECORDS,
    watch: { agencyCode: 'HEAVY', caseRef: 'CASE-1', openedAt: new Date().toISOString() },
  });
  expect(loaded.rows).toBe(RECORDS);
}, 600_000);

describe('Heavy subject: 2,500 records in display', () => {
  let checkId = '';

  it('POST /v1/checks answers 201 with complete counts, the newest 20 records and a stored check far below 400 KB', async () => {
    const answer = await check();

    expect(answer.status).toBe(201);
    checkId = answer.body.checkId;
    expect(answer.body.summary.records).toBe(RECORDS);
    expect(answer.body.summary.confirmedHits).toBe(1);
    expect(answer.body.recordsInDisplay).toEqual({
      total: RECORDS,
      penalties: RECORDS,
      licences: 0,
      inResult: 20,
      href: `/v1/checks/${checkId}/records`,
    });
    const dates = answer.body.records.map((record: { decisionDate: string }) => record.decisionDate);
    expect(dates).toEqual([...dates].sort().reverse());
    const stored = await stack().clients.documentClient.send(
      new GetCommand({ TableName: stack().config.tableName, Key: { pk: keys.check(checkId), sk: 'CHECK' } }),
    );
    expect(Buffer.byteLength(JSON.stringify(stored.Item))).toBeLessThan(64 * 1024);
  });

  it('a second check answers from the record tally the first stored: the same exact counts and newest records', async () => {
    const first = await check();
    const tally = await stack().clients.documentClient.send(
      new GetCommand({
        TableName: stack().config.tableName,
        Key: { pk: keys.subject(subjectKey), sk: keys.recordTally },
      }),
    );
    const second = await check();

    expect(tally.Item).toMatchObject({ type: 'record-tally' });
    expect(second.body.summary.records).toBe(RECORDS);
    expect(second.body.recordsInDisplay.total).toBe(RECORDS);
    expect(second.body.records).toEqual(first.body.records);
  });

  it('GET /v1/checks/{id}/records pages every record exactly once, in a stable order', async () => {
    const first = await allRecords(checkId, 100);
    const second = await allRecords(checkId, 100);

    expect(first.ids).toHaveLength(RECORDS);
    expect(new Set(first.ids).size).toBe(RECORDS);
    expect(first.pages).toBe(RECORDS / 100);
    expect(second.ids).toEqual(first.ids);
  });

  it('refuses a forged cursor and another agency', async () => {
    const forged = Buffer.from(
      JSON.stringify({ pk: keys.subject('USCC#OTHER'), sk: 'RECORD#admin-penalty#0' }),
    ).toString('base64url');
    const outside = Buffer.from(JSON.stringify({ pk: keys.subject(subjectKey), sk: 'LIST#X' })).toString(
      'base64url',
    );

    const bad = await call('GET', `/v1/checks/${checkId}/records?cursor=${forged}`, officer);
    const out = await call('GET', `/v1/checks/${checkId}/records?cursor=${outside}`, officer);
    const foreign = await call('GET', `/v1/checks/${checkId}/records`, otherAgency);

    expect([bad.status, bad.body.code]).toEqual([400, 'INVALID_CURSOR']);
    expect([out.status, out.body.code]).toEqual([400, 'INVALID_CURSOR']);
    expect([foreign.status, foreign.body.code]).toEqual([404, 'CHECK_NOT_FOUND']);
  });

  it('GET /v1/subjects/{code} answers with the counts and the newest records', async () => {
    const answer = await call('GET', `/v1/subjects/${company}`, officer);

    expect(answer.status).toBe(200);
    expect(answer.body.recordsInDisplay).toEqual({
      total: RECORDS,
      penalties: RECORDS,
      licences: 0,
      inResult: 20,
    });
    expect(answer.body.records).toHaveLength(20);
    expect(answer.body.memberships).toHaveLength(1);
  });

  it('re-screening the subject completes and alerts its watch', async () => {
    const event = {
      Records: [
        {
          messageId: 'heavy-1',
          receiptHandle: 'test',
          body: JSON.stringify({ kind: 'subject-changed', subjectKey, cause: 'list-entry' }),
          attributes: {
            ApproximateReceiveCount: '1',
            SentTimestamp: '0',
            SenderId: 'test',
            ApproximateFirstReceiveTimestamp: '0',
          },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: stack().queues.match.arn,
          awsRegion: stack().config.region,
        },
      ],
    };

    const result = await invokeHandler('match', stack().handlers.match, event, stack().config.region);

    expect(result).toEqual({ batchItemFailures: [] });
    const alerts = stack()
      .emulators.eventBridge.events()
      .filter((e) => e.detailType === 'credit.alert');
    expect(alerts).toHaveLength(1);
  });
});
