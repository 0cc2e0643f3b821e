import { createHash } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiKeyId, generateApiKey, hashApiKey } from '#lib/auth/api-keys';
import { keys } from '#lib/aws/items/keys';
import { addCalendarDays } from '#lib/calendar/calendar';
import { systemClock } from '#lib/clock/system-clock';
import { nameKey } from '#lib/identifiers/subject-names';
import { watchIdFor } from '#lib/push/watches';
import {
  codes,
  courtPersonListingRow,
  csv,
  licenceHeader,
  licenceRow,
  listEntryHeader,
  listEntryRow,
  penaltyCsv,
} from '#test/support/csv-fixtures';
import { ingestFile, storeOf } from '../support/credit-fixtures';
import { type LocalStackHandle, useLocalStack } from '../support/local-stack';

const stack = useLocalStack();
// Audit entries are keyed by the Shanghai day of each read; a run that crosses Shanghai midnight
// (16:00 UTC) finds its entries on that day or the next.
const today = systemClock.today();
const auditRange = `from=${today}&to=${addCalendarDays(today, 1)}`;

const keysByRole: Record<string, string> = {};

/** An agency profile (with roles and datasets, as the registry writes it) and one key with `roles`. */
async function agencyWithKey(
  handle: LocalStackHandle,
  code: string,
  uscc: string,
  roles: string[],
  datasets: string[],
): Promise<string> {
  await handle.clients.documentClient.send(
    new PutCommand({
      TableName: handle.config.tableName,
      Item: {
        pk: keys.agency(code),
        sk: 'PROFILE',
        type: 'agency',
        code,
        name: `${code} 测试机关`,
        uscc,
        roles,
        datasets,
      },
    }),
  );
  const apiKey = generateApiKey(code);
  const keyHash = hashApiKey(apiKey);
  await storeOf(handle).putApiKey({
    keyHash,
    keyId: apiKeyId(keyHash),
    agencyCode: code,
    roles,
    label: 'test',
    createdAt: new Date().toISOString(),
  });
  return apiKey;
}

async function extraKey(handle: LocalStackHandle, code: string, roles: string[]): Promise<string> {
  const apiKey = generateApiKey(code);
  const keyHash = hashApiKey(apiKey);
  await storeOf(handle).putApiKey({
    keyHash,
    keyId: apiKeyId(keyHash),
    agencyCode: code,
    roles,
    label: 'test clerk',
    createdAt: new Date().toISOString(),
  });
  return apiKey;
}

async function call(
  method: string,
  path: string,
  key: string | null,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${stack().config.apiBaseUrl}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return {
    status: response.status,
    headers: response.headers,
    contentType: response.headers.get('content-type'),
    body: (await response.json()) as Record<string, any>,
  };
}

const check = (body: unknown, key = keysByRole.officer!, headers: Record<string, string> = {}) =>
  call('POST', '/v1/checks', key, body, headers);

const referenceFiles = {
  'list-type': csv([
    ['名单类型代码', '名单名称', '名单性质', '认定部门', '认定机构代码', '备忘录文号', '默认有效期（月）'],
    ['HMD-SW-ZDSSWF', '重大税收违法失信主体', '黑名单', '税务部门', 'SWJ', '发改财金〔2016〕1580号', '36'],
    ['HMD-FY-SXBZXR', '失信被执行人', '黑名单', '人民法院', 'ZYFY', '发改财金〔2016〕141号', '24'],
    ['HONG-A-NSR', 'A级纳税人', '红名单', '税务部门', 'SWJ', '发改财金〔2016〕1467号', '12'],
    ['HMD-UNUSED', '未使用的名单', '黑名单', '某部门', '', '', ''],
  ]),
  memorandum: csv([
    ['备忘录名称', '文号', '发文日期', '性质', '签署部门', '适用名单类型代码'],
    [
      '关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录',
      '发改财金〔2016〕1580号',
      '2016/07/25',
      '惩戒',
      '发展改革委;税务总局',
      'HMD-SW-ZDSSWF',
    ],
    [
      '关于对失信被执行人实施联合惩戒的合作备忘录',
      '发改财金〔2016〕141号',
      '2016/01/20',
      '惩戒',
      '发展改革委;最高人民法院',
      'HMD-FY-SXBZXR',
    ],
    [
      '关于对纳税信用A级纳税人实施联合激励措施的合作备忘录',
      '发改财金〔2016〕1467号',
      '2016/07/08',
      '激励',
      '发展改革委;税务总局',
      'HONG-A-NSR',
    ],
  ]),
  measure: csv([
    [
      '措施编号',
      '备忘录文号',
      '措施类别',
      '措施性质',
      '约束性',
      '措施内容',
      '对象',
      '实施部门',
      '关联科室',
      '相关依据',
    ],
    [
      'M01',
      '发改财金〔2016〕1580号',
      '行政许可',
      '惩戒',
      '必须',
      '从严审核行政许可审批项目',
      '主体',
      '市场监管局',
      '审批科',
      '备忘录第二条第（一）项',
    ],
    [
      'M02',
      '发改财金〔2016〕1580号',
      '任职限制',
      '惩戒',
      '必须',
      '限制担任企业法定代表人',
      '法定代表人;主要负责人',
      '市场监管局',
      '登记科',
      '备忘录第二条第（五）项',
    ],
    [
      'M03',
      '发改财金〔2016〕1467号',
      '便利服务',
      '激励',
      '参考',
      '绿色通道、容缺受理',
      '主体',
      '市场监管局',
      '审批科',
      '备忘录第二条第（三）项',
    ],
    [
      'M04',
      '发改财金〔2016〕141号',
      '日常监管',
      '惩戒',
      '参考',
      '列为重点监管对象',
      '主体;自然人',
      '市场监管局',
      '监管科',
      '备忘录第三条',
    ],
    ['M05', '不存在的文号', '其他', '惩戒', '参考', '无主措施', '主体', '某部门', '', ''],
  ]),
  matter: csv([
    ['事项编码', '事项名称', '实施部门', '权责事项编码', '适用措施编号'],
    ['SCJG-XK-001', '食品经营许可', '江门市市场监督管理局', '440700-XK-001', 'M01;M02;M03;M04'],
    ['SCJG-XK-002', '无措施事项', '江门市市场监督管理局', '', ''],
  ]),
};

