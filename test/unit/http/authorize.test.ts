import { describe, expect, it } from 'vitest';
import { apiKeyId, bearerToken, generateApiKey, hashApiKey } from '#lib/auth/api-keys';
import { authorizeRequest, stageWildcard } from '#lib/auth/authorize';
import type { ApiKeyReader } from '#lib/auth/ports';
import type { ApiKeyRecord } from '#lib/auth/types';
import { ProblemError } from '#lib/http/problem';
import { toCsv } from '#lib/reports/csv';

const methodArn = 'arn:aws:execute-api:cn-north-1:123456789012:abc123/dev/POST/v1/checks';

function storeWith(records: ApiKeyRecord[]): ApiKeyReader {
  return { getApiKey: async (hash: string) => records.find((r) => r.keyHash === hash) };
}

describe('Function: authorizeRequest', () => {
  const key = generateApiKey('SCJG');
  const record: ApiKeyRecord = {
    keyHash: hashApiKey(key),
    keyId: apiKeyId(hashApiKey(key)),
    agencyCode: 'SCJG',
    roles: ['case-officer', 'auditor'],
    label: 'test',
    createdAt: '2026-11-24T00:00:00Z',
  };

  it('allows a known key for the whole stage and passes agency and roles on', async () => {
    const decision = await authorizeRequest(
      storeWith([record]),
      { Authorization: `Bearer ${key}` },
      methodArn,
    );
    expect(decision).toMatchObject({
      ok: true,
      result: {
        principalId: record.keyId,
        context: { agencyCode: 'SCJG', roles: 'case-officer,auditor', keyId: record.keyId },
        policyDocument: {
          Statement: [
            { Effect: 'Allow', Resource: 'arn:aws:execute-api:cn-north-1:123456789012:abc123/dev/*' },
          ],
        },
      },
    });
  });

  it('refuses a missing, unknown or revoked key', async () => {
    const store = storeWith([{ ...record, revokedAt: '2026-11-24T01:00:00Z' }]);
    expect(await authorizeRequest(store, {}, methodArn)).toEqual({ ok: false, reason: 'MISSING_KEY' });
    expect(await authorizeRequest(store, { authorization: 'Bearer nope' }, methodArn)).toEqual({
      ok: false,
      reason: 'UNKNOWN_KEY',
    });
    expect(await authorizeRequest(store, { authorization: `Bearer ${key}` }, methodArn)).toEqual({
      ok: false,
      reason: 'REVOKED_KEY',
    });
  });
});

describe('Function: authorizeRequest — the Authorization header, whatever its case, once', () => {
  const key = generateApiKey('SCJG');
  const record: ApiKeyRecord = {
    keyHash: hashApiKey(key),
    keyId: apiKeyId(hashApiKey(key)),
    agencyCode: 'SCJG',
    roles: ['case-officer'],
    label: 'test',
    createdAt: '2026-11-24T00:00:00Z',
  };
  const store = storeWith([record]);

  it('reads the header in any case', async () => {
    for (const name of ['Authorization', 'authorization', 'AUTHORIZATION', 'AuThOrIzAtIoN']) {
      const decision = await authorizeRequest(store, { [name]: `Bearer ${key}` }, methodArn);
      expect(decision.ok, name).toBe(true);
    }
  });

  it('refuses two different Authorization headers instead of picking one', async () => {
    const both = { Authorization: 'Bearer alias-123', authorization: `Bearer ${key}` };
    expect(await authorizeRequest(store, both, methodArn)).toEqual({
      ok: false,
      reason: 'DUPLICATE_AUTHORIZATION',
    });
    const repeated = { Authorization: ['Bearer alias-123', `Bearer ${key}`] };
    expect(await authorizeRequest(store, { Authorization: `Bearer ${key}` }, methodArn, repeated)).toEqual({
      ok: false,
      reason: 'DUPLICATE_AUTHORIZATION',
    });
  });
});

describe('Function: bearerToken', () => {
  it('reads the token of a Bearer header only', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe('Function: stageWildcard', () => {
  it('keeps api id and stage', () => {
    expect(stageWildcard(methodArn)).toBe('arn:aws:execute-api:cn-north-1:123456789012:abc123/dev/*');
  });
});

describe('Class: ProblemError', () => {
  it('renders RFC 9457 problem details with a stable code and type', () => {
    const problem = new ProblemError(400, 'INVALID_SUBJECT_CODE', 'bad code').toProblem('req-1');
    expect(problem).toEqual({
      type: 'https://joint-credit.example.gov.cn/problems/invalid-subject-code',
      title: 'Bad Request',
      status: 400,
      code: 'INVALID_SUBJECT_CODE',
      detail: 'bad code',
      instance: 'req-1',
    });
  });
});

describe('Function: toCsv', () => {
  it('writes UTF-8 with a BOM and neutralises cells a spreadsheet would run as formulas', () => {
    const text = toCsv(
      ['a', 'b'],
      [
        ['=cmd|calc', '+1'],
        ['-2', '@x'],
        ['plain, "quoted"', null],
      ],
    );
    expect(text).toBe('\uFEFFa,b\r\n\'=cmd|calc,\'+1\r\n\'-2,\'@x\r\n"plain, ""quoted""",\r\n');
  });
});
