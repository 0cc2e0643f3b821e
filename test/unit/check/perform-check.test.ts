import { describe, expect, it } from 'vitest';
import type { PersonalDataAccess } from '#lib/audit/types';
import { MatterNotFoundError } from '#lib/check/errors';
import { performCheck } from '#lib/check/perform-check';
import type { CheckRequest } from '#lib/check/request';
import type { Caller } from '#lib/check/types';
import { fixedClock } from '#lib/clock/clock';
import { emptyCatalogue } from '#lib/reference/catalogue';
import { codes, registrationNumber } from '#test/support/csv-fixtures';
import { catalogue, company, entry, MemoryStore, person, referencer } from './fixtures';

const officer: Caller = { agencyCode: 'SCJG', keyId: 'key-1', roles: ['case-officer'] };
const creditOffice: Caller = { agencyCode: 'XYB', keyId: 'key-2', roles: ['credit-office'] };
const clock = fixedClock('2026-11-24T02:00:00Z');

function run(
  store: MemoryStore,
  request: CheckRequest,
  caller: Caller = officer,
  logged?: PersonalDataAccess[],
) {
  const audit = {
    logPersonalDataAccess: async (entries: readonly PersonalDataAccess[]) => void logged?.push(...entries),
  };
  return performCheck({ ...store.ports(), audit, catalogue: catalogue(), clock }, caller, request);
}

const listedCompany = () =>
  new MemoryStore()
    .addEntry('e1', entry({ legalRepresentative: { name: '李建国', idNumber: codes.legalRepId } }))
    .alias('ORG', 'MA4W12346', company.key)
    .alias('LEGALREP', codes.legalRepId, company.key, 'legal-representative');

describe('Function: performCheck — identifier paths', () => {
  it('matches by USCC', async () => {
    const result = await run(listedCompany(), { subject: { code: codes.companyUscc } });
    expect(result.hits).toMatchObject([{ status: 'confirmed', matchedBy: { identifier: 'uscc' } }]);
    expect(result.subject).toMatchObject({ name: '江门市鸿运建材有限公司', uscc: codes.companyUscc });
  });

  it('matches by legacy organisation code (alias), with or without the hyphen', async () => {
    const result = await run(listedCompany(), { subject: { code: 'MA4W1234-6' } });
    expect(result.hits).toMatchObject([
      { matchedBy: { identifier: 'organisation-code', value: 'MA4W12346' } },
    ]);
  });

  it("finds a legacy record stored under the organisation code embedded in a USCC's positions 9–17", async () => {
    const legacyKey = 'DOC#组织机构代码#MA4W12346';
    const store = new MemoryStore()
      .addEntry('old', entry({ subject: { ...company, key: legacyKey, uscc: undefined as never } }))
      .alias('ORG', 'MA4W12346', legacyKey);
    const result = await run(store, { subject: { code: codes.companyUscc } });
    expect(result.hits).toMatchObject([
      { entryId: 'old', matchedBy: { identifier: 'organisation-code', value: 'MA4W12346' } },
    ]);
  });

  it('matches by 工商注册号, directly and through the alias of a subject with a USCC', async () => {
    const store = new MemoryStore()
      .addEntry(
        'reg',
        entry({ subject: { ...company, key: `REG#${registrationNumber}`, registrationNumber } }),
      )
      .addEntry('viaAlias', entry({ listTypeCode: 'HMD-FY-SXBZXR' }))
      .alias('REG', registrationNumber, company.key);
    const result = await run(store, { subject: { code: registrationNumber } });
    expect(result.hits.map((hit) => [hit.entryId, hit.matchedBy.identifier])).toEqual([
      ['reg', 'registration-number'],
      ['viaAlias', 'registration-number'],
    ]);
  });

  it('matches a resident ID, a legacy 15-digit number converted to 18 digits', async () => {
    const store = new MemoryStore().addEntry('p', entry({ subject: person, listTypeCode: 'HMD-FY-SXBZXR' }));
    const eighteen = await run(store, { subject: { code: codes.personId } });
    expect(eighteen.hits).toHaveLength(1);
    const fifteen = await run(store, { subject: { code: '440702750620412' } });
    expect(fifteen.request.interpretedAs).toContain('resident-id');
    expect(fifteen.hits).toMatchObject([{ entryId: 'p', matchedBy: { identifier: 'resident-id' } }]);
  });

  it('finds the listed organisation a person legally represents, and the measures aimed at 法定代表人', async () => {
    const result = await run(listedCompany(), { subject: { code: codes.legalRepId }, matterCode: 'MAT-1' });
    expect(result.hits).toMatchObject([
      {
        matchedBy: {
          identifier: 'resident-id',
          relation: 'legal-representative',
          value: '4407031980****231X',
        },
      },
    ]);
    expect(result.hits[0]!.explanation).toMatch(
      /^the checked person is the legal representative of 江门市鸿运建材有限公司/,
    );
    expect(result.measures.map((m) => m.code)).toEqual(['S2']);
    expect(result.records).toEqual([]);
  });

  it('finds a name-only entry by normalised name as a possible hit, never confirmed', async () => {
    const nameOnly = {
      key: 'NAME#x',
      kind: 'organisation' as const,
      name: '江门市鸿运建材有限责任公司',
      flags: [],
    };
    const store = listedCompany()
      .addEntry('court', entry({ subject: nameOnly, listTypeCode: 'HMD-FY-SXBZXR' }))
      .alias('NAME', '江门市鸿运建材有限公司', 'NAME#x');
    const byName = await run(store, { subject: { name: '江门市鸿运建材 有限公司' }, matterCode: 'MAT-1' });
    expect(byName.hits).toMatchObject([
      { status: 'possible', entryId: 'court', matchedBy: { identifier: 'name' } },
    ]);
    expect(byName.hits[0]!.possibleReason).toContain('whitespace removed');
    expect(byName.measures).toMatchObject([{ code: 'S3', mandatory: false, confidence: 'possible' }]);
    const byCode = await run(store, { subject: { code: codes.companyUscc } });
    expect(byCode.hits.map((hit) => hit.status)).toEqual(['confirmed', 'possible']);
  });

  it('finds a court entry published with a masked ID as possible, comparing names when given', async () => {
    const masked = {
      key: `MASKED#4407021975****4129#王小明`,
      kind: 'person' as const,
      name: '王小明',
      idNumber: '4407021975****4129',
      flags: [],
    };
    const store = new MemoryStore()
      .addEntry('m', entry({ subject: masked, listTypeCode: 'HMD-FY-SXBZXR' }))
      .alias('MASKEDID', '4407021975****4129', masked.key);
    const noName = await run(store, { subject: { code: codes.personId } });
    expect(noName.hits).toMatchObject([{ status: 'possible', entryId: 'm' }]);
    expect(noName.hits[0]!.possibleReason).toContain('no name was given');
    const otherName = await run(store, { subject: { code: codes.personId, name: '李四' } });
    expect(otherName.hits).toEqual([]);
  });
});