beforeAll(async () => {
  const handle = stack();
  keysByRole.officer = await agencyWithKey(
    handle,
    'SCJG',
    codes.agencyUscc,
    ['case-officer'],
    ['admin-penalty', 'admin-license', 'list-entry', 'measure'],
  );
  keysByRole.otherAgency = await agencyWithKey(
    handle,
    'SWJ',
    '11440700MB2C123480',
    ['case-officer'],
    ['list-entry'],
  );
  keysByRole.creditOffice = await agencyWithKey(
    handle,
    'XYB',
    '11440700MB2E345657',
    ['credit-office'],
    ['list-type', 'memorandum', 'measure', 'matter'],
  );
  await agencyWithKey(handle, 'ZYFY', '11440700MB2D23451J', ['case-officer'], ['list-entry']);
  keysByRole.creditOfficeClerk = await extraKey(handle, 'XYB', ['case-officer']);
  keysByRole.auditor = await agencyWithKey(handle, 'SJJ', '11440700MB2E345657', ['auditor'], []);

  for (const [dataset, body] of Object.entries(referenceFiles)) {
    const report = await ingestFile(handle, 'XYB', dataset, `${dataset}.csv`, body);
    expect(report).toMatchObject({ status: 'completed', counts: { rejected: 0 } });
  }
  await ingestFile(handle, 'SCJG', 'admin-penalty', 'penalties.csv', penaltyCsv([{}]));
  const licences = await ingestFile(
    handle,
    'SCJG',
    'admin-license',
    'licences.csv',
    csv([licenceHeader, licenceRow(), licenceRow({ XK_WSH: '江市监许〔2026〕302号', XK_ZT: '2' })]),
  );
  expect(licences).toMatchObject({ counts: { accepted: 2 } });
  // The court's list is the court's to decide (list authority).
  const courtList = await ingestFile(
    handle,
    'ZYFY',
    'list-entry',
    'court-lists.csv',
    csv([listEntryHeader, courtPersonListingRow()]),
  );
  expect(courtList).toMatchObject({ counts: { accepted: 1 } });
  const taxLists = await ingestFile(
    handle,
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
        名单类型代码: 'HONG-A-NSR',
        认定依据: '纳税信用评价',
        有效期至: '',
      }),
    ]),
  );
  expect(taxLists).toMatchObject({ counts: { accepted: 2 } });
  // A name-only entry, as court lists store one (no usable code): found by normalised name only.
  const nameOnlyKey = 'NAME#江门市鸿运建材有限责任公司';
  await storeOf(handle).putItems([
    {
      pk: keys.subject(nameOnlyKey),
      sk: keys.listEntry('HMD-FY-SXBZXR', 'court-1'),
      type: 'list-entry',
      entryId: 'court-1',
      agencyCode: 'ZYFY',
      record: {
        dataset: 'court-dishonest',
        subject: { key: nameOnlyKey, kind: 'organisation', name: '江门市鸿运建材有限责任公司', flags: [] },
        listTypeCode: 'HMD-FY-SXBZXR',
        basis: '（2026）粤07执123号',
        decidingDepartment: '江门市中级人民法院',
        listedOn: '2026-05-01',
        validUntil: null,
        reason: '有履行能力而拒不履行',
        agencyCode: 'ZYFY',
      },
    },
    {
      pk: keys.alias('NAME', nameKey('江门市鸿运建材有限责任公司')),
      sk: keys.subject(nameOnlyKey),
      type: 'alias',
      subjectKey: nameOnlyKey,
    },
    // A person as courts publish one: masked ID and name, found by name only (possible hits).
    {
      pk: keys.subject(maskedPersonKey),
      sk: keys.listEntry('HMD-FY-SXBZXR', 'court-2'),
      type: 'list-entry',
      entryId: 'court-2',
      agencyCode: 'ZYFY',
      record: {
        dataset: 'court-dishonest',
        subject: {
          key: maskedPersonKey,
          kind: 'person',
          name: '李四海',
          idNumber: '4407031988****2315',
          flags: ['ID_MASKED_UNVERIFIED'],
        },
        listTypeCode: 'HMD-FY-SXBZXR',
        basis: '（2026）粤07执456号',
        decidingDepartment: '江门市中级人民法院',
        listedOn: '2026-05-02',
        validUntil: null,
        reason: '有履行能力而拒不履行',
        agencyCode: 'ZYFY',
      },
    },
    {
      pk: keys.alias('NAME', nameKey('李四海')),
      sk: keys.subject(maskedPersonKey),
      type: 'alias',
      subjectKey: maskedPersonKey,
    },
  ]);
});

