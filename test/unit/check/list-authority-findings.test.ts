import { describe, expect, it } from 'vitest';
import type { ListEntryRecord } from '#lib/datasets/index';
import type { ListTypeRecord } from '#lib/datasets/reference/index';
import { buildCatalogue } from '#lib/reference/catalogue';
import {
  type ListAuthorityReader,
  listAuthorityFindings,
  type StoredEntryOfListType,
} from '#lib/reference/list-authority';
import { codes } from '#test/support/csv-fixtures';

const listType = (code: string, decidingAgencyCodes: string[]): ListTypeRecord => ({
  dataset: 'list-type',
  code,
  name: `${code} 名单`,
  nature: '黑名单',
  decidingDepartment: '某部门',
  decidingAgencyCodes,
  agencyCode: 'XYB',
});

const entry = (
  entryId: string,
  listTypeCode: string,
  agencyCode: string,
  person = false,
): StoredEntryOfListType => {
  const record: ListEntryRecord = {
    dataset: 'list-entry',
    subject: person
      ? { key: `ID#${codes.personId}`, kind: 'person', name: '王小明', idNumber: codes.personId, flags: [] }
      : { key: `USCC#${codes.companyUscc}`, kind: 'organisation', name: '江门市鸿运建材有限公司', flags: [] },
    listTypeCode,
    basis: '依据',
    decidingDepartment: '江门市中级人民法院',
    listedOn: '2026-06-02',
    validUntil: null,
    reason: '原因',
    agencyCode,
  };
  return { entryId, agencyCode, record };
};

/** The port in memory: every stored entry, filtered as the adapter's key ranges do. */
class InMemoryEntries implements ListAuthorityReader {
  constructor(readonly entries: StoredEntryOfListType[]) {}
  async entriesOutsideAuthority(listTypeCode: string, entitled: readonly string[], limit: number) {
    return this.entries
      .filter((e) => e.record.listTypeCode === listTypeCode && !entitled.includes(e.agencyCode))
      .slice(0, limit);
  }
}

describe('Function: listAuthorityFindings', () => {
  it('reports entries from agencies the list type does not name, persons masked, and list types naming none', async () => {
    const catalogue = buildCatalogue([listType('HMD-FY-SXBZXR', ['ZYFY']), listType('HMD-NOBODY', [])]);
    const reader = new InMemoryEntries([
      entry('e1', 'HMD-FY-SXBZXR', 'ZYFY', true),
      entry('e2', 'HMD-FY-SXBZXR', 'SCJG', true),
      entry('e3', 'HMD-NOBODY', 'SWJ'),
    ]);
    const findings = await listAuthorityFindings(catalogue, reader);
    expect(findings).toEqual({
      listTypesWithoutDecidingAgency: [{ code: 'HMD-NOBODY', name: 'HMD-NOBODY 名单' }],
      entriesFromNonEntitledAgencies: [
        {
          entryId: 'e2',
          listTypeCode: 'HMD-FY-SXBZXR',
          agencyCode: 'SCJG',
          subjectKey: 'ID#4407021975****4129',
          listedOn: '2026-06-02',
          decidingDepartment: '江门市中级人民法院',
        },
        expect.objectContaining({
          entryId: 'e3',
          agencyCode: 'SWJ',
          subjectKey: `USCC#${codes.companyUscc}`,
        }),
      ],
    });
  });

  it('says when a list type had more such entries than it lists', async () => {
    const catalogue = buildCatalogue([listType('HMD-FY-SXBZXR', ['ZYFY'])]);
    const reader = new InMemoryEntries(['a', 'b', 'c'].map((id) => entry(id, 'HMD-FY-SXBZXR', 'SCJG')));
    const findings = await listAuthorityFindings(catalogue, reader, 2);
    expect(findings.entriesFromNonEntitledAgencies.map((e) => e.entryId)).toEqual(['a', 'b']);
    expect(findings.entriesTruncated).toBe(true);
  });
});