describe('Function: performCheck — one possible hit per entry', () => {
  it('reports a court entry reached both by masked ID and by name once', async () => {
    const masked = {
      key: 'MASKED#4407021975****4129#王小明',
      kind: 'person' as const,
      name: '王小明',
      idNumber: '4407021975****4129',
      flags: [],
    };
    const store = new MemoryStore()
      .addEntry('own', entry({ subject: person, listTypeCode: 'HMD-FY-SXBZXR' }))
      .addEntry('court', entry({ subject: masked, listTypeCode: 'HMD-FY-SXBZXR' }))
      .alias('MASKEDID', '4407021975****4129', masked.key)
      .alias('NAME', '王小明', masked.key);
    const result = await run(store, { subject: { code: codes.personId } });
    expect(result.hits.map((hit) => [hit.entryId, hit.status])).toEqual([
      ['own', 'confirmed'],
      ['court', 'possible'],
    ]);
  });
});

describe('Function: performCheck — name-only entries that cannot be the checked subject', () => {
  it('ignores a same-name person whose masked ID does not fit, and a person entry for an organisation', async () => {
    const otherWang = {
      key: 'MASKED#4401011990****1234#王小明',
      kind: 'person' as const,
      name: '王小明',
      idNumber: '4401011990****1234',
      flags: [],
    };
    const personNamedLikeCompany = {
      key: 'NAME#p',
      kind: 'person' as const,
      name: '江门市鸿运建材有限公司',
      flags: [],
    };
    const store = listedCompany()
      .addEntry('own', entry({ subject: person, listTypeCode: 'HMD-FY-SXBZXR' }))
      .addEntry('other', entry({ subject: otherWang, listTypeCode: 'HMD-FY-SXBZXR' }))
      .alias('NAME', '王小明', otherWang.key)
      .addEntry('odd', entry({ subject: personNamedLikeCompany }))
      .alias('NAME', '江门市鸿运建材有限公司', 'NAME#p');
    const personCheck = await run(store, { subject: { code: codes.personId } });
    expect(personCheck.hits.map((hit) => hit.entryId)).toEqual(['own']);
    const companyCheck = await run(store, { subject: { code: codes.companyUscc } });
    expect(companyCheck.hits.map((hit) => hit.entryId)).toEqual(['e1']);
  });
});