const maskedPersonKey = 'MASKED#4407031988****2315#李四海';

describe('Reference data through the collection path', () => {
  it('refuses reference data from an agency without the credit-office role, with a file-level reason', async () => {
    const report = await ingestFile(stack(), 'SCJG', 'measure', 'measure.csv', referenceFiles.measure);
    expect(report).toMatchObject({
      status: 'rejected',
      fileErrors: [{ code: 'REFERENCE_DATA_CREDIT_OFFICE_ONLY' }],
      counts: { accepted: 0 },
    });
  });

  it('Route: GET /v1/list-types names each list type with its nature and memoranda', async () => {
    const { status, body } = await call('GET', '/v1/list-types', keysByRole.officer!);
    expect(status).toBe(200);
    expect(body.listTypes).toHaveLength(4);
    expect(body.listTypes.find((l: any) => l.code === 'HONG-A-NSR')).toMatchObject({
      name: 'A级纳税人',
      nature: '红名单',
      colour: 'red',
      defaultPeriodMonths: 12,
      memoranda: [{ number: '发改财金〔2016〕1467号', nature: '激励' }],
    });
  });

  it('Route: GET /v1/matters and GET /v1/memoranda list the catalogue', async () => {
    const matters = await call('GET', '/v1/matters', keysByRole.officer!);
    expect(matters.status).toBe(200);
    expect(matters.body.matters).toEqual([
      expect.objectContaining({
        code: 'SCJG-XK-001',
        measureCodes: ['M01', 'M02', 'M03', 'M04'],
        measureCount: 4,
      }),
      expect.objectContaining({ code: 'SCJG-XK-002', measureCodes: [], measureCount: 0 }),
    ]);
    const memoranda = await call('GET', '/v1/memoranda', keysByRole.auditor!);
    expect(memoranda.body.memoranda).toHaveLength(3);
  });

  it('Route: GET /v1/measures?matterCode= gives the measures of one matter with their list types', async () => {
    const { status, body } = await call('GET', '/v1/measures?matterCode=scjg-xk-001', keysByRole.officer!);
    expect(status).toBe(200);
    expect(body.matterCode).toBe('SCJG-XK-001');
    expect(body.measures.map((m: any) => m.code)).toEqual(['M01', 'M02', 'M03', 'M04']);
    expect(body.measures[0]).toMatchObject({
      nature: '惩戒',
      binding: '必须',
      targets: ['主体'],
      listTypeCodes: ['HMD-SW-ZDSSWF'],
      memorandum: {
        number: '发改财金〔2016〕1580号',
        name: '关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录',
      },
    });
    expect((await call('GET', '/v1/measures', keysByRole.officer!)).body.measures).toHaveLength(5);
  });

  it('Route: GET /v1/measures answers an unknown matter with 404 MATTER_NOT_FOUND', async () => {
    const { status, contentType, body } = await call(
      'GET',
      '/v1/measures?matterCode=NOPE',
      keysByRole.officer!,
    );
    expect(status).toBe(404);
    expect(contentType).toContain('application/problem+json');
    expect(body.code).toBe('MATTER_NOT_FOUND');
  });

  it('Route: GET /v1/reference/consistency reports every gap, for the credit office', async () => {
    const { status, body } = await call('GET', '/v1/reference/consistency', keysByRole.creditOffice!);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      consistent: false,
      counts: { listTypes: 4, memoranda: 3, measures: 5, matters: 2 },
      mattersWithoutMeasures: [{ code: 'SCJG-XK-002' }],
      measuresWithoutMatter: [{ code: 'M05' }],
      listTypesWithoutMemorandum: [{ code: 'HMD-UNUSED' }],
      measuresWithUnknownMemorandum: [{ code: 'M05', memorandumNumber: '不存在的文号' }],
    });
  });

  it('Route: GET /v1/reference/consistency is refused to a case officer (403)', async () => {
    const { status, body } = await call('GET', '/v1/reference/consistency', keysByRole.officer!);
    expect(status).toBe(403);
    expect(body.code).toBe('FORBIDDEN');
  });
});

