import { describe, expect, it } from 'vitest';
import type { ListEntryRecord } from '#lib/datasets/index';
import { diffHits } from '#lib/matching/rescreen';
import {
  displaySubjectKey,
  isEntryInEffect,
  listHits,
  type StoredListEntry,
  viewOfSubject,
} from '#lib/matching/screen';
import { codes } from '#test/support/csv-fixtures';

function entry(overrides: Partial<ListEntryRecord> = {}): ListEntryRecord {
  return {
    dataset: 'list-entry',
    subject: {
      key: `USCC#${codes.companyUscc}`,
      kind: 'organisation',
      name: '江门市鸿运建材有限公司',
      uscc: codes.companyUscc,
      flags: [],
    },
    listTypeCode: 'HMD-SW-ZDSSWF',
    basis: '《重大税收违法失信主体信息公布管理办法》第六条',
    decidingDepartment: '国家税务总局江门市税务局',
    listedOn: '2026-03-18',
    validUntil: '2029-03-17',
    reason: '虚开增值税专用发票',
    agencyCode: 'SWJ',
    ...overrides,
  };
}

describe('Function: isEntryInEffect', () => {
  it('matches from the listing date to the end of the period of effect, inclusive', () => {
    expect(isEntryInEffect(entry(), '2026-03-17')).toBe(false);
    expect(isEntryInEffect(entry(), '2026-03-18')).toBe(true);
    expect(isEntryInEffect(entry(), '2029-03-17')).toBe(true);
    expect(isEntryInEffect(entry(), '2029-03-18')).toBe(false);
  });

  it('treats a missing end date as no end', () => {
    expect(isEntryInEffect(entry({ validUntil: null }), '2099-01-01')).toBe(true);
  });

  it('stops matching on the removal date', () => {
    const removed = entry({ removedOn: '2026-11-01' });
    expect(isEntryInEffect(removed, '2026-10-31')).toBe(true);
    expect(isEntryInEffect(removed, '2026-11-01')).toBe(false);
  });
});

describe('Function: listHits', () => {
  const stored: StoredListEntry = { entryId: 'e1', agencyCode: 'SWJ', record: entry() };

  it('explains which identifier matched which entry, since and until when, by whom and on what basis', () => {
    const [hit] = listHits([stored], { identifier: 'uscc', value: codes.companyUscc }, '2026-11-24');
    expect(hit).toMatchObject({
      status: 'confirmed',
      entryId: 'e1',
      listTypeCode: 'HMD-SW-ZDSSWF',
      listedOn: '2026-03-18',
      validUntil: '2029-03-17',
      decidingDepartment: '国家税务总局江门市税务局',
      matchedBy: { identifier: 'uscc', value: codes.companyUscc },
    });
    expect(hit!.explanation).toContain(
      `统一社会信用代码 ${codes.companyUscc} identifies 江门市鸿运建材有限公司`,
    );
    expect(hit!.explanation).toContain('2026-03-18 to 2029-03-17');
  });

  it('says so when the hit comes through the legal representative', () => {
    const [hit] = listHits(
      [stored],
      { identifier: 'resident-id', value: codes.legalRepId, relation: 'legal-representative' },
      '2026-11-24',
    );
    expect(hit!.explanation).toMatch(
      /^the checked person is the legal representative of 江门市鸿运建材有限公司/,
    );
  });

  it('masks a listed person in a possible hit as a whole: matched value, explanation, reason, key', () => {
    // Prepare: a court entry published with a masked ID, found by the name the caller gave
    const listed: StoredListEntry = {
      entryId: 'court-2',
      agencyCode: 'ZYFY',
      record: entry({
        subject: {
          key: 'MASKED#4407031988****2315#李四海',
          kind: 'person',
          name: '李四海',
          idNumber: '4407031988****2315',
          flags: [],
        },
      }),
    };
    const path = { identifier: 'name' as const, value: '李四海' };
    const options = { possibleReason: 'the names are identical ("李四海")', checkedName: '李 四海' };
    // Act
    const [masked] = listHits([listed], path, '2026-06-01', { ...options, reveal: false });
    const [full] = listHits([listed], path, '2026-06-01', { ...options, reveal: true });
    // Assess
    expect(masked).toMatchObject({
      matchedBy: { identifier: 'name', value: '李**' },
      possibleReason: 'the names are identical ("李**")',
      subjectKey: 'MASKED#4407031988****2315',
    });
    expect(masked!.explanation).toContain('the name 李** possibly identifies 李**');
    expect(JSON.stringify(masked)).not.toContain('四海');
    expect(full!.matchedBy.value).toBe('李四海');
    expect(full!.explanation).toContain('identifies 李四海');
  });

  it('returns nothing for an entry out of effect', () => {
    expect(listHits([stored], { identifier: 'uscc', value: codes.companyUscc }, '2030-01-01')).toEqual([]);
  });
});