describe('Function: performCheck — periods of effect', () => {
  it('matches only inside the period of effect and while not removed', async () => {
    const store = new MemoryStore()
      .addEntry('future', entry({ listedOn: '2026-12-01' }))
      .addEntry('expired', entry({ listedOn: '2020-01-01', validUntil: '2026-11-23' }))
      .addEntry('removed', entry({ removedOn: '2026-11-24' }))
      .addEntry('current', entry({ validUntil: '2026-11-24' }));
    const result = await run(store, { subject: { code: codes.companyUscc } });
    expect(result.hits.map((hit) => hit.entryId)).toEqual(['current']);
  });

  it('leaves out withdrawn and expired records from the summary', async () => {
    const penalty = (id: string, extra: Record<string, unknown>) => ({
      type: 'admin-penalty',
      recordId: id,
      record: {
        dataset: 'admin-penalty',
        subject: company,
        documentNumber: id,
        decisionDate: '2026-11-01',
        categories: ['罚款'],
        content: '罚款',
        issuer: { name: '市场监管局' },
        validUntil: null,
        ...extra,
      },
    });
    const store = new MemoryStore()
      .addItem(company.key, penalty('shown', {}))
      .addItem(company.key, { ...penalty('withdrawn', {}), status: 'withdrawn' })
      .addItem(company.key, penalty('past', { displayUntil: '2026-11-01' }));
    const licence = (id: string, extra: Record<string, unknown>, item: Record<string, unknown> = {}) => ({
      type: 'admin-license',
      recordId: id,
      ...item,
      record: {
        dataset: 'admin-license',
        subject: company,
        documentNumber: id,
        decisionDate: '2026-10-01',
        licenceCategory: '普通',
        content: '食品经营',
        issuer: { name: '市场监管局', code: codes.agencyUscc },
        validUntil: null,
        status: 'valid',
        ...extra,
      },
    });
    store
      .addItem(company.key, licence('licence', {}))
      .addItem(company.key, licence('invalid', { status: 'invalid' }, { status: 'withdrawn' }))
      .addItem(company.key, licence('lapsed', { validUntil: '2026-11-23' }));
    const result = await run(store, { subject: { code: codes.companyUscc } });
    expect(result.records.map((record) => [record.dataset, record.recordId])).toEqual([
      ['admin-penalty', 'shown'],
      ['admin-license', 'licence'],
    ]);
  });
});

