import { describe, expect, it } from 'vitest';
import { auditDays } from '#lib/audit/personal-data-log';
import { auditItem } from '#lib/aws/check-store';
import { keys } from '#lib/aws/items/keys';
import { addCalendarDays } from '#lib/calendar/calendar';
import { addWorkingDays } from '#lib/calendar/working-days';
import { fixedClock, shanghaiDateOfInstant } from '#lib/clock/clock';
import type { CreditRecord } from '#lib/datasets/index';
import { previousMonthPeriod, quarterlyPeriods } from '#lib/deadlines/rules';
import { assessTimeliness } from '#lib/ingest/timeliness';
import { isRecordInDisplay } from '#lib/matching/screen';

/**
 * Business dates are Shanghai days (UTC+8, no daylight saving): an instant at 16:00 UTC or later is
 * already the next day. Every date-sensitive path must agree on that at the boundaries.
 */
const boundaries = [
  { name: '15:59 UTC is still the same day in Shanghai', at: '2026-12-01T15:59:00Z', today: '2026-12-01' },
  { name: '16:01 UTC is the next day in Shanghai', at: '2026-12-01T16:01:00Z', today: '2026-12-02' },
  { name: 'last day of a month', at: '2026-11-30T15:59:59Z', today: '2026-11-30' },
  { name: 'first day of a month', at: '2026-11-30T16:01:00Z', today: '2026-12-01' },
  { name: 'last day of a quarter', at: '2026-09-30T15:59:00Z', today: '2026-09-30' },
  { name: 'first day of a quarter', at: '2026-09-30T16:01:00Z', today: '2026-10-01' },
  { name: 'last day of a year', at: '2025-12-31T15:59:00Z', today: '2025-12-31' },
  { name: 'first day of a year', at: '2025-12-31T16:01:00Z', today: '2026-01-01' },
  { name: '29 February', at: '2024-02-28T16:01:00Z', today: '2024-02-29' },
  { name: 'the day after 29 February', at: '2024-02-29T16:01:00Z', today: '2024-03-01' },
] as const;

/** A penalty decided so that its 7-working-day deadline ends on `dueDate` (a working day). */
function penaltyDueOn(dueDate: string): CreditRecord {
  let decisionDate = addCalendarDays(dueDate, -7);
  while (addWorkingDays(decisionDate, 7) < dueDate) decisionDate = addCalendarDays(decisionDate, 1);
  while (addWorkingDays(decisionDate, 7) > dueDate) decisionDate = addCalendarDays(decisionDate, -1);
  expect(addWorkingDays(decisionDate, 7)).toBe(dueDate);
  return { dataset: 'admin-penalty', decisionDate } as unknown as CreditRecord;
}

describe('Business dates at the Shanghai day boundaries', () => {
  describe.each(boundaries)('$name ($at)', ({ at, today }) => {
    const clock = fixedClock(at);

    it('the clock gives the Shanghai day, and the instant it was built from', () => {
      expect(clock.today()).toBe(today);
      expect(clock.now().toISOString()).toBe(new Date(at).toISOString());
      expect(shanghaiDateOfInstant(at)).toBe(today);
    });

    it('files a read of personal data under the Shanghai day, which an audit query for that day finds', () => {
      const item = auditItem({
        at: clock.now().toISOString(),
        agencyCode: 'SCJG',
        keyId: 'key-1',
        roles: ['auditor'],
        action: 'read-subject',
        subject: '4407021975****4129',
        subjectRef: 'sub-1',
        purpose: null,
        fullView: false,
      });
      expect(item.pk).toBe(keys.auditDay(today));
      expect(auditDays(today, today)).toEqual([today]);
    });

    it('covers the Shanghai day before the run date in the deadlines run', () => {
      const runDate = shanghaiDateOfInstant(at);
      expect(runDate).toBe(today);
      expect(addCalendarDays(runDate, -1)).toBe(addCalendarDays(today, -1));
    });

    it('asks for the monthly report of the month before the Shanghai month', () => {
      const period = previousMonthPeriod(clock.today(), 10);
      const month = Number(today.slice(5, 7));
      const year = Number(today.slice(0, 4));
      const expected = month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
      expect(period).toEqual({ period: expected, dueDate: `${today.slice(0, 7)}-10` });
    });

    it('asks for the reports of the Shanghai quarter and the one before', () => {
      const [previous, current] = quarterlyPeriods(clock.today(), 20);
      const quarter = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
      expect(current?.period).toBe(`${today.slice(0, 4)}-Q${quarter}`);
      expect(previous?.period).toBe(
        quarter === 1 ? `${Number(today.slice(0, 4)) - 1}-Q4` : `${today.slice(0, 4)}-Q${quarter - 1}`,
      );
    });

    it('keeps a record in display through its last Shanghai day and not a day longer', () => {
      const lastDay = { displayUntil: today } as Parameters<typeof isRecordInDisplay>[0];
      const endedYesterday = { displayUntil: addCalendarDays(today, -1) } as typeof lastDay;
      expect(isRecordInDisplay(lastDay, clock.today())).toBe(true);
      expect(isRecordInDisplay(endedYesterday, clock.today())).toBe(false);
    });
  });

  it('judges a 双公示 record received at 15:59 UTC on its due day on time, and at 16:01 UTC late', () => {
    const record = penaltyDueOn('2026-12-01');
    expect(assessTimeliness(record, shanghaiDateOfInstant('2026-12-01T15:59:00Z'), 'SCJG')).toMatchObject({
      dueDate: '2026-12-01',
      late: false,
      timeliness: 'on-time',
    });
    expect(assessTimeliness(record, shanghaiDateOfInstant('2026-12-01T16:01:00Z'), 'SCJG')).toMatchObject({
      dueDate: '2026-12-01',
      late: true,
      timeliness: 'late',
    });
  });

  it('judges lateness across a year end and a 29 February by the Shanghai day', () => {
    const yearEnd = penaltyDueOn('2025-12-31');
    expect(assessTimeliness(yearEnd, shanghaiDateOfInstant('2025-12-31T15:59:00Z'), 'SCJG').late).toBe(false);
    expect(assessTimeliness(yearEnd, shanghaiDateOfInstant('2025-12-31T16:01:00Z'), 'SCJG').late).toBe(true);
    const leapDay = penaltyDueOn('2024-02-29');
    expect(assessTimeliness(leapDay, shanghaiDateOfInstant('2024-02-29T15:59:00Z'), 'SCJG').late).toBe(false);
    expect(assessTimeliness(leapDay, shanghaiDateOfInstant('2024-02-29T16:01:00Z'), 'SCJG').late).toBe(true);
  });

  it('gives an audit query over a month end and a leap day every Shanghai day once', () => {
    expect(auditDays('2024-02-28', '2024-03-01')).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(auditDays('2025-12-31', '2026-01-01')).toEqual(['2025-12-31', '2026-01-01']);
  });
});
