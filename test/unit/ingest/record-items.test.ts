import { describe, expect, it } from 'vitest';
import { itemsForRow, priorArrivalsFrom, priorRemovalStartsFrom, recordItemKey } from '#lib/aws/items/items';
import {
  codeMappingHeader,
  codeMappingRow,
  codes,
  courtHeader,
  courtRow,
  csv,
  licenceHeader,
  licenceRow,
} from '#test/support/csv-fixtures';
import { ingestText } from '../datasets/support';

const provenance = {
  agencyCode: 'SCJG',
  jobId: 'job-1',
  sourceKey: 'incoming/SCJG/admin-license/a.csv',
  receivedAt: '2026-11-20T02:00:00.000Z',
  receivedDate: '2026-11-20',
};

describe('Function: itemsForRow', () => {
  it('writes a licence as its current version plus a history item keyed by job and row', async () => {
    const { stored } = await ingestText('admin-license', csv([licenceHeader, licenceRow()]));
    const items = itemsForRow(stored[0]!, provenance);
    const [current, version] = items;
    expect(current).toMatchObject({
      pk: `SUBJECT#USCC#${codes.companyUscc}`,
      sk: expect.stringMatching(/^RECORD#admin-license#[0-9a-f]{24}$/),
      type: 'admin-license',
      status: 'active',
      receivedAt: provenance.receivedAt,
      firstReceivedAt: provenance.receivedAt,
      firstReceivedDate: '2026-11-20',
      lastReceivedAt: provenance.receivedAt,
      dueDate: '2026-11-23',
      late: false,
    });
    expect(version).toMatchObject({
      pk: current!.pk,
      sk: `HISTORY#admin-license#${current!.recordId}#${provenance.receivedAt}#job-1#000000002`,
      type: 'record-version',
      status: 'active',
    });
    // Redelivery writes the same items.
    expect(itemsForRow(stored[0]!, provenance)).toEqual(items);
    expect(items.map((item) => item.pk)).toContain('ALIAS#ORG#MA4W12346');
    expect(items.map((item) => item.pk)).toContain(`ALIAS#LEGALREP#${codes.legalRepId}`);
  });

  it('keeps the first arrival on a correction and marks a withdrawal', async () => {
    const { stored } = await ingestText('admin-license', csv([licenceHeader, licenceRow({ XK_ZT: '2' })]));
    const first = { receivedAt: '2026-11-18T02:00:00.000Z', receivedDate: '2026-11-18' };
    const later = {
      ...provenance,
      jobId: 'job-2',
      receivedAt: '2026-11-30T02:00:00.000Z',
      receivedDate: '2026-11-30',
    };
    const [current, version] = itemsForRow({ ...stored[0]!, firstArrival: first }, later);
    expect(current).toMatchObject({
      status: 'withdrawn',
      receivedAt: first.receivedAt,
      firstReceivedAt: first.receivedAt,
      lastReceivedAt: later.receivedAt,
    });
    expect(version!.sk).toContain('#2026-11-30T02:00:00.000Z#job-2#');
  });

  it('stores a court entry as a list entry of type COURT-SXBZXR with a masked-ID alias', async () => {
    // A ground of art. 1 items 2–6 runs 2 years from 发布时间, so the entry is indexed to expire.
    const fixedPeriod = courtRow({ 失信被执行人行为具体情形: '以伪造证据、暴力、威胁等方法妨碍、抗拒执行' });
    const { stored } = await ingestText('court-dishonest', csv([courtHeader, fixedPeriod]));
    const items = itemsForRow(stored[0]!, provenance);
    expect(items[0]).toMatchObject({
      pk: 'SUBJECT#MASKED#4407021975****4129#王小明',
      sk: expect.stringMatching(/^LIST#COURT-SXBZXR#/),
      type: 'list-entry',
      dataset: 'court-dishonest',
      gsi2pk: 'EXPIRES#2028-03-02',
    });
    expect(items[1]).toMatchObject({
      pk: 'ALIAS#MASKEDID#4407021975****4129',
      sk: 'SUBJECT#MASKED#4407021975****4129#王小明',
      name: '王小明',
    });
  });

  it('does not index an item-1 court entry (until performance) to expire', async () => {
    const { stored } = await ingestText('court-dishonest', csv([courtHeader, courtRow()]));
    expect(itemsForRow(stored[0]!, provenance)[0]).not.toHaveProperty('gsi2pk');
  });

  it('writes code-mapping aliases from every legacy code to the USCC subject', async () => {
    const { stored } = await ingestText('code-mapping', csv([codeMappingHeader, codeMappingRow()]));
    const items = itemsForRow(stored[0]!, provenance);
    const target = `SUBJECT#USCC#${codes.otherCompanyUscc}`;
    expect(items.filter((item) => item.type === 'alias').map((item) => [item.pk, item.sk])).toEqual([
      ['ALIAS#ORG#MA51K2Q82', target],
      ['ALIAS#REG#440703000001230', target],
      ['ALIAS#TAX#440704MA51K2Q82', target],
    ]);
  });
});

describe('Function: priorArrivalsFrom', () => {
  it('reads the first arrival of stored record items by their keys', async () => {
    const { stored } = await ingestText('admin-license', csv([licenceHeader, licenceRow()]));
    const key = recordItemKey(stored[0]!)!;
    const asked: unknown[] = [];
    const lookup = priorArrivalsFrom(async (keys) => {
      asked.push(...keys);
      return [{ ...key, firstReceivedAt: '2026-11-18T02:00:00.000Z', firstReceivedDate: '2026-11-18' }];
    });
    const found = await lookup(stored);
    expect(asked).toEqual([key]);
    expect(found.get(stored[0]!.businessKey)).toEqual({
      receivedAt: '2026-11-18T02:00:00.000Z',
      receivedDate: '2026-11-18',
    });
  });
});

describe('Function: priorRemovalStartsFrom', () => {
  /** Two court rows: one marked 全部履行 (its removal clock runs), one not performed. */
  async function courtRows() {
    const { stored } = await ingestText(
      'court-dishonest',
      csv([
        courtHeader,
        courtRow({ 被执行人的履行情况: '全部履行' }),
        courtRow({
          '被执行人姓名/名称': '江门市鸿运建材有限公司',
          '身份证号码/组织机构代码': codes.companyUscc,
          被执行人的履行情况: '全部未履行',
        }),
      ]),
    );
    return stored;
  }

  it('reads the removal start of an entry stored as 全部履行 without 移出日期, asking only for 全部履行 rows', async () => {
    const stored = await courtRows();
    const asked: { pk: string; sk: string }[] = [];
    const lookup = priorRemovalStartsFrom(async (keys) => {
      asked.push(...keys);
      return keys.map((key) => ({ ...key, record: { removalFrom: '2026-11-18', performance: '全部履行' } }));
    });
    const found = await lookup(stored);
    expect(asked).toHaveLength(1);
    expect(asked[0]?.sk).toMatch(/^LIST#COURT-SXBZXR#/);
    expect([...found]).toEqual([[stored[0]!.businessKey, '2026-11-18']]);
  });

  it('ignores a stored entry the court has since removed, or one stored as not performed', async () => {
    const stored = await courtRows();
    const removed = priorRemovalStartsFrom(async (keys) =>
      keys.map((key) => ({
        ...key,
        record: { removalFrom: '2026-11-18', performance: '全部履行', removedOn: '2026-11-20' },
      })),
    );
    const notPerformed = priorRemovalStartsFrom(async (keys) =>
      keys.map((key) => ({ ...key, record: { performance: '部分未履行' } })),
    );
    expect((await removed(stored)).size).toBe(0);
    expect((await notPerformed(stored)).size).toBe(0);
  });
});
