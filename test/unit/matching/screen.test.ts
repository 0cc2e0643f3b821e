import { describe, expect, it } from 'vitest';
import type { ListEntryRecord } from '../../../lib/datasets';
import { diffHits } from '../../../lib/matching/rescreen';
import { isEntryInEffect, listHits, type StoredListEntry } from '../../../lib/matching/screen';
import { codes } from '../../support/csv-fixtures';

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
