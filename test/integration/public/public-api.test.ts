import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { publicDisclosure } from '#lib/platform/public-disclosure';
import { codes, registrationNumber } from '#test/support/csv-fixtures';
import { ingestFile, subjectPartition } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';
import { companyName, ingestPublicData, penaltiesFile, penaltyRows, secrets, shopName } from './fixtures';

const stack = useLocalStack();
const api = publicDisclosure.apiPath;

/** A call with no Authorization header, as a member of the public makes it. */
async function get(path: string, headers: Record<string, string> = {}) {
  const response = await stack().api.request('GET', path, { headers });
  const body = response.body.startsWith('{') ? JSON.parse(response.body) : response.body;
  return { status: response.status, headers: response.headers, body, raw: response.body };
}

function expectNothingSecret(text: string) {
  for (const [what, secret] of Object.entries(secrets)) expect(text, what).not.toContain(secret);
  expect(text).not.toMatch(/idNumber|idType|CF_FR_ZJ|XK_FR_ZJ|ZJHM|ZJLX/);
}

async function recordItem(documentNumber: string) {
  const items = await subjectPartition(stack(), `USCC#${codes.companyUscc}`);
  const item = items.find(
    (candidate) =>
      typeof candidate.sk === 'string' &&
      candidate.sk.startsWith('RECORD#') &&
      (candidate.record as { documentNumber?: string }).documentNumber === documentNumber,
  );
  if (!item) throw new Error(`no record item ${documentNumber}`);
  return item;
}

async function setOnItem(documentNumber: string, attribute: string, value: unknown) {
  const item = await recordItem(documentNumber);
  await stack().clients.documentClient.send(
    new UpdateCommand({
      TableName: stack().config.tableName,
      Key: { pk: item.pk, sk: item.sk },
      UpdateExpression: 'SET #a = :v',
      ExpressionAttributeNames: { '#a': attribute },
      ExpressionAttributeValues: { ':v': value },
    }),
  );
  return item.recordId as string;
}

beforeAll(async () => {
  await ingestPublicData(stack());
}, 180_000);

