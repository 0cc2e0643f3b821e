import { describe, expect, it } from 'vitest';
import { performanceStates } from '#lib/datasets/court-dishonest';
import { codes, courtHeader, courtRow, csv } from '#test/support/csv-fixtures';
import { ingestText } from './support';

const one = (
  overrides: Partial<Record<string, string>> = {},
  extra: { header: string; value: string }[] = [],
) =>
  ingestText(
    'court-dishonest',
    csv([
      [...courtHeader, ...extra.map((e) => e.header)],
      [...courtRow(overrides), ...extra.map((e) => e.value)],
    ]),
  );

describe('Dataset: court-dishonest (失信被执行人)', () => {
  it('accepts a masked person ID as published, flagged, keyed by masked ID and name', async () => {
    const { outcome, record } = await one();
    expect(outcome.counts.accepted).toBe(1);
    expect(outcome.flaggedRows).toEqual([{ row: 2, flags: ['ID_MASKED_UNVERIFIED'] }]);
    expect(record).toMatchObject({
      dataset: 'court-dishonest',
      subject: { key: 'MASKED#4407021975****4129#王小明', kind: 'person', idNumber: '4407021975****4129' },
      listTypeCode: 'COURT-SXBZXR',
      decidingDepartment: '江门市蓬江区人民法院',
      listedOn: '2026-03-02',
      // art. 1 item 1 (有履行能力而拒不履行): in effect until performance or removal, no fixed end
      validUntil: null,
      periodRule: 'until-performance',
      grounds: [1],
      reason: '有履行能力而拒不履行生效法律文书确定义务',
      basis: '（2025）粤0703民初1234号（江门市蓬江区人民法院）',
      caseNumber: '（2026）粤0703执567号',
      filedOn: '2026-01-05',
      performance: '全部未履行',
      agencyCode: 'SCJG',
    });
  });

  it('identifies organisations by USCC or organisation code, with the legal representative', async () => {
    const byUscc = await one({
      '被执行人姓名/名称': '江门市鸿运建材有限公司',
      '身份证号码/组织机构代码': codes.companyUscc,
      法定代表人或负责人: '李建国',
    });
    expect(byUscc.record).toMatchObject({
      subject: { key: `USCC#${codes.companyUscc}`, kind: 'organisation', organisationCode: 'MA4W12346' },
      legalRepresentative: { name: '李建国' },
    });
    const byOrg = await one({
      '被执行人姓名/名称': '江门市鸿运建材有限公司',
      '身份证号码/组织机构代码': 'MA4W1234-6',
    });
    expect(byOrg.record?.subject).toMatchObject({ key: 'ORG#MA4W12346', organisationCode: 'MA4W12346' });
  });

  it('validates a full resident ID when the court publishes one', async () => {
    const valid = await one({ '身份证号码/组织机构代码': codes.personId });
    expect(valid.record?.subject).toMatchObject({ key: `ID#${codes.personId}` });
    const invalid = await one({ '身份证号码/组织机构代码': '440702197506204128' });
    expect(invalid.outcome.rejectedRows[0]!.issues[0]).toMatchObject({
      field: '身份证号码/组织机构代码',
      code: 'ID_CHECK_CHARACTER',
    });
  });

  it('rejects a malformed masked ID and a code of the wrong length', async () => {
    const masked = await one({ '身份证号码/组织机构代码': '****' });
    expect(masked.outcome.rejectedRows[0]!.issues).toMatchObject([{ code: 'MASKED_ID_FORMAT' }]);
    const wrong = await one({ '身份证号码/组织机构代码': '12345' });
    expect(wrong.outcome.rejectedRows[0]!.issues).toMatchObject([{ code: 'SUBJECT_CODE_FORMAT' }]);
  });

  it('uses the given end of listing and removal date', async () => {
    const { record } = await one({}, [
      { header: '有效期至', value: '2099/12/31' },
      { header: '移出日期', value: '2026/10/01' },
    ]);
    // In effect through the day before 移出日期.
    expect(record).toMatchObject({ validUntil: '2026-09-30', removedOn: '2026-10-01' });
  });

  describe('the period of a listing by its ground (法释〔2017〕7号, config/court-dishonest-grounds.json)', () => {
    const obstruction = '以伪造证据、暴力、威胁等方法妨碍、抗拒执行';

    it('keeps an item-1 listing published 2024-03-01 without 有效期至 in effect on 2026-03-01 and after', async () => {
      const { record } = await one({ 发布时间: '2024/03/01', 立案时间: '2024/01/05' });
      expect(record).toMatchObject({
        listedOn: '2024-03-01',
        validUntil: null,
        periodRule: 'until-performance',
      });
    });

    it('ends an item-2 listing after the fixed 2 years, by 民法典 art. 202: 2024-02-29 → 2026-02-28', async () => {
      const { record } = await one({
        发布时间: '2024/02/29',
        立案时间: '2024/01/05',
        失信被执行人行为具体情形: obstruction,
      });
      expect(record).toMatchObject({ validUntil: '2026-02-28', periodRule: 'fixed', grounds: [2] });
    });

    it('rejects 有效期至 2099/12/31 for a ground capped at 2 + 3 years', async () => {
      const { outcome } = await one({ 失信被执行人行为具体情形: obstruction }, [
        { header: '有效期至', value: '2099/12/31' },
      ]);
      expect(outcome.rejectedRows[0]!.issues).toMatchObject([
        { field: '有效期至', code: 'VALID_UNTIL_BEYOND_CAP' },
      ]);
    });

    it('accepts an extension within the cap', async () => {
      const { record } = await one({ 失信被执行人行为具体情形: obstruction }, [
        { header: '有效期至', value: '2030/03/02' },
      ]);
      expect(record).toMatchObject({ validUntil: '2030-03-02', listingCap: '2031-03-02' });
    });

    it('flags 全部履行 without 移出日期 and ends the listing at the removal deadline (working days)', async () => {
      const { record, outcome } = await one({ 被执行人的履行情况: '全部履行' });
      expect(outcome.flaggedRows[0]?.flags).toContain('PERFORMED_NOT_REMOVED');
      expect(record!.removalDueBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(record!.validUntil).toBe(record!.removalDueBy);
    });

    it('counts the removal deadline from the first arrival of 全部履行: a re-sent list does not restart it', async () => {
      // Today is Tue 2026-11-24 (the row context): alone, 3 working days end Fri 11-27. Stored as
      // 全部履行 since Wed 11-18: Thu 19, Fri 20, Mon 23.
      const body = csv([courtHeader, courtRow({ 被执行人的履行情况: '全部履行' })]);
      const alone = await ingestText('court-dishonest', body);
      const resent = await ingestText('court-dishonest', body, {
        priorRemovalStarts: async (rows) => new Map([[rows[0]!.businessKey, '2026-11-18']]),
      });
      expect(alone.record).toMatchObject({ removalFrom: '2026-11-24', removalDueBy: '2026-11-27' });
      expect(resent.record).toMatchObject({
        removalFrom: '2026-11-18',
        removalDueBy: '2026-11-23',
        validUntil: '2026-11-23',
      });
    });
  });

  it('rejects publication before filing, publication in the future and removal before publication', async () => {
    const early = await one({ 发布时间: '2025/12/31' });
    expect(early.outcome.rejectedRows[0]!.issues).toMatchObject([{ field: '发布时间', code: 'DATE_ORDER' }]);
    const future = await one({ 发布时间: '2026/12/01' });
    expect(future.outcome.rejectedRows[0]!.issues).toMatchObject([
      { field: '发布时间', code: 'DATE_IN_FUTURE' },
    ]);
    const removal = await one({}, [{ header: '移出日期', value: '2026/03/01' }]);
    expect(removal.outcome.rejectedRows[0]!.issues).toMatchObject([
      { field: '移出日期', code: 'DATE_ORDER' },
    ]);
  });

  it.each(performanceStates)('accepts 履行情况 %s', async (state) => {
    expect((await one({ 被执行人的履行情况: state })).record?.performance).toBe(state);
  });

  it('rejects an unknown 履行情况', async () => {
    const { outcome } = await one({ 被执行人的履行情况: '已履行' });
    expect(outcome.rejectedRows[0]!.issues).toMatchObject([{ field: '被执行人的履行情况', code: 'ENUM' }]);
  });

  it('treats the same court and case number for the same subject as one entry', async () => {
    const { outcome, stored } = await ingestText(
      'court-dishonest',
      csv([courtHeader, courtRow(), courtRow({ 生效法律文书确定的义务: '另一描述' })]),
    );
    expect(stored).toHaveLength(1);
    expect(outcome.duplicateRows).toEqual([{ row: 3, duplicateOf: 2 }]);
  });
});
