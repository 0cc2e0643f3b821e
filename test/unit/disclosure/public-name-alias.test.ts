import { describe, expect, it } from 'vitest';
import { itemsForRow } from '#lib/aws/items/items';
import { orgNameAliasOf } from '#lib/aws/items/name-alias';
import { nameKey } from '#lib/identifiers/subject-names';
import {
  codeMappingHeader,
  codeMappingRow,
  codes,
  csv,
  licenceHeader,
  licenceRow,
  penaltyCsv,
} from '#test/support/csv-fixtures';
import { ingestText } from '../datasets/support';

const provenance = {
  agencyCode: 'SCJG',
  jobId: 'job-1',
  sourceKey: 'incoming/SCJG/admin-penalty/a.csv',
  receivedAt: '2026-11-20T02:00:00.000Z',
  receivedDate: '2026-11-20',
};

const orgNameAliases = (items: readonly Record<string, unknown>[]) =>
  items.filter((item) => String(item.pk).startsWith('ALIAS#ORGNAME#'));

describe('Function: itemsForRow — the public search name index (ALIAS#ORGNAME)', () => {
  it('leads from the normalised name of a company in a licence or penalty to its subject', async () => {
    const { stored: licences } = await ingestText('admin-license', csv([licenceHeader, licenceRow()]));
    const { stored: penalties } = await ingestText('admin-penalty', penaltyCsv([{}]));
    for (const row of [licences[0]!, penalties[0]!]) {
      expect(orgNameAliases(itemsForRow(row, provenance))).toEqual([
        {
          pk: `ALIAS#ORGNAME#${nameKey('江门市鸿运建材有限公司')}`,
          sk: `SUBJECT#USCC#${codes.companyUscc}`,
          type: 'alias',
          subjectKey: `USCC#${codes.companyUscc}`,
        },
      ]);
    }
  });

  it('never indexes a natural person, and leaves code mappings alone', async () => {
    const { stored: person } = await ingestText(
      'admin-penalty',
      penaltyCsv([
        {
          CF_XDR_MC: '王丽华',
          CF_XDR_LB: '自然人',
          CF_XDR_SHXYM: '',
          CF_XDR_ZJLX: '身份证',
          CF_XDR_ZJHM: codes.personId,
        },
      ]),
    );
    const { stored: mapping } = await ingestText('code-mapping', csv([codeMappingHeader, codeMappingRow()]));
    expect(orgNameAliases(itemsForRow(person[0]!, provenance))).toEqual([]);
    expect(orgNameAliases(itemsForRow(mapping[0]!, provenance))).toEqual([]);
  });
});

describe('Function: orgNameAliasOf — the backfill of the name index', () => {
  it('derives from a stored record item exactly the alias ingestion writes beside it, and none for persons', async () => {
    // Prepare
    const { stored: licences } = await ingestText('admin-license', csv([licenceHeader, licenceRow()]));
    const { stored: penalties } = await ingestText(
      'admin-penalty',
      penaltyCsv([
        {},
        {
          CF_WSH: 'PERSON-1',
          CF_XDR_MC: '王丽华',
          CF_XDR_LB: '自然人',
          CF_XDR_SHXYM: '',
          CF_XDR_ZJLX: '身份证',
          CF_XDR_ZJHM: codes.personId,
        },
      ]),
    );
    const rows = [licences[0]!, penalties[0]!, penalties[1]!];
    // Act
    const pairs = rows.map((row) => {
      const items = itemsForRow(row, provenance);
      const recordItem = items.find((item) => item.sk.startsWith('RECORD#'));
      return { written: orgNameAliases(items), derived: recordItem ? orgNameAliasOf(recordItem) : undefined };
    });
    // Assess
    for (const { written, derived } of pairs.slice(0, 2)) expect([derived]).toEqual(written);
    expect(pairs[2]).toEqual({ written: [], derived: null });
  });

  it('ignores items that are not published records: aliases, history versions, code mappings', async () => {
    // Prepare
    const { stored } = await ingestText('admin-penalty', penaltyCsv([{}]));
    const { stored: mapping } = await ingestText('code-mapping', csv([codeMappingHeader, codeMappingRow()]));
    const others = [...itemsForRow(stored[0]!, provenance), ...itemsForRow(mapping[0]!, provenance)].filter(
      (item) => !(item.sk.startsWith('RECORD#') && item.type === 'admin-penalty'),
    );
    // Act
    const derived = others.map(orgNameAliasOf);
    // Assess
    expect(others.length).toBeGreaterThan(3);
    expect(derived.every((alias) => alias === null)).toBe(true);
  });
});