describe('Route: GET /public/v1/subjects (search, no key)', () => {
  it('finds the company by USCC and by its exact name, without a key', async () => {
    const byCode = await get(`${api}/subjects?q=${codes.companyUscc}`);
    const byName = await get(`${api}/subjects?q=${encodeURIComponent(companyName)}`);

    expect(byCode.status).toBe(200);
    expect(byCode.body.results).toEqual([
      {
        code: codes.companyUscc,
        codeType: '统一社会信用代码',
        name: companyName,
        kind: 'organisation',
        kindLabel: '法人及非法人组织',
      },
    ]);
    expect(byName.body.results.map((r: { code: string }) => r.code)).toEqual([codes.companyUscc]);
  });

  it('finds a 个体工商户 under the placeholder code by its 工商注册号 and by name', async () => {
    const byNumber = await get(`${api}/subjects?q=${registrationNumber}`);
    const byName = await get(`${api}/subjects?q=${encodeURIComponent(shopName)}`);
    expect(byNumber.body.results).toMatchObject([{ code: registrationNumber, kindLabel: '个体工商户' }]);
    expect(byName.body.results).toMatchObject([{ code: registrationNumber }]);
  });

  it('finds no natural person, by ID number or by name', async () => {
    const byId = await get(`${api}/subjects?q=${secrets.personId}`);
    const byName = await get(`${api}/subjects?q=${encodeURIComponent(secrets.personName)}`);
    expect([byId.status, byId.body.results]).toEqual([200, []]);
    expect([byName.status, byName.body.results]).toEqual([200, []]);
    expect((await get(`${api}/subjects/${secrets.personId}`)).status).toBe(400);
    expect((await get(`${api}/subjects/${encodeURIComponent(`ID#${secrets.personId}`)}`)).status).toBe(400);
  });

  it('answers 400 problem+json for a mistyped USCC and a missing query', async () => {
    const mistyped = await get(`${api}/subjects?q=91440703MA4W12346X`);
    expect(mistyped.status).toBe(400);
    expect(mistyped.headers['content-type']).toContain('application/problem+json');
    expect(mistyped.body.code).toBe('INVALID_SUBJECT_CODE');
    expect((await get(`${api}/subjects`)).body.code).toBe('VALIDATION_FAILED');
  });
});

describe('Route: GET /public/v1/subjects/{code} (subject page)', () => {
  it('shows the penalty in display, the valid licence and the black-list entry with its list type', async () => {
    const { status, body, raw } = await get(`${api}/subjects/${codes.companyUscc}`);

    expect(status).toBe(200);
    expect(body.subject.name).toBe(companyName);
    expect(body.listStatus).toEqual({ black: 1, red: 0, listed: 1, underObjection: 0 });
    expect(body.listEntries).toMatchObject([
      { listTypeCode: 'HMD-SW-ZDSSWF', listTypeName: '重大税收违法失信主体', nature: '黑名单' },
    ]);
    // expired (公示截止期 2026-04-05) is not here; the 无效 licence is not here
    expect(body.penalties.map((p: { documentNumber: string }) => p.documentNumber).sort()).toEqual([
      '江市监罚〔2026〕118号',
      '江市监罚〔2026〕120号',
    ]);
    expect(body.licences.map((l: { documentNumber: string }) => l.documentNumber)).toEqual([
      '江市监许〔2026〕301号',
    ]);
    expect(body.penalties[0].legalRepresentative).toBe('李建国');
    expectNothingSecret(raw);
  });

  it('scrubs the ID, phone number and bank account out of the facts', async () => {
    const { body } = await get(`${api}/subjects/${codes.companyUscc}`);
    const shown = body.penalties.find(
      (p: { documentNumber: string }) => p.documentNumber === '江市监罚〔2026〕118号',
    );
    expect(shown.facts).toBe(
      `当事人${companyName}（法定代表人李建国，身份证号码[已隐去]，联系电话[已隐去]）销售抽检不合格的建筑用钢筋，货款汇入账户[已隐去]`,
    );
  });

  it('caches: Cache-Control, an ETag, and 304 without a body when If-None-Match matches', async () => {
    const first = await get(`${api}/subjects/${codes.companyUscc}`);
    expect(first.headers['cache-control']).toBe(`public, max-age=${publicDisclosure.cacheSeconds}`);
    expect(first.headers.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);

    const again = await get(`${api}/subjects/${codes.companyUscc}`, { 'If-None-Match': first.headers.etag! });
    const stale = await get(`${api}/subjects/${codes.companyUscc}`, { 'If-None-Match': '"something-else"' });

    expect([again.status, again.raw]).toEqual([304, '']);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(stale.status).toBe(200);
  });

  it('ignores an Authorization header: the route has no authorizer', async () => {
    const { status } = await get(`${api}/subjects/${codes.companyUscc}`, {
      Authorization: 'Bearer not-a-key',
    });
    expect(status).toBe(200);
  });
});

describe('Route: GET /public/v1/subjects/{code}/records/{recordId} (record page)', () => {
  it('shows one record, and 404 for a withheld one', async () => {
    const page = await get(`${api}/subjects/${codes.companyUscc}`);
    const licence = page.body.licences[0];

    const shown = await get(`${api}/subjects/${codes.companyUscc}/records/${licence.id}`);
    const expired = await get(
      `${api}/subjects/${codes.companyUscc}/records/${(await recordItem(penaltyRows.expired.CF_WSH)).recordId}`,
    );

    expect(shown.status).toBe(200);
    expect(shown.body.record).toMatchObject({
      kind: 'licence',
      certificateName: '食品经营许可证',
      underObjection: false,
    });
    expectNothingSecret(shown.raw);
    expect([expired.status, expired.body.code]).toEqual([404, 'RECORD_NOT_FOUND']);
  });

  it('marks a record under objection 异议处理中, with a new ETag', async () => {
    const id = (await recordItem(penaltyRows.shown.CF_WSH)).recordId as string;
    const before = await get(`${api}/subjects/${codes.companyUscc}/records/${id}`);

    await setOnItem(penaltyRows.shown.CF_WSH, 'objectionOpen', true);
    const during = await get(`${api}/subjects/${codes.companyUscc}/records/${id}`, {
      'If-None-Match': before.headers.etag!,
    });
    await setOnItem(penaltyRows.shown.CF_WSH, 'objectionOpen', false);

    expect(during.status).toBe(200);
    expect(during.body.record).toMatchObject({ underObjection: true, notice: '异议处理中' });
    expect(during.headers.etag).not.toBe(before.headers.etag);
  });

  it('takes a record whose publication was stopped (credit repair) out of the public view', async () => {
    const id = await setOnItem(penaltyRows.shown.CF_WSH, 'publicationStatus', 'STOPPED');
    const record = await get(`${api}/subjects/${codes.companyUscc}/records/${id}`);
    const page = await get(`${api}/subjects/${codes.companyUscc}`);
    await setOnItem(penaltyRows.shown.CF_WSH, 'publicationStatus', 'PUBLISHED');

    expect(record.status).toBe(404);
    expect(page.body.penalties.map((p: { id: string }) => p.id)).not.toContain(id);
  });

  it('drops a penalty the agency withdraws (操作类型 撤销) from the public view', async () => {
    const id = (await recordItem(penaltyRows.withdrawnLater.CF_WSH)).recordId as string;
    expect((await get(`${api}/subjects/${codes.companyUscc}/records/${id}`)).status).toBe(200);

    const report = await ingestFile(
      stack(),
      'SCJG',
      'admin-penalty',
      'withdrawal.csv',
      penaltiesFile([{ ...penaltyRows.withdrawnLater, 操作类型: '撤销' }]),
    );

    expect(report).toMatchObject({ counts: { accepted: 1 } });
    expect((await get(`${api}/subjects/${codes.companyUscc}/records/${id}`)).status).toBe(404);
  });
});

describe('The public site (page and assets, no key)', () => {
  it('serves the page in Chinese at /public/, redirects /public, and serves its assets with ETags', async () => {
    const page = await stack().api.request('GET', '/public/');
    const bare = await stack().api.request('GET', '/public');
    const script = await stack().api.request('GET', '/public/app.js');
    const again = await stack().api.request('GET', '/public/app.js', {
      headers: { 'If-None-Match': script.headers.etag! },
    });

    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<html lang="zh-CN">');
    expect([bare.status, bare.headers.location]).toEqual([301, '/public/']);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(again.status).toBe(304);
  });

  it('serves nothing outside its flat folder and answers other methods as API Gateway does (no such method)', async () => {
    expect((await stack().api.request('GET', '/public/..%2Fpackage.json')).status).toBe(404);
    expect((await stack().api.request('GET', '/public/secret.txt')).status).toBe(404);
    const remove = await stack().api.request('DELETE', `${api}/subjects`);
    // no DELETE method on the resource: the gateway answers by itself, the function never runs
    expect(remove.status).toBe(404);
    // POST reaches the function (objection filing) and is refused on a read-only route
    expect((await stack().api.request('POST', `${api}/subjects`)).status).toBe(405);
  });
});
