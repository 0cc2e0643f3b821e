import { describe, expect, it } from 'vitest';
import { withCachedListTypes } from '#lib/disclosure/cached-reader';
import { discloseRecord, discloseSubject, searchSubjects } from '#lib/disclosure/disclose';
import {
  InvalidPublicQueryError,
  InvalidPublicSubjectCodeError,
  PublicRecordNotFoundError,
  PublicSubjectNotFoundError,
} from '#lib/disclosure/errors';
import { nameKey } from '#lib/identifiers/subject-names';
import { codes, registrationNumber } from '#test/support/csv-fixtures';
import { company, licence, listEntry, MemoryPublicReader, penalty, person, shop } from './fixtures';

const today = '2026-11-24';

describe('Function: discloseSubject — what a legal person shows', () => {
  it('shows penalties in display, valid licences and list entries in effect, with the list status', async () => {
    // Prepare
    const reader = new MemoryPublicReader()
      .add('p1', penalty())
      .add('l1', licence())
      .add('b1', listEntry())
      .add('r1', listEntry({ listTypeCode: 'HONG-SW-A', listedOn: '2026-01-05', validUntil: '2026-12-31' }));

    // Act
    const page = await discloseSubject(reader, codes.companyUscc, today);

    // Assess
    expect(page.subject).toEqual({
      code: codes.companyUscc,
      codeType: '统一社会信用代码',
      name: '江门市鸿运建材有限公司',
      kind: 'organisation',
      kindLabel: '法人及非法人组织',
    });
    expect(page.listStatus).toEqual({ black: 1, red: 1, listed: 2, underObjection: 0 });
    expect(page.listEntries.map((entry) => [entry.id, entry.nature, entry.listTypeName])).toEqual([
      ['b1', '黑名单', '重大税收违法失信主体'],
      ['r1', '红名单', '纳税信用A级纳税人'],
    ]);
    expect(page.penalties.map((p) => p.id)).toEqual(['p1']);
    expect(page.licences.map((l) => l.id)).toEqual(['l1']);
  });

  it("never carries a legal representative's ID (CF_FR_ZJHM, CF_FR_ZJLX) and scrubs free text", async () => {
    const reader = new MemoryPublicReader().add('p1', penalty()).add('l1', licence()).add('b1', listEntry());

    const page = await discloseSubject(reader, codes.companyUscc, today);
    const json = JSON.stringify(page);

    expect(json).not.toContain(codes.legalRepId);
    expect(json).not.toContain('13902281234');
    expect(json).not.toMatch(/idType|idNumber|身份证"/);
    expect(page.penalties[0]?.legalRepresentative).toBe('李建国');
    expect(page.penalties[0]?.facts).toBe(
      '销售抽检不合格的建筑用钢筋，法定代表人李建国（身份证号码[已隐去]，电话[已隐去]）',
    );
  });

  it.each([
    ['withdrawn by the agency (status withdrawn)', penalty(), { status: 'withdrawn' }],
    ['withdrawn by 操作类型 撤销', penalty({ action: 'withdraw' }), {}],
    ['taken out of display by the deadlines run', penalty(), { displayStatus: 'hidden' }],
    ['past its 公示截止期', penalty({ displayUntil: '2026-11-23' }), {}],
    ['flagged publishable=false by the severity rules', penalty(), { publishable: false }],
    ['of severity 轻微', penalty(), { severity: '轻微' }],
    ['stopped by credit repair', penalty(), { publicationStatus: 'STOPPED' }],
  ] as const)('hides a penalty %s', async (_why, record, state) => {
    const reader = new MemoryPublicReader()
      .add('shown', penalty({ documentNumber: '其他〔2026〕1号' }))
      .add('hidden', record, state);

    const page = await discloseSubject(reader, codes.companyUscc, today);

    expect(page.penalties.map((p) => p.id)).toEqual(['shown']);
    await expect(discloseRecord(reader, codes.companyUscc, 'hidden', today)).rejects.toBeInstanceOf(
      PublicRecordNotFoundError,
    );
  });

  it('shows a penalty on the last day of its display period', async () => {
    const reader = new MemoryPublicReader().add('p1', penalty({ displayUntil: today }));
    expect((await discloseSubject(reader, codes.companyUscc, today)).penalties).toHaveLength(1);
  });

  it.each([
    ['invalid (当前状态 无效)', licence({ status: 'invalid' }), {}],
    ['expired', licence({ validUntil: '2026-11-23' }), {}],
    ['not yet valid', licence({ validFrom: '2026-11-25' }), {}],
    ['withheld', licence(), { publishable: false }],
  ] as const)('hides a licence that is %s', async (_why, record, state) => {
    const reader = new MemoryPublicReader().add('p1', penalty()).add('l1', record, state);
    expect((await discloseSubject(reader, codes.companyUscc, today)).licences).toEqual([]);
  });

  it('shows a licence with no end (长期)', async () => {
    const reader = new MemoryPublicReader().add('l1', licence({ validUntil: null }));
    expect((await discloseSubject(reader, codes.companyUscc, today)).licences).toHaveLength(1);
  });

  it('leaves out list entries not in effect (removed, ended, not yet listed)', async () => {
    const reader = new MemoryPublicReader()
      .add('p1', penalty())
      .add('removed', listEntry({ removedOn: '2026-10-01' }))
      .add('ended', listEntry({ validUntil: '2026-11-23' }))
      .add('future', listEntry({ listedOn: '2026-11-25' }));

    const page = await discloseSubject(reader, codes.companyUscc, today);

    expect(page.listEntries).toEqual([]);
    expect(page.listStatus).toEqual({ black: 0, red: 0, listed: 0, underObjection: 0 });
  });

  it('marks a record under objection 异议处理中 and keeps showing it', async () => {
    const reader = new MemoryPublicReader()
      .add('p1', penalty(), { objectionOpen: true })
      .add('l1', licence());

    const page = await discloseSubject(reader, codes.companyUscc, today);

    expect(page.penalties[0]).toMatchObject({ underObjection: true, notice: '异议处理中' });
    expect(page.licences[0]).toMatchObject({ underObjection: false });
    expect(page.licences[0]).not.toHaveProperty('notice');
  });

  it('answers not found for a subject with nothing public', async () => {
    const reader = new MemoryPublicReader().add('p1', penalty(), { severity: '轻微' });
    await expect(discloseSubject(reader, codes.companyUscc, today)).rejects.toBeInstanceOf(
      PublicSubjectNotFoundError,
    );
  });

  it('shows a 个体工商户 under the placeholder code by its 工商注册号', async () => {
    const reader = new MemoryPublicReader().add('p1', penalty({ subject: shop }));

    const page = await discloseSubject(reader, registrationNumber, today);

    expect(page.subject).toMatchObject({
      code: registrationNumber,
      codeType: '工商注册号',
      kindLabel: '个体工商户',
    });
  });
});

describe('Function: natural persons are never published', () => {
  const reader = () =>
    new MemoryPublicReader()
      .add('pp', penalty({ subject: person }))
      .add('pl', licence({ subject: person }))
      .name(nameKey(person.name), person.key);

  it('finds nobody by a person’s ID number or name', async () => {
    expect((await searchSubjects(reader(), codes.personId, today)).results).toEqual([]);
    expect((await searchSubjects(reader(), person.name, today)).results).toEqual([]);
  });

  it('refuses a person’s ID number as a subject code', async () => {
    await expect(discloseSubject(reader(), codes.personId, today)).rejects.toBeInstanceOf(
      InvalidPublicSubjectCodeError,
    );
  });
});

describe('Function: searchSubjects', () => {
  const reader = () =>
    new MemoryPublicReader()
      .add('p1', penalty())
      .add('s1', penalty({ subject: shop }))
      .name(nameKey(company.name), company.key)
      .registrationNumber('440703000009999', company.key);

  it('finds a legal person by USCC, lower-case and padded with spaces', async () => {
    const { results } = await searchSubjects(reader(), ` ${codes.companyUscc.toLowerCase()} `, today);
    expect(results.map((r) => r.code)).toEqual([codes.companyUscc]);
  });

  it('finds a legal person by its exact name, brackets and width normalised', async () => {
    const { results } = await searchSubjects(reader(), '江门市鸿运建材有限责任公司', today);
    expect(results.map((r) => r.name)).toEqual(['江门市鸿运建材有限公司']);
  });

  it('finds a 个体工商户 by 工商注册号, and a company through its old 工商注册号', async () => {
    expect((await searchSubjects(reader(), registrationNumber, today)).results.map((r) => r.code)).toEqual([
      registrationNumber,
    ]);
    expect((await searchSubjects(reader(), '440703000009999', today)).results.map((r) => r.code)).toEqual([
      codes.companyUscc,
    ]);
  });

  it('rejects a mistyped USCC with the reason, and a one-character query', async () => {
    await expect(searchSubjects(reader(), '91440703MA4W12346X', today)).rejects.toThrow(
      new InvalidPublicSubjectCodeError('check character at position 18 should be "G" but is "X"'),
    );
    await expect(searchSubjects(reader(), '江', today)).rejects.toBeInstanceOf(InvalidPublicQueryError);
  });

  it('finds nothing for an unknown name', async () => {
    expect((await searchSubjects(reader(), '不存在的公司', today)).results).toEqual([]);
  });
});

describe('Function: discloseRecord', () => {
  it('answers one public record of the subject, list entries included', async () => {
    const reader = new MemoryPublicReader().add('p1', penalty()).add('b1', listEntry());

    const record = await discloseRecord(reader, codes.companyUscc, 'b1', today);

    expect(record.subject.code).toBe(codes.companyUscc);
    expect(record.record).toMatchObject({
      kind: 'list-entry',
      nature: '黑名单',
      reason: '虚开增值税专用发票',
    });
  });

  it('does not find a record under another subject', async () => {
    const reader = new MemoryPublicReader().add('p1', penalty()).add('s1', penalty({ subject: shop }));
    await expect(discloseRecord(reader, codes.companyUscc, 's1', today)).rejects.toBeInstanceOf(
      PublicRecordNotFoundError,
    );
  });
});

describe('Function: withCachedListTypes', () => {
  it('reads the list-type catalogue once per TTL', async () => {
    const memory = new MemoryPublicReader().add('b1', listEntry());
    let now = 0;
    const reader = withCachedListTypes(memory, 60_000, () => now);

    await discloseSubject(reader, codes.companyUscc, today);
    await discloseSubject(reader, codes.companyUscc, today);
    now = 60_000;
    await discloseSubject(reader, codes.companyUscc, today);

    expect(memory.listTypeReads).toBe(2);
  });
});