describe('Function: diffHits', () => {
  it('lists the hits that started and ended', () => {
    expect(diffHits(['a', 'b'], ['b', 'c'])).toEqual({ started: ['c'], ended: ['a'] });
  });

  it('finds no change between equal snapshots, so a redelivered message alerts nobody', () => {
    expect(diffHits(['a'], ['a'])).toEqual({ started: [], ended: [] });
  });
});

describe('Function: listHits (reference data, possible hits, masking)', () => {
  const listTypes = new Map([['HMD-SW-ZDSSWF', { name: '重大税收违法失信主体', nature: '黑名单' as const }]]);
  const personEntry: StoredListEntry = {
    entryId: 'p1',
    agencyCode: 'ZYFY',
    record: entry({
      subject: {
        key: `ID#${codes.personId}`,
        kind: 'person',
        name: '王小明',
        idNumber: codes.personId,
        flags: [],
      },
    }),
  };

  it('names the list type and tells red from black when the catalogue knows it', () => {
    const [hit] = listHits(
      [{ entryId: 'e1', agencyCode: 'SWJ', record: entry() }],
      { identifier: 'uscc', value: codes.companyUscc },
      '2026-11-24',
      { listTypes },
    );
    expect(hit).toMatchObject({ listTypeName: '重大税收违法失信主体', listNature: 'black' });
    expect(hit!.explanation).toContain('HMD-SW-ZDSSWF 重大税收违法失信主体 (黑名单)');
  });

  it('masks a listed person everywhere in the hit unless revealed', () => {
    const path = { identifier: 'resident-id' as const, value: codes.personId };
    const [masked] = listHits([personEntry], path, '2026-11-24', { reveal: false });
    expect(JSON.stringify(masked)).not.toContain(codes.personId);
    expect(JSON.stringify(masked)).not.toContain('王小明');
    expect(masked).toMatchObject({
      subjectKey: 'ID#4407021975****4129',
      matchedBy: { value: '4407021975****4129' },
    });
    const [full] = listHits([personEntry], path, '2026-11-24', { reveal: true });
    expect(full!.explanation).toContain(`身份证号码 ${codes.personId} identifies 王小明`);
  });

  it('marks name-only matches possible, with their reason', () => {
    const [hit] = listHits(
      [{ entryId: 'e1', agencyCode: 'SWJ', record: entry() }],
      { identifier: 'name', value: '江门市鸿运建材有限公司' },
      '2026-11-24',
      { possibleReason: 'same name once normalised' },
    );
    expect(hit).toMatchObject({ status: 'possible', possibleReason: 'same name once normalised' });
    expect(hit!.explanation).toContain('possibly identifies');
  });

  it('masks the masked-ID key of a court entry down to the published masked ID', () => {
    const subject = {
      key: 'MASKED#4407021975****4129#王小明',
      kind: 'person' as const,
      name: '王小明',
      idNumber: '4407021975****4129',
      flags: [],
    };
    expect(displaySubjectKey(subject, false)).toBe('MASKED#4407021975****4129');
  });
});

describe('Function: viewOfSubject', () => {
  it('reads list-like items of other datasets as list entries and leaves withdrawn records out', () => {
    const view = viewOfSubject([
      { type: 'court-dishonest', entryId: 'c1', record: { ...entry(), dataset: 'court-dishonest' } },
      { type: 'admin-penalty', recordId: 'r1', status: 'withdrawn', record: { subject: entry().subject } },
      { type: 'admin-penalty', recordId: 'r2', status: 'active', record: { subject: entry().subject } },
      {
        type: 'admin-penalty',
        recordId: 'r3',
        displayStatus: 'hidden',
        record: { subject: entry().subject },
      },
      { type: 'watch', status: 'open' },
    ]);
    expect(view.listEntries.map((item) => item.entryId)).toEqual(['c1']);
    expect(view.penalties.map((item) => item.recordId)).toEqual(['r2']);
  });
});
