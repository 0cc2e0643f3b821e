import { beforeEach, describe, expect, it } from 'vitest';
import type { StoredCalendarDay } from '#lib/calendar/calendar';
import { clearWorkingCalendarCache } from '#lib/calendar/stored-calendar';
import type { CourtDishonestRecord } from '#lib/datasets/court-dishonest';
import type { DueDateSource } from '#lib/deadlines/due-dates';
import { ingestObject } from '#lib/ingest/ingest-object';
import type { AcceptedRow, RecordProvenance } from '#lib/ingest/types';
import { bucketLayout } from '#lib/platform/resources';
import { notice2027 } from '#test/support/calendar-fixtures';
import { codes, courtHeader, courtRow, csv } from '#test/support/csv-fixtures';
import { InMemoryRecords, inMemoryIngest } from '#test/support/in-memory-ingest';

const court = {
  code: 'ZYFY',
  name: '江门市中级人民法院',
  uscc: '11440700MB2D23451J',
  roles: ['case-officer'],
  datasets: ['court-dishonest'],
};

/** The records as stored, to read the removal deadline ingestion gave them. */
class StoredRecords extends InMemoryRecords {
  readonly rows: AcceptedRow[] = [];
  override async write(rows: readonly AcceptedRow[], provenance: RecordProvenance) {
    this.rows.push(...rows);
    return super.write(rows, provenance);
  }
}

/** A court entry marked 全部履行 without 移出日期 (item 1: no fixed end), received at `now`. */
async function ingestPerformed(now: string, calendarDays: readonly StoredCalendarDay[]) {
  const world = inMemoryIngest({ agencies: [court], now });
  const records = new StoredRecords();
  const deadlineRules: DueDateSource = {
    calendarDays: async () => [...calendarDays],
    ruleOverrides: async () => undefined,
  };
  const key = bucketLayout.incomingKey('ZYFY', 'court-dishonest', 'performed.csv');
  const body = csv([courtHeader, courtRow({ 被执行人的履行情况: '全部履行' })]);
  const { eTag } = world.bucket.put(key, body);
  const result = await ingestObject(
    { ...world.deps, records, deadlineRules },
    { bucket: 'data', key, eTag, size: Buffer.byteLength(body), eventTime: now },
  );
  return { result, record: records.rows[0]?.record as CourtDishonestRecord | undefined };
}

describe('Use case: ingestObject — the court-list removal deadline counts on the one due-date resolver', () => {
  beforeEach(() => clearWorkingCalendarCache());

  it('skips 国庆 on the calendar: received 2026-09-29, 3 working days end 2026-10-09', async () => {
    // 09-30 is day 1; 10-01…10-07 are off (国庆/中秋); 10-08 day 2, 10-09 day 3.
    const { record } = await ingestPerformed('2026-09-29T02:00:00.000Z', []);
    expect(record).toMatchObject({ removalDueBy: '2026-10-09', validUntil: '2026-10-09' });
  });

  it("counts on the credit office's stored 2027: received 2026-12-29, 元旦 skipped → 2027-01-04", async () => {
    // 12-30 day 1, 12-31 day 2, 2027-01-01…03 off (stored notice), 01-04 day 3.
    const { record } = await ingestPerformed('2026-12-29T02:00:00.000Z', notice2027);
    expect(record).toMatchObject({ removalDueBy: '2027-01-04', validUntil: '2027-01-04' });
  });

  it('leaves the deadline pending, not overdue, while 2027 has no calendar', async () => {
    const { record, result } = await ingestPerformed('2026-12-29T02:00:00.000Z', []);
    // Item 1 has no fixed end and no removal date could be computed: the entry stays in effect.
    expect(record).toMatchObject({ removalDueBy: null, validUntil: null });
    expect(JSON.stringify(result)).not.toContain('2027-01-0');
  });
});

describe('Use case: ingestObject — the court subjects queued for re-screening', () => {
  it('queues a company listed by its USCC as a list-entry change, and a person listed by masked ID as a masked-subject change', async () => {
    // Prepare: a person published with a masked ID (matched to watched persons by the match function), and a company with its USCC
    const world = inMemoryIngest({ agencies: [court], now: '2026-11-20T02:00:00.000Z' });
    const key = bucketLayout.incomingKey('ZYFY', 'court-dishonest', 'mixed.csv');
    const body = csv([
      courtHeader,
      courtRow(),
      courtRow({
        '被执行人姓名/名称': '江门市鸿运建材有限公司',
        '身份证号码/组织机构代码': codes.companyUscc,
        案号: '（2026）粤0703执568号',
      }),
    ]);
    const { eTag } = world.bucket.put(key, body);
    // Act
    const result = await ingestObject(world.deps, {
      bucket: 'data',
      key,
      eTag,
      size: Buffer.byteLength(body),
      eventTime: '2026-11-20T02:00:00.000Z',
    });
    // Assess
    expect(result).toMatchObject({ status: 'ingested' });
    expect(world.subjects.sent).toHaveLength(2);
    expect(world.subjects.sent).toEqual(
      expect.arrayContaining([
        {
          kind: 'masked-subject-changed',
          subjectKey: 'MASKED#4407021975****4129#王小明',
          cause: 'list-entry',
          sourceKey: key,
        },
        {
          kind: 'subject-changed',
          subjectKey: `USCC#${codes.companyUscc}`,
          cause: 'list-entry',
          sourceKey: key,
        },
      ]),
    );
  });
});