describe('Function: performCheck — matter, privacy and the audit trail', () => {
  it('refuses an unknown matter with MatterNotFoundError (404 MATTER_NOT_FOUND over HTTP)', async () => {
    await expect(
      performCheck({ ...listedCompany().ports(), catalogue: emptyCatalogue, clock }, officer, {
        subject: { code: codes.companyUscc },
        matterCode: 'X',
      }),
    ).rejects.toBeInstanceOf(MatterNotFoundError);
  });

  it('stores every check, including one that found nothing, with its caller', async () => {
    const store = new MemoryStore();
    const result = await run(store, { subject: { code: codes.companyUscc }, purpose: '行政许可' });
    expect(result).toMatchObject({ subject: null, hits: [], measures: [] });
    expect(store.checks).toContainEqual(
      expect.objectContaining({
        checkId: result.checkId,
        caller: expect.objectContaining({ agencyCode: 'SCJG' }),
      }),
    );
  });

  it('masks a person for a case officer, shows them to the credit office with an allowed purpose, and logs both', async () => {
    const store = new MemoryStore().addEntry('p', entry({ subject: person, listTypeCode: 'HMD-FY-SXBZXR' }));
    const logged: PersonalDataAccess[] = [];
    const masked = await run(store, { subject: { code: codes.personId }, purpose: '审批' }, officer, logged);
    expect(JSON.stringify(masked)).not.toContain(codes.personId);
    expect(masked.subject).toEqual({ name: '王**', kind: 'person', idNumber: '4407021975****4129' });
    const full = await run(
      store,
      { subject: { code: codes.personId }, purpose: '异议处理' },
      creditOffice,
      logged,
    );
    expect(full.subject).toEqual({ name: '王小明', kind: 'person', idNumber: codes.personId });
    expect(logged).toMatchObject([
      {
        agencyCode: 'SCJG',
        action: 'check',
        purpose: '审批',
        fullView: false,
        subject: '4407021975****4129',
      },
      { agencyCode: 'XYB', action: 'check', purpose: '异议处理', fullView: true },
    ]);
  });

  it('logs both agencies’ checks of a person under one keyed reference, kept on the stored check', async () => {
    const store = new MemoryStore().addEntry('p', entry({ subject: person, listTypeCode: 'HMD-FY-SXBZXR' }));
    const logged: PersonalDataAccess[] = [];
    const legacy = `${codes.personId.slice(0, 6)}${codes.personId.slice(8, 17)}`;
    await run(store, { subject: { code: codes.personId } }, officer, logged);
    await run(store, { subject: { code: legacy }, purpose: '异议处理' }, creditOffice, logged);
    const expected = await referencer.reference(`ID#${codes.personId}`);
    expect(logged.map((access) => access.subjectRef)).toEqual([expected, expected]);
    expect(store.checks.map((check) => check.subjectRef)).toEqual([expected, expected]);
    expect(JSON.stringify(logged)).not.toContain(codes.personId);
  });

  it('masks a person found by a name with no type, in the echoed request too', async () => {
    const nameOnly = { ...person, key: 'MASKED#4407021975****4129#王小明', idNumber: '4407021975****4129' };
    const store = new MemoryStore()
      .addEntry('court', entry({ subject: nameOnly, listTypeCode: 'HMD-FY-SXBZXR' }))
      .alias('NAME', '王小明', nameOnly.key);
    const result = await run(store, { subject: { name: '王小明' } });
    expect(result.hits).toMatchObject([
      { status: 'possible', matchedBy: { identifier: 'name', value: '王**' } },
    ]);
    expect(result.request.name).toBe('王**');
    expect(JSON.stringify(result)).not.toContain('王小明');
  });

  it('logs nothing for an organisation-only check', async () => {
    const logged: PersonalDataAccess[] = [];
    await run(listedCompany(), { subject: { code: codes.companyUscc } }, officer, logged);
    expect(logged).toEqual([]);
  });
});

describe('Function: performCheck — a name finds coded entries', () => {
  // The index of every list entry by normalised name, as ingestion writes it (lib/aws/items/items.ts).
  const indexed = () =>
    listedCompany()
      .addEntry('p', entry({ subject: person, listTypeCode: 'HMD-FY-SXBZXR' }))
      .alias('NAME', '江门市鸿运建材有限公司', company.key)
      .alias('NAME', '王小明', person.key);

  it('offers a company listed with its USCC as a possible hit to a check that gives only its name', async () => {
    const result = await run(indexed(), {
      subject: { name: '江門市鴻運建材有限責任公司' },
      matterCode: 'MAT-1',
    });
    expect(result.hits).toMatchObject([
      { status: 'possible', entryId: 'e1', matchedBy: { identifier: 'name' }, subjectKey: company.key },
    ]);
    const reason = result.hits[0]!.possibleReason!;
    expect(reason).toContain('traditional character(s) read as simplified');
    expect(reason).toContain('suffix "有限责任公司" read as "有限公司"');
    expect(reason).toContain(`listed with 统一社会信用代码 ${codes.companyUscc}, but the check gave no code`);
    expect(result.hits[0]!.explanation).toContain('listed with a code; no code was checked');
    // Never binding: a possible hit does not make a measure mandatory.
    expect(result.measures.every((measure) => !measure.mandatory)).toBe(true);
    expect(result.summary).toMatchObject({ confirmedHits: 0, possibleHits: 1 });
  });

  it('masks a person listed with a full ID when a name finds them', async () => {
    const result = await run(indexed(), { subject: { name: '王小明', type: 'person' } });
    expect(result.hits).toMatchObject([{ status: 'possible', entryId: 'p', subjectKind: 'person' }]);
    const shown = JSON.stringify(result);
    expect(shown).not.toContain('王小明');
    expect(shown).not.toContain(codes.personId);
    expect(result.hits[0]!.possibleReason).toContain('a full 身份证号码');
  });

  it('does not offer by name a coded entry of another subject when the check gives a code', async () => {
    const other = {
      ...company,
      key: 'USCC#91440700MA4UJ8T28L',
      uscc: '91440700MA4UJ8T28L',
      name: '江门市恒通实业有限公司',
    };
    const store = indexed()
      .addEntry('other', entry({ subject: other }))
      .alias('NAME', '江门市恒通实业有限公司', other.key);
    const result = await run(store, { subject: { code: codes.companyUscc, name: '江门市恒通实业有限公司' } });
    expect(result.hits.map((hit) => [hit.entryId, hit.status])).toEqual([['e1', 'confirmed']]);
  });
});