describe('Route: POST /v1/checks', () => {
  it('returns confirmed and possible hits, the binding measures of the matter and the records', async () => {
    const { status, body, headers } = await check({
      subject: { code: codes.companyUscc },
      matterCode: 'SCJG-XK-001',
      caseRef: 'JM-2026-0001',
      purpose: '行政许可审批',
    });
    expect(status).toBe(201);
    expect(headers.get('location')).toBe(`/v1/checks/${body.checkId}`);
    const confirmed = body.hits.find((hit: any) => hit.status === 'confirmed');
    expect(confirmed).toMatchObject({
      listTypeCode: 'HMD-SW-ZDSSWF',
      listTypeName: '重大税收违法失信主体',
      listNature: 'black',
      matchedBy: { identifier: 'uscc', value: codes.companyUscc },
    });
    expect(confirmed.explanation).toContain('HMD-SW-ZDSSWF 重大税收违法失信主体 (黑名单)');
    const possible = body.hits.find((hit: any) => hit.status === 'possible');
    expect(possible).toMatchObject({
      entryId: 'court-1',
      listTypeCode: 'HMD-FY-SXBZXR',
      matchedBy: { identifier: 'name' },
    });
    expect(possible.possibleReason).toContain('有限责任公司');
    // M01 (主体, tax black list) binds; M04 is called for only by the possible court hit; M02 is for
    // the legal representative, M03 for red lists.
    expect(body.measures.map((m: any) => [m.code, m.confidence, m.mandatory])).toEqual([
      ['M01', 'confirmed', true],
      ['M04', 'possible', false],
    ]);
    expect(body.measures[0]).toMatchObject({
      content: '从严审核行政许可审批项目',
      nature: '惩戒',
      binding: '必须',
      target: ['主体'],
      implementingDepartment: '市场监管局',
      basis: '备忘录第二条第（一）项',
    });
    expect(body.measures[1].note).toContain('verify the identity');
    expect(body.conveniences).toEqual([]);
    // The valid licence and the penalty are shown; the withdrawn licence (当前状态 2) is not.
    expect(body.records.map((r: any) => [r.dataset, r.documentNumber]).sort()).toEqual([
      ['admin-license', '江市监许〔2026〕301号'],
      ['admin-penalty', '江市监罚〔2026〕118号'],
    ]);
    expect(body.summary).toMatchObject({
      confirmedHits: 1,
      possibleHits: 1,
      blackListHits: 2,
      measures: 2,
      mandatoryMeasures: 1,
      records: 2,
    });
    expect(body.matter).toEqual({
      code: 'SCJG-XK-001',
      name: '食品经营许可',
      department: '江门市市场监督管理局',
    });
  });

  it('a name alone finds only possible hits, and never a binding measure', async () => {
    const { status, body } = await check({
      subject: { name: '江门市鸿运建材有限公司' },
      matterCode: 'SCJG-XK-001',
    });
    expect(status).toBe(201);
    // The court entry listed by name only, and the tax-list entry listed with its USCC: by name, both
    // are only possible.
    expect(body.hits.map((hit: any) => [hit.listTypeCode, hit.status]).sort()).toEqual([
      ['HMD-FY-SXBZXR', 'possible'],
      ['HMD-SW-ZDSSWF', 'possible'],
    ]);
    expect(body.measures.map((m: any) => [m.code, m.confidence, m.mandatory])).toEqual([
      ['M01', 'possible', false],
      ['M04', 'possible', false],
    ]);
  });

  it('applies the measures aimed at 法定代表人 to the legal representative of a listed company, masked', async () => {
    const { body } = await check({ subject: { code: codes.legalRepId }, matterCode: 'SCJG-XK-001' });
    expect(body.hits).toMatchObject([
      {
        listTypeCode: 'HMD-SW-ZDSSWF',
        matchedBy: {
          identifier: 'resident-id',
          relation: 'legal-representative',
          value: '4407031980****231X',
        },
      },
    ]);
    expect(body.hits[0].explanation).not.toContain(codes.legalRepId);
    expect(body.measures).toMatchObject([{ code: 'M02', target: ['法定代表人'], mandatory: true }]);
    expect(body.request.code).toBe('4407031980****231X');
  });

  it('gives a red-list subject its conveniences (incentive measures)', async () => {
    const { body } = await check({ subject: { code: codes.otherCompanyUscc }, matterCode: 'SCJG-XK-001' });
    expect(body.hits).toMatchObject([{ listTypeCode: 'HONG-A-NSR', listNature: 'red' }]);
    expect(body.conveniences).toEqual([
      {
        code: 'M03',
        category: '便利服务',
        content: '绿色通道、容缺受理',
        implementingDepartment: '市场监管局',
      },
    ]);
    expect(body.summary).toMatchObject({ redListHits: 1, mandatoryMeasures: 0 });
  });

  it('masks a natural person for a case officer and for the credit office without an allowed purpose', async () => {
    const officer = await check({ subject: { code: codes.personId }, purpose: '行政许可审批' });
    expect(officer.body.subject).toEqual({ name: '王**', kind: 'person', idNumber: '4407021975****4129' });
    expect(officer.body.personalData.reveal).toBe(false);
    expect(JSON.stringify(officer.body)).not.toContain(codes.personId);
    expect(JSON.stringify(officer.body)).not.toContain('王小明');
    const office = await check(
      { subject: { code: codes.personId }, purpose: '统计' },
      keysByRole.creditOffice!,
    );
    expect(office.body.subject.idNumber).toBe('4407021975****4129');
  });

  it('shows a natural person in full to the credit office with an allowed purpose', async () => {
    const { body } = await check(
      { subject: { code: codes.personId }, purpose: '信用修复' },
      keysByRole.creditOffice!,
    );
    expect(body.subject).toEqual({ name: '王小明', kind: 'person', idNumber: codes.personId });
    expect(body.personalData).toMatchObject({ reveal: true });
    expect(body.hits[0].explanation).toContain('王小明');
    // The stored full view is readable by the credit office, not by a case officer of the same agency.
    expect((await call('GET', `/v1/checks/${body.checkId}`, keysByRole.creditOffice!)).status).toBe(200);
    const clerk = await call('GET', `/v1/checks/${body.checkId}`, keysByRole.creditOfficeClerk!);
    expect(clerk.status).toBe(403);
    expect(clerk.body.code).toBe('PERSONAL_DATA_NOT_ALLOWED');
  });

  it('answers an unknown matter code with 404 MATTER_NOT_FOUND', async () => {
    const { status, body } = await check({
      subject: { code: codes.companyUscc },
      matterCode: 'NO-SUCH-MATTER',
    });
    expect(status).toBe(404);
    expect(body).toMatchObject({ code: 'MATTER_NOT_FOUND', errors: [{ field: 'matterCode' }] });
  });

  it('answers a subject with neither code nor name with 400 VALIDATION_FAILED', async () => {
    const { status, body } = await check({ subject: {}, matterCode: 'SCJG-XK-001' });
    expect(status).toBe(400);
    expect(body.code).toBe('VALIDATION_FAILED');
  });

  it('is refused to the auditor role (403) and without a key (401)', async () => {
    expect((await check({ subject: { code: codes.companyUscc } }, keysByRole.auditor!)).status).toBe(403);
    expect((await call('POST', '/v1/checks', null, { subject: { code: codes.companyUscc } })).status).toBe(
      401,
    );
  });

  it('returns the first result for a retried Idempotency-Key and refuses the key with another body', async () => {
    const body = { subject: { code: codes.companyUscc }, matterCode: 'SCJG-XK-001' };
    const first = await check(body, keysByRole.officer!, { 'Idempotency-Key': 'retry-1' });
    const again = await check(body, keysByRole.officer!, { 'Idempotency-Key': 'retry-1' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.checkId).toBe(first.body.checkId);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await check({ subject: { code: codes.otherCompanyUscc } }, keysByRole.officer!, {
      'Idempotency-Key': 'retry-1',
    });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // Keys are per agency: another agency's same key is a new check.
    const elsewhere = await check(body, keysByRole.otherAgency!, { 'Idempotency-Key': 'retry-1' });
    expect(elsewhere.status).toBe(201);
    expect(elsewhere.body.checkId).not.toBe(first.body.checkId);
    const malformed = await check(body, keysByRole.officer!, { 'Idempotency-Key': 'bad key with spaces' });
    expect(malformed.body.code).toBe('INVALID_IDEMPOTENCY_KEY');
    // A failed check does not burn its key: the corrected request with the same key runs.
    const failed = await check({ ...body, matterCode: 'NOPE' }, keysByRole.officer!, {
      'Idempotency-Key': 'retry-2',
    });
    expect(failed.status).toBe(404);
    const corrected = await check(body, keysByRole.officer!, { 'Idempotency-Key': 'retry-2' });
    expect(corrected.status).toBe(201);
  });
});

describe('Route: GET /v1/checks/{checkId} and POST /v1/checks/{checkId}/feedback', () => {
  let checkId: string;
  beforeAll(async () => {
    const { body } = await check({
      subject: { code: codes.companyUscc },
      matterCode: 'SCJG-XK-001',
      caseRef: 'JM-2026-0042',
    });
    checkId = body.checkId;
  });

  it('gives the check to the agency that made it and 404 to any other', async () => {
    const own = await call('GET', `/v1/checks/${checkId}`, keysByRole.officer!);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ checkId, feedback: null, feedbackHistory: [] });
    const other = await call('GET', `/v1/checks/${checkId}`, keysByRole.otherAgency!);
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('CHECK_NOT_FOUND');
    expect((await call('GET', '/v1/checks/chk-unknown', keysByRole.officer!)).status).toBe(404);
  });

  it('refuses feedback from another agency (404), without a reason for not-applied (400) and on unknown measures (422)', async () => {
    const entry = { measureCode: 'M01', outcome: 'applied', result: '不予许可', date: today };
    expect(
      (await call('POST', `/v1/checks/${checkId}/feedback`, keysByRole.otherAgency!, { measures: [entry] }))
        .status,
    ).toBe(404);
    const noReason = await call('POST', `/v1/checks/${checkId}/feedback`, keysByRole.officer!, {
      measures: [{ measureCode: 'M01', outcome: 'not-applied', date: today }],
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toMatchObject([{ field: 'measures.0.reason' }]);
    const unknown = await call('POST', `/v1/checks/${checkId}/feedback`, keysByRole.officer!, {
      measures: [{ ...entry, measureCode: 'M03' }],
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('UNKNOWN_MEASURE');
  });

  it('merges a second feedback, keeps the history and closes the case watch once every measure is covered', async () => {
    const first = await call('POST', `/v1/checks/${checkId}/feedback`, keysByRole.officer!, {
      measures: [{ measureCode: 'M01', outcome: 'not-applied', reason: '尚在核实', date: today }],
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      version: 1,
      complete: false,
      outstanding: ['M04'],
      watchClosed: false,
    });
    const second = await call('POST', `/v1/checks/${checkId}/feedback`, keysByRole.officer!, {
      measures: [
        { measureCode: 'M01', outcome: 'applied', result: '不予许可', date: today },
        { measureCode: 'M04', outcome: 'not-applicable', date: today },
      ],
    });
    expect(second.body).toMatchObject({ version: 2, complete: true, outstanding: [], watchClosed: true });
    const read = await call('GET', `/v1/checks/${checkId}`, keysByRole.officer!);
    expect(read.body.feedback).toMatchObject({
      version: 2,
      measures: [{ measureCode: 'M01', outcome: 'applied' }, { measureCode: 'M04' }],
    });
    expect(read.body.feedbackHistory.map((h: any) => h.version)).toEqual([1, 2]);
    const watch = await stack().clients.documentClient.send(
      new GetCommand({
        TableName: stack().config.tableName,
        Key: {
          pk: keys.subject(`USCC#${codes.companyUscc}`),
          sk: keys.watch('SCJG', watchIdFor('SCJG', 'JM-2026-0042')),
        },
      }),
    );
    expect(watch.Item).toMatchObject({ status: 'closed' });
  });

  it('answers feedback on a check without measures with 409 NO_MEASURES', async () => {
    const { body } = await check({ subject: { code: '91440705MA53R7T18N' }, matterCode: 'SCJG-XK-001' });
    const response = await call('POST', `/v1/checks/${body.checkId}/feedback`, keysByRole.officer!, {
      measures: [{ measureCode: 'M01', outcome: 'applied', date: today }],
    });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('NO_MEASURES');
  });
});

describe('Route: GET /v1/subjects/{code}', () => {
  it('lists the memberships in effect and the records in display of a company', async () => {
    const { status, body } = await call('GET', `/v1/subjects/${codes.companyUscc}`, keysByRole.officer!);
    expect(status).toBe(200);
    expect(body.subject).toMatchObject({ name: '江门市鸿运建材有限公司', uscc: codes.companyUscc });
    expect(body.memberships).toMatchObject([{ listTypeCode: 'HMD-SW-ZDSSWF', listNature: 'black' }]);
    expect(body.records.map((r: any) => r.documentNumber).sort()).toEqual([
      '江市监罚〔2026〕118号',
      '江市监许〔2026〕301号',
    ]);
  });

  it('masks a person, answers 404 for an unknown subject and 403 for the auditor', async () => {
    const person = await call('GET', `/v1/subjects/${codes.personId}?purpose=核查`, keysByRole.officer!);
    expect(person.body.subject).toEqual({ name: '王**', kind: 'person', idNumber: '4407021975****4129' });
    const unknown = await call('GET', '/v1/subjects/91440705MA53R7T18N', keysByRole.officer!);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('SUBJECT_NOT_FOUND');
    expect((await call('GET', `/v1/subjects/${codes.companyUscc}`, keysByRole.auditor!)).status).toBe(403);
    expect((await call('GET', '/v1/subjects/12345', keysByRole.officer!)).body.code).toBe(
      'INVALID_SUBJECT_CODE',
    );
  });
});

describe('Route: GET /v1/audit', () => {
  it('gives the auditor every read of personal data: who, when, which subject (masked), purpose, full or masked', async () => {
    const { status, body } = await call('GET', `/v1/audit?${auditRange}`, keysByRole.auditor!);
    expect(status).toBe(200);
    const entries = body.entries as any[];
    expect(entries.length).toBeGreaterThanOrEqual(5);
    expect(entries).toContainEqual(
      expect.objectContaining({
        agencyCode: 'XYB',
        action: 'check',
        purpose: '信用修复',
        fullView: true,
        subject: '4407021975****4129',
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({
        agencyCode: 'SCJG',
        action: 'read-subject',
        purpose: '核查',
        fullView: false,
      }),
    );
    expect(entries.some((entry) => entry.subject.includes(codes.legalRepId))).toBe(false);
    expect(
      entries.every((entry) => typeof entry.keyId === 'string' && entry.at.startsWith(today.slice(0, 4))),
    ).toBe(true);
  });

  it('is refused to other roles (403) and answers a bad range with 400', async () => {
    expect((await call('GET', `/v1/audit?from=${today}&to=${today}`, keysByRole.creditOffice!)).status).toBe(
      403,
    );
    const reversed = await call('GET', '/v1/audit?from=2026-02-01&to=2026-01-01', keysByRole.auditor!);
    expect(reversed.status).toBe(400);
    expect(reversed.body.code).toBe('INVALID_DATE_RANGE');
    const missing = await call('GET', '/v1/audit', keysByRole.auditor!);
    expect(missing.body.code).toBe('VALIDATION_FAILED');
  });
});

describe('Authorizer: one Authorization header, read whatever its case', () => {
  const get = (headers: [string, string][]) =>
    stack().api.request('GET', '/v1/matters', { headers: Object.fromEntries(headers) });

  it('accepts a valid key sent as AUTHORIZATION:', async () => {
    stack().api.clearAuthorizerCache();
    const response = await stack().api.dispatch({
      method: 'GET',
      url: '/v1/matters',
      headers: [['AUTHORIZATION', `Bearer ${keysByRole.officer}`]],
      sourceIp: '127.0.0.1',
    });
    expect(response.statusCode).toBe(200);
  });

  it('refuses two Authorization headers, so an alias never rides on a valid key in the cache', async () => {
    stack().api.clearAuthorizerCache();
    const both = await stack().api.dispatch({
      method: 'GET',
      url: '/v1/matters',
      headers: [
        ['Authorization', 'Bearer alias-123'],
        ['authorization', `Bearer ${keysByRole.officer}`],
      ],
      sourceIp: '127.0.0.1',
    });
    expect(both.statusCode).toBe(401);
    const alias = await get([['Authorization', 'Bearer alias-123']]);
    expect(alias.status).toBe(401);
  });
});

describe('Route roles: every write route declares who may call it', () => {
  it('refuses an auditor-only key on POST /v1/report-submissions (it overwrote the monthly report)', async () => {
    const response = await call('POST', '/v1/report-submissions', keysByRole.auditor!, {
      kind: 'monthly-cases',
      period: '2026-11',
      caseCount: 0,
    });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('Idempotency-Key replay: this caller’s access rules, audited, keys per API key', () => {
  it('never hands a full-view result to another key of the agency, and logs a replay as a read', async () => {
    const body = { subject: { code: codes.personId }, purpose: '信用修复' };
    const headers = { 'Idempotency-Key': 'replay-scope-1' };
    const full = await check(body, keysByRole.creditOffice!, headers);
    expect(full.status).toBe(201);
    expect(full.body.request.code).toBe(codes.personId);

    const clerk = await check(body, keysByRole.creditOfficeClerk!, headers);
    expect(clerk.status).toBe(201);
    expect(clerk.headers.get('idempotent-replayed')).toBeNull();
    expect(clerk.body.checkId).not.toBe(full.body.checkId);
    expect(JSON.stringify(clerk.body)).not.toContain(codes.personId);

    const replay = await check(body, keysByRole.creditOffice!, headers);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.checkId).toBe(full.body.checkId);
    const audit = await call('GET', `/v1/audit?${auditRange}`, keysByRole.auditor!);
    const reads = (audit.body.entries as { action: string; checkId?: string }[]).filter(
      (entry) => entry.checkId === full.body.checkId,
    );
    expect(reads.map((entry) => entry.action).sort()).toEqual(['check', 'read-check']);
  });
});

/** Every ID a masked one (4407021975****4129) can stand for: the ≤ 372 guesses of an attacker. */
function idsBehindMask(masked: string): string[] {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const checkCharacter = (first17: string) =>
    '10X98765432'[[...first17].reduce((sum, digit, i) => sum + Number(digit) * weights[i]!, 0) % 11];
  const ids: string[] = [];
  for (
    let day = new Date(Date.UTC(2000, 0, 1));
    day.getUTCFullYear() === 2000;
    day.setUTCDate(day.getUTCDate() + 1)
  ) {
    const first17 = `${masked.slice(0, 10)}${day.toISOString().slice(5, 10).replace('-', '')}${masked.slice(14, 17)}`;
    if (checkCharacter(first17) === masked[17]) ids.push(`${first17}${masked[17]}`);
  }
  return ids;
}

const unkeyedReferences = (id: string) =>
  [id, `ID#${id}`].map((value) => createHash('sha256').update(value).digest('hex'));

describe('Access log: the subject masked, the reference keyed (issue: full IDs and de-maskable references)', () => {
  it('logs a full-view subject read of the credit office with the ID masked, and a reference no guess recovers', async () => {
    const read = await call(
      'GET',
      `/v1/subjects/${codes.personId}?purpose=judicial-assistance`,
      keysByRole.creditOffice!,
    );
    expect(read.status).toBe(200);
    expect(read.body.subject.idNumber).toBe(codes.personId);

    const audit = await call('GET', `/v1/audit?${auditRange}`, keysByRole.auditor!);
    expect(JSON.stringify(audit.body)).not.toContain(codes.personId);
    const entry = (audit.body.entries as any[]).find(
      (e) => e.action === 'read-subject' && e.purpose === 'judicial-assistance',
    );
    expect(entry).toMatchObject({ agencyCode: 'XYB', fullView: true, subject: '4407021975****4129' });
    // The attack: hash every ID the masked one can stand for and compare with the reference.
    const guesses = idsBehindMask(entry.subject);
    expect(guesses).toContain(codes.personId);
    expect(guesses.length).toBeLessThanOrEqual(372);
    const recovered = guesses.filter((id) =>
      unkeyedReferences(id).some((hash) => String(entry.subjectRef).includes(hash.slice(0, 16))),
    );
    expect(recovered).toEqual([]);
  });

  it('gives a person one reference on every route, so ?subjectRef= finds every read of them', async () => {
    const checked = await check({ subject: { code: codes.personId }, matterCode: 'SCJG-XK-001' });
    expect(checked.body.measures.length).toBeGreaterThan(0);
    const checkId = checked.body.checkId as string;
    expect((await call('GET', `/v1/checks/${checkId}`, keysByRole.officer!)).status).toBe(200);
    const feedback = await call('POST', `/v1/checks/${checkId}/feedback`, keysByRole.officer!, {
      measures: [{ measureCode: 'M04', outcome: 'not-applicable', date: today }],
    });
    expect(feedback.status).toBe(200);
    expect((await call('GET', `/v1/subjects/${codes.personId}`, keysByRole.officer!)).status).toBe(200);
    // 15 digits are the same person as their 18-digit form.
    const legacy = `${codes.personId.slice(0, 6)}${codes.personId.slice(8, 17)}`;
    expect((await call('GET', `/v1/subjects/${legacy}`, keysByRole.officer!)).status).toBe(200);

    const all = await call('GET', `/v1/audit?${auditRange}`, keysByRole.auditor!);
    const ofCheck = (all.body.entries as any[]).filter((e) => e.checkId === checkId);
    expect(ofCheck.map((e) => e.action).sort()).toEqual(['check', 'feedback', 'read-check']);
    const subjectRef = ofCheck[0].subjectRef as string;
    expect(new Set(ofCheck.map((e) => e.subjectRef))).toEqual(new Set([subjectRef]));

    const person = await call('GET', `/v1/audit?${auditRange}&subjectRef=${subjectRef}`, keysByRole.auditor!);
    expect(person.status).toBe(200);
    const entries = person.body.entries as any[];
    expect(entries.every((e) => e.subjectRef === subjectRef && e.subject === '4407021975****4129')).toBe(
      true,
    );
    const actions = entries.map((e) => e.action);
    for (const action of ['check', 'read-check', 'feedback', 'read-subject'])
      expect(actions).toContain(action);
    // Both agencies' reads of the same person: the credit office's too.
    expect(new Set(entries.map((e) => e.agencyCode))).toEqual(new Set(['SCJG', 'XYB']));
    expect(
      entries.filter((e) => e.action === 'read-subject' && e.agencyCode === 'SCJG').length,
    ).toBeGreaterThanOrEqual(2);
  });
});

describe('Masking: one step for every view (issue: possible hits, the subject code and a 400 echoed persons)', () => {
  it('masks the person in a possible hit: matched value, explanation and reason', async () => {
    const { status, body } = await check({ subject: { name: '李四海' }, matterCode: 'SCJG-XK-001' });
    expect(status).toBe(201);
    const possible = body.hits.find((hit: any) => hit.entryId === 'court-2');
    expect(possible).toMatchObject({ status: 'possible', matchedBy: { identifier: 'name', value: '李**' } });
    expect(possible.explanation).toContain('李**');
    expect(possible.possibleReason).toContain('李**');
    expect(JSON.stringify(body)).not.toContain('李四海');
    // The credit office with an allowed purpose still sees the person in full.
    const full = await check({ subject: { name: '李四海' }, purpose: '异议处理' }, keysByRole.creditOffice!);
    expect(full.body.hits[0].matchedBy.value).toBe('李四海');
  });

  it('masks the code of GET /v1/subjects/{id} for a case officer, not for the credit office with a purpose', async () => {
    const officer = await call('GET', `/v1/subjects/${codes.personId}`, keysByRole.officer!);
    expect(officer.body.code).toBe('4407021975****4129');
    expect(JSON.stringify(officer.body)).not.toContain(codes.personId);
    const office = await call(
      'GET',
      `/v1/subjects/${codes.personId}?purpose=信用修复`,
      keysByRole.creditOffice!,
    );
    expect(office.body.code).toBe(codes.personId);
  });

  it('masks a mistyped ID in the 400 problem', async () => {
    const mistyped = `${codes.personId.slice(0, 17)}8`;
    for (const response of [
      await call('GET', `/v1/subjects/${mistyped}`, keysByRole.officer!),
      await check({ subject: { code: mistyped } }),
    ]) {
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('INVALID_SUBJECT_CODE');
      expect(JSON.stringify(response.body)).not.toContain(mistyped);
      expect(response.body.detail).toContain('4407021975****4128');
    }
  });
});
