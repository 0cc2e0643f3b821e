import { beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  courtPersonListingRow,
  csv,
  listEntryHeader,
  listEntryRow,
  penaltyCsv,
} from '#test/support/csv-fixtures';
import { ingestFile, loadListTypes, registerAgency } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';

const stack = useLocalStack();
let apiKey: string;

async function check(body: unknown, key: string | null = apiKey) {
  const response = await fetch(`${stack().config.apiBaseUrl}/v1/checks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: (await response.json()) as Record<string, any>,
  };
}

beforeAll(async () => {
  apiKey = await registerAgency(stack(), 'SCJG');
  await registerAgency(stack(), 'SWJ', '11440700MB2C123480');
  await registerAgency(stack(), 'ZYFY', '11440700MB2D23451J');
  await loadListTypes(stack());
  await ingestFile(stack(), 'SCJG', 'admin-penalty', 'penalties.csv', penaltyCsv([{}]));
  // The court's list is the court's to decide (list authority): its entry comes from ZYFY.
  await ingestFile(
    stack(),
    'ZYFY',
    'list-entry',
    'court-lists.csv',
    csv([listEntryHeader, courtPersonListingRow()]),
  );
  await ingestFile(
    stack(),
    'SWJ',
    'list-entry',
    'lists.csv',
    csv([
      listEntryHeader,
      listEntryRow(),
      listEntryRow({
        主体名称: '江门市恒信贸易有限公司',
        统一社会信用代码: codes.otherCompanyUscc,
        法定代表人: '',
        法定代表人证件号码: '',
        列入日期: '2024/01/01',
        移出日期: '2025/06/30',
      }),
    ]),
  );
});

describe('Route: POST /v1/checks', () => {
  it('returns 201 with the list hit, explained, and the penalty record of a listed company', async () => {
    // No reference data here: a matterCode would be unknown (404); measures are tested in test/integration/check.
    const { status, body } = await check({ subject: { code: codes.companyUscc } });
    expect(status).toBe(201);
    expect(body.checkId).toMatch(/^chk-/);
    expect(body.subject).toMatchObject({
      name: '江门市鸿运建材有限公司',
      kind: 'organisation',
      uscc: codes.companyUscc,
    });
    expect(body.hits).toHaveLength(1);
    expect(body.hits[0]).toMatchObject({
      status: 'confirmed',
      listTypeCode: 'HMD-SW-ZDSSWF',
      matchedBy: { identifier: 'uscc', value: codes.companyUscc },
      decidingDepartment: '国家税务总局江门市税务局',
      listedOn: '2026-03-18',
      validUntil: '2029-03-17',
    });
    expect(body.records).toMatchObject([
      { documentNumber: '江市监罚〔2026〕118号', categories: ['罚款'], fineAmount: 8 },
    ]);
  });

  it('finds the company through its legacy organisation code (USCC positions 9–17)', async () => {
    const { status, body } = await check({ subject: { code: 'MA4W1234-6' } });
    expect(status).toBe(201);
    expect(body.hits[0]).toMatchObject({
      matchedBy: { identifier: 'organisation-code', value: 'MA4W12346' },
    });
  });

  it("finds the listed company through its legal representative's ID number", async () => {
    const { body } = await check({ subject: { code: codes.legalRepId } });
    expect(body.hits).toMatchObject([
      {
        listTypeCode: 'HMD-SW-ZDSSWF',
        matchedBy: { identifier: 'resident-id', relation: 'legal-representative' },
      },
    ]);
  });

  it('masks a natural person on a list', async () => {
    const { body } = await check({ subject: { code: codes.personId } });
    expect(body.subject).toEqual({ name: '王**', kind: 'person', idNumber: '4407021975****4129' });
    expect(body.hits).toMatchObject([{ listTypeCode: 'HMD-FY-SXBZXR' }]);
  });

  it('does not return an entry that was removed from the list', async () => {
    const { body } = await check({ subject: { code: codes.otherCompanyUscc } });
    expect(body.hits).toEqual([]);
    expect(body.subject).toMatchObject({ name: '江门市恒信贸易有限公司' });
  });

  it('stores a check that found nothing too (the audit trail)', async () => {
    const { status, body } = await check({ subject: { code: '91440705MA53R7T18N' } });
    expect(status).toBe(201);
    expect(body).toMatchObject({ subject: null, hits: [], records: [] });
    const stored = await stack().clients.documentClient.send(
      new (await import('@aws-sdk/lib-dynamodb')).GetCommand({
        TableName: stack().config.tableName,
        Key: { pk: `CHECK#${body.checkId}`, sk: 'CHECK' },
      }),
    );
    expect(stored.Item).toMatchObject({ caller: { agencyCode: 'SCJG' }, result: { checkId: body.checkId } });
  });

  it('answers a malformed code with 400 problem+json naming the reason', async () => {
    const { status, contentType, body } = await check({ subject: { code: '91440703MA4W12346X' } });
    expect(status).toBe(400);
    expect(contentType).toBe('application/problem+json');
    expect(body).toMatchObject({ status: 400, code: 'INVALID_SUBJECT_CODE' });
    expect(body.detail).toContain('position 18');
    expect(body.detail).not.toMatch(/at .*\.ts:\d+/);
  });

  it('answers a body without a subject code with 400 VALIDATION_FAILED', async () => {
    const { status, body } = await check({ matterCode: 'X' });
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'subject' }] });
  });

  it('answers a missing or unknown key with 401', async () => {
    expect((await check({ subject: { code: codes.companyUscc } }, null)).status).toBe(401);
    const unknown = await check({ subject: { code: codes.companyUscc } }, 'jc_scjg_not-a-real-key');
    expect(unknown.status).toBe(401);
    expect(unknown.contentType).toBe('application/problem+json');
  });
});

describe('Metrics: checks', () => {
  it('emits ChecksCompleted and ChecksWithHits, the dashboard hit rate, as embedded metrics', async () => {
    const totals = () => stack().ops.snapshot().totals;
    const before = {
      completed: totals()['emf:ChecksCompleted'] ?? 0,
      hits: totals()['emf:ChecksWithHits'] ?? 0,
    };
    await check({ subject: { code: codes.companyUscc } });
    await check({ subject: { code: '91440705MA53R7T18N' } });
    expect((totals()['emf:ChecksCompleted'] ?? 0) - before.completed).toBe(2);
    expect((totals()['emf:ChecksWithHits'] ?? 0) - before.hits).toBe(1);
  });
});

describe('Route: GET /v1/health', () => {
  it('answers 200 without a key', async () => {
    const response = await fetch(`${stack().config.apiBaseUrl}/v1/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });
});