describe('Function: performCheck — a name shared by more listed subjects than a check reads', () => {
  /** `count` listed persons named 王伟, each with a masked ID of their own (court lists publish them so). */
  function namesakes(count: number): MemoryStore {
    const store = new MemoryStore();
    for (let n = 0; n < count; n++) {
      const masked = `44070219${String(50 + n).padStart(2, '0')}****4129`;
      const subject = {
        key: `MASKED#${masked}#王伟`,
        kind: 'person' as const,
        name: '王伟',
        idNumber: masked,
        flags: [],
      };
      store
        .addEntry(`w${String(n).padStart(3, '0')}`, entry({ subject, listTypeCode: 'HMD-FY-SXBZXR' }))
        .alias('NAME', '王伟', subject.key);
    }
    return store;
  }

  it('compares the entries of the first 50 only, and says the possible hits are incomplete', async () => {
    const result = await run(namesakes(51), { subject: { name: '王伟', type: 'person' } });
    expect(result.hits).toHaveLength(50);
    expect(result.hits.every((hit) => hit.status === 'possible')).toBe(true);
    expect(result.possibleHitsIncomplete).toEqual({
      subjectsRead: 50,
      reason: expect.stringContaining("give the subject's code"),
    });
  });

  it('says nothing of a limit when every namesake was compared', async () => {
    const result = await run(namesakes(50), { subject: { name: '王伟', type: 'person' } });
    expect(result.hits).toHaveLength(50);
    expect(result.possibleHitsIncomplete).toBeUndefined();
  });
});

describe('Function: performCheck — code and name that disagree', () => {
  it('keeps the hit confirmed by code and warns that the names differ, and how', async () => {
    const result = await run(listedCompany(), {
      subject: { code: codes.companyUscc, name: '江门市鸿达建材有限公司' },
    });
    expect(result.hits).toMatchObject([{ status: 'confirmed', entryId: 'e1' }]);
    expect(result.hits[0]!.warnings).toEqual([
      {
        code: 'NAME_MISMATCH',
        message: expect.stringContaining('the first has "达" where the second has "运"'),
      },
    ]);
    expect(result.hits[0]!.warnings![0]!.message).toContain('the hit rests on the 统一社会信用代码');
  });

  it('gives no warning when the names are the same once normalised', async () => {
    const result = await run(listedCompany(), {
      subject: { code: codes.companyUscc, name: '江门市鸿运建材有限责任公司' },
    });
    expect(result.hits[0]).not.toHaveProperty('warnings');
  });

  it('masks a listed person: the warning tells the size of the difference, not the characters', async () => {
    const store = new MemoryStore().addEntry('p', entry({ subject: person, listTypeCode: 'HMD-FY-SXBZXR' }));
    const result = await run(store, { subject: { code: codes.personId, name: '王晓明' } });
    const message = result.hits[0]!.warnings![0]!.message;
    expect(message).toContain('differ in 1 of 3 characters');
    expect(message).not.toMatch(/王小明|王晓明|晓/);
  });
});

describe('Function: performCheck — the watch a check on a case opens on a person', () => {
  it('keeps the name given, else the person’s known name, for court entries published with a masked ID', async () => {
    // Prepare: 王小明 is listed by full ID; another person has no data
    const store = new MemoryStore().addEntry('p1', entry({ subject: person }));
    // Act
    await run(store, { subject: { code: codes.personId }, caseRef: 'JM-KNOWN' });
    await run(store, { subject: { code: '440702197501024129', name: '张三' }, caseRef: 'JM-GIVEN' });
    await run(store, { subject: { code: codes.companyUscc }, caseRef: 'JM-COMPANY' });
    // Assess
    expect(store.watches.map((watch) => [watch.caseRef, watch.personName])).toEqual([
      ['JM-KNOWN', '王小明'],
      ['JM-GIVEN', '张三'],
      ['JM-COMPANY', undefined],
    ]);
  });
});
