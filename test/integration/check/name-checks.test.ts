import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '#lib/aws/items/keys';
import { nameKey } from '#lib/identifiers/subject-names';
import { codes, courtPersonListingRow, csv, listEntryHeader, listEntryRow } from '#test/support/csv-fixtures';
import { backfillNameIndex } from '#tools/backfill-name-index';
import { ingestFile, loadListTypes, registerAgency } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';

const stack = useLocalStack();
const apiKeys: Record<string, string> = {};

/** The company of the reproduction, on the tax black list with its USCC. */
const company = { name: '江门市恒通实业有限公司', uscc: codes.companyUscc };

async function call(method: string, path: string, key: string, body?: unknown) {
  const response = await fetch(`${stack().config.apiBaseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const check = (subject: Record<string, string>) => call('POST', '/v1/checks', apiKeys.SCJG!, { subject });

beforeAll(async () => {
  apiKeys.SCJG = await registerAgency(stack(), 'SCJG');
  await registerAgency(stack(), 'SWJ', '11440700MB2C123480');
  await registerAgency(stack(), 'ZYFY', '11440700MB2D23451J');
  await loadListTypes(stack());
  const tax = await ingestFile(
    stack(),
    'SWJ',
    'list-entry',
    'tax-list.csv',
    csv([
      listEntryHeader,
      listEntryRow({
        主体名称: company.name,
        统一社会信用代码: company.uscc,
        法定代表人: '',
        法定代表人证件号码: '',
      }),
    ]),
  );
  const court = await ingestFile(
    stack(),
    'ZYFY',
    'list-entry',
    'court-list.csv',
    csv([listEntryHeader, courtPersonListingRow()]),
  );
  expect([tax.counts, court.counts]).toMatchObject([{ accepted: 1 }, { accepted: 1 }]);
});

describe('Name index: every list entry, coded or not, by normalised name', () => {
  it('writes the NAME alias of a coded entry at ingestion, leading to its USCC partition', async () => {
    const { Items } = await stack().clients.documentClient.send(
      new QueryCommand({
        TableName: stack().config.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.alias('NAME', nameKey('江門市恆通實業有限責任公司')) },
      }),
    );
    expect(Items?.map((item) => item.subjectKey)).toEqual([`USCC#${company.uscc}`]);
  });
});

describe('Route: POST /v1/checks — a name without a code', () => {
  it('finds the company on the black list with its USCC as a possible hit, never confirmed', async () => {
    const { status, body } = await check({ name: company.name });
    expect(status).toBe(201);
    expect(body.hits).toMatchObject([
      {
        status: 'possible',
        listTypeCode: 'HMD-SW-ZDSSWF',
        subjectKey: `USCC#${company.uscc}`,
        matchedBy: { identifier: 'name', value: company.name },
      },
    ]);
    expect(body.hits[0].possibleReason).toContain(`listed with 统一社会信用代码 ${company.uscc}`);
    expect(body.hits[0].possibleReason).toContain('verify the identity');
    expect(body.summary).toMatchObject({ confirmedHits: 0, possibleHits: 1, mandatoryMeasures: 0 });
  });

  it('explains each normalisation step that made a traditional, spaced, full-width name match', async () => {
    const { body } = await check({ name: '江門市恆通實業 有限責任公司' });
    expect(body.hits).toMatchObject([{ status: 'possible', subjectKey: `USCC#${company.uscc}` }]);
    const reason: string = body.hits[0].possibleReason;
    expect(reason).toContain('traditional character(s) read as simplified (OpenCC)');
    expect(reason).toContain('whitespace removed');
    expect(reason).toContain('suffix "有限责任公司" read as "有限公司"');
    const fullWidth = await check({ name: '江门市恒通\u3000实业有限公司' });
    expect(fullWidth.body.hits).toHaveLength(1);
    expect(fullWidth.body.hits[0].possibleReason).toContain('full-width characters made half-width');
  });

  it('finds a person listed with a full ID by name, masked for a case officer', async () => {
    const { body } = await check({ name: '王小明', type: 'person' });
    expect(body.hits).toMatchObject([
      { status: 'possible', listTypeCode: 'HMD-FY-SXBZXR', subjectKind: 'person' },
    ]);
    const shown = JSON.stringify(body);
    expect(shown).not.toContain('王小明');
    expect(shown).not.toContain(codes.personId);
    expect(body.hits[0].possibleReason).toContain('王**');
  });

  it('finds nothing for another name', async () => {
    const { body } = await check({ name: '江门市恒达实业有限公司' });
    expect(body.hits).toEqual([]);
  });
});

describe('Route: POST /v1/checks — a code and a name that disagree', () => {
  it('keeps the hit confirmed by the USCC and warns NAME_MISMATCH, saying how the names differ', async () => {
    const { status, body } = await check({ code: company.uscc, name: '江门市恒达实业有限公司' });
    expect(status).toBe(201);
    expect(body.hits).toMatchObject([{ status: 'confirmed', matchedBy: { identifier: 'uscc' } }]);
    expect(body.hits[0].warnings).toEqual([
      {
        code: 'NAME_MISMATCH',
        message: expect.stringContaining('the first has "达" where the second has "通"'),
      },
    ]);
    // The stored check carries the warning too.
    const stored = await call('GET', `/v1/checks/${body.checkId}`, apiKeys.SCJG!);
    expect(stored.body.hits[0].warnings).toEqual(body.hits[0].warnings);
  });

  it('gives no warning when the name is the entry’s once normalised', async () => {
    const { body } = await check({ code: company.uscc, name: '江門市恆通實業有限公司' });
    expect(body.hits).toMatchObject([{ status: 'confirmed' }]);
    expect(body.hits[0].warnings).toBeUndefined();
  });

  it('masks a listed person: the warning says by how much the names differ, not which characters', async () => {
    const { body } = await check({ code: codes.personId, name: '王晓明' });
    expect(body.hits).toMatchObject([{ status: 'confirmed', subjectKind: 'person' }]);
    const message: string = body.hits[0].warnings[0].message;
    expect(message).toContain('differ in 1 of 3 characters');
    expect(message).not.toMatch(/王小明|王晓明|晓/);
  });
});

describe('Tool: backfill-name-index — entries stored before every entry was indexed', () => {
  it('indexes a stored coded entry that has no name-index item, so a name finds it again', async () => {
    const { documentClient } = stack().clients;
    const TableName = stack().config.tableName;
    // As an entry stored before: no ALIAS#NAME item for the coded company.
    await documentClient.send(
      new DeleteCommand({
        TableName,
        Key: { pk: keys.alias('NAME', nameKey(company.name)), sk: keys.subject(`USCC#${company.uscc}`) },
      }),
    );
    expect((await check({ name: company.name })).body.hits).toEqual([]);
    // Two list entries are stored (the company, the person): both are (re)indexed, idempotently.
    expect(await backfillNameIndex(documentClient, TableName, 2)).toBe(2);
    expect((await check({ name: company.name })).body.hits).toMatchObject([
      { status: 'possible', subjectKey: `USCC#${company.uscc}` },
    ]);
  });
});
