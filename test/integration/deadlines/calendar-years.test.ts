import { readFileSync } from 'node:fs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { addCalendarDays, packageCalendar } from '#lib/calendar/calendar';
import { statutoryHolidays } from '#lib/calendar/statutory-holidays';
import type { StoredCalendarDay } from '#lib/calendar/types';
import { toShanghaiDate } from '#lib/calendar/working-days';
import { codes, penaltyCsv } from '#test/support/csv-fixtures';
import { ingestFile, registerAgency, subjectPartition } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';

const stack = useLocalStack();

// biome-ignore lint/suspicious/noExplicitAny: API answers and reports are read as loose JSON
type Json = Record<string, any>;

const today = toShanghaiDate(new Date());
const runDate = addCalendarDays(today, 1);
const scheduledEvent = JSON.parse(
  readFileSync(new URL('../../../events/deadlines/scheduled.json', import.meta.url), 'utf8'),
);
/** The scheduled event of tomorrow's 01:30 Asia/Shanghai run (17:30 UTC today): it covers today. */
const runEvent = { ...scheduledEvent, time: `${today}T17:30:00Z` };

async function call(apiKey: string, method: string, path: string, body?: unknown) {
  const response = await stack().api.request(method, path, {
    headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: JSON.parse(response.body) as Json };
}

const slashed = (date: string) => date.replaceAll('-', '/');

/** Next year has no calendar in the package yet; the credit office stores its notice. */
const pendingYear = Number(today.slice(0, 4)) + 1;
const statutoryDays = statutoryHolidays(pendingYear)?.holidays ?? [];
/** A whole notice for the pending year: exactly the statutory days off of the rule in force. */
const pendingYearNotice: StoredCalendarDay[] = statutoryDays.flatMap((holiday) =>
  holiday.dates.map((date) => ({ date, kind: 'holiday' as const, name: holiday.name })),
);
const dragonBoatDates = statutoryDays.find((holiday) => holiday.name === '端午节')?.dates ?? [];

async function penaltyItem(documentNumber: string): Promise<Json | undefined> {
  const items = await subjectPartition(stack(), `USCC#${codes.companyUscc}`);
  return items.find(
    (item) => String(item.sk).startsWith('RECORD#') && item.record?.documentNumber === documentNumber,
  );
}

const SWJ_USCC = '11440700MB2C123480';

let office = '';
let scjg = '';
let swj = '';

describe('Calendar years, the due-date resolver and pending-calendar records', () => {
  it('refuses a partial year with the missing holidays named, and merges a correction only when asked', async () => {
    // Prepare
    office = await registerAgency(stack(), 'XYB', codes.agencyUscc, ['credit-office', 'case-officer']);
    // Act: only 元旦 and 国庆 for 2026 (the package's 春节 would turn into working days)
    const partial = await call(office, 'PUT', '/v1/calendar/years/2026', {
      days: [
        { date: '2026-01-01', kind: 'holiday', name: '元旦' },
        { date: '2026-10-01', kind: 'holiday', name: '国庆节' },
      ],
    });
    const afterRefusal = await call(office, 'GET', '/v1/calendar/due-date?from=2026-02-13&workingDays=2');
    const merged = await call(office, 'PUT', '/v1/calendar/years/2026', {
      mode: 'merge',
      days: [{ date: '2026-03-02', kind: 'holiday', name: '地方调整' }],
    });
    const afterMerge = await call(office, 'GET', '/v1/calendar/due-date?from=2026-03-01&workingDays=1');
    const acrossSpringFestival = await call(
      office,
      'GET',
      '/v1/calendar/due-date?from=2026-02-13&workingDays=2',
    );
    // Assess
    expect(partial.status).toBe(422);
    expect(partial.body.code).toBe('CALENDAR_YEAR_INCOMPLETE');
    expect(partial.body.detail).toContain('春节 (2026-02-16, 2026-02-17, 2026-02-18, 2026-02-19)');
    expect(partial.body.errors.map((error: Json) => error.reason)).toContain(
      '劳动节: 2026-05-01, 2026-05-02 not given as days off',
    );
    // 2026-02-14 is a worked Saturday, 02-15…23 the 春节 holiday: the package year still stands
    expect(afterRefusal.body).toMatchObject({
      dueDate: '2026-02-24',
      calendar: [{ year: 2026, source: 'package' }],
    });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ year: 2026, mode: 'merge', source: 'stored' });
    expect(afterMerge.body).toMatchObject({
      dueDate: '2026-03-03',
      calendar: [{ year: 2026, source: 'stored' }],
    });
    expect(acrossSpringFestival.body.dueDate).toBe('2026-02-24');
  });

  it('judges the late flag at ingestion with the region override GET /v1/calendar/due-date uses', async () => {
    // Prepare: SCJG is in 江门 (440700), whose penalties are due in 3 working days
    scjg = await registerAgency(stack(), 'SCJG');
    const rules = await call(office, 'PUT', '/v1/deadlines/rules', {
      regions: {
        '440700': { datasets: { 'admin-penalty': { workingDays: 3 } } },
        '440703': { datasets: { 'admin-penalty': { workingDays: 60 } } },
      },
      agencies: { SCJG: { region: '440700' }, SWJ: { region: '440703' } },
    });
    expect(rules.status).toBe(200);
    const decided = packageCalendar.addWorkingDays(today, -5);
    // Act
    const report = await ingestFile(
      stack(),
      'SCJG',
      'admin-penalty',
      'override.csv',
      penaltyCsv([{ CF_WSH: 'OVERRIDE-1', CF_JDRQ: slashed(decided) }]),
    );
    const answer = await call(scjg, 'GET', `/v1/calendar/due-date?from=${decided}&dataset=admin-penalty`);
    // Assess: 5 working days ago is on time under the national 7, late under 江门's 3
    expect(report.counts).toMatchObject({ accepted: 1, late: 1 });
    expect(answer.body.workingDays).toBe(3);
    const item = await penaltyItem('OVERRIDE-1');
    expect(item).toMatchObject({ dueDate: answer.body.dueDate, late: true, timeliness: 'late' });
  });

  it('marks a record due in a year without calendar pending-calendar, and the run decides it once the year is stored', async () => {
    // Prepare: SWJ's region gives 60 working days: from yesterday they run into next year
    swj = await registerAgency(stack(), 'SWJ', SWJ_USCC);
    const decided = addCalendarDays(today, -1);
    expect(packageCalendar.hasYear(pendingYear)).toBe(false);
    expect(dragonBoatDates).not.toEqual([]);
    // Act 1: ingestion and a run without next year's calendar
    const report = await ingestFile(
      stack(),
      'SWJ',
      'admin-penalty',
      'pending.csv',
      penaltyCsv([
        { CF_WSH: 'PENDING-1', CF_JDRQ: slashed(decided), CF_SJLYDM: SWJ_USCC, CF_CFJGDM: SWJ_USCC },
      ]),
    );
    const pendingItem = await penaltyItem('PENDING-1');
    const before = (await stack().handlers.deadlines(runEvent, {} as never)) as Json;
    // Assess 1
    expect(report.counts).toMatchObject({ accepted: 1, late: 0, pendingCalendar: 1 });
    expect(report.flaggedRows).toEqual([
      { row: 2, flags: expect.arrayContaining(['DUE_DATE_PENDING_CALENDAR']) },
    ]);
    expect(pendingItem).toMatchObject({
      dueDate: null,
      late: false,
      timeliness: 'pending-calendar',
      pendingCalendarYear: pendingYear,
      gsi2pk: `PENDING-CALENDAR#${pendingYear}`,
    });
    expect(before.pendingCalendar).toEqual({ reevaluated: [], limitReached: false });

    // Act 2: a partial year is refused; the whole notice is stored; the run decides the record
    const partial = await call(office, 'PUT', `/v1/calendar/years/${pendingYear}`, {
      days: pendingYearNotice.filter((day) => day.name !== '端午节'),
    });
    const stored = await call(office, 'PUT', `/v1/calendar/years/${pendingYear}`, {
      days: pendingYearNotice,
    });
    const answer = await call(swj, 'GET', `/v1/calendar/due-date?from=${decided}&dataset=admin-penalty`);
    const decidedRun = (await stack().handlers.deadlines(runEvent, {} as never)) as Json;
    const again = (await stack().handlers.deadlines(runEvent, {} as never)) as Json;
    const settledItem = await penaltyItem('PENDING-1');
    const stats = await call(office, 'GET', `/v1/stats/timeliness?from=${today}&to=${today}`);
    // Assess 2
    expect(partial.status).toBe(422);
    expect(partial.body.errors).toEqual([
      {
        field: 'body.days',
        code: 'STATUTORY_HOLIDAY_MISSING',
        reason: `端午节: ${dragonBoatDates.join(', ')} not given as days off`,
      },
    ]);
    expect(stored.status).toBe(200);
    expect(answer.status).toBe(200);
    expect(answer.body.calendar).toContainEqual({ year: pendingYear, source: 'stored' });
    expect(decidedRun.pendingCalendar.reevaluated).toEqual([
      expect.objectContaining({
        agencyCode: 'SWJ',
        documentNumber: 'PENDING-1',
        calendarYear: pendingYear,
        timeliness: 'on-time',
        dueDate: answer.body.dueDate,
        late: false,
      }),
    ]);
    expect(again.pendingCalendar.reevaluated).toEqual([]);
    expect(settledItem).toMatchObject({ timeliness: 'on-time', dueDate: answer.body.dueDate, late: false });
    expect(settledItem?.gsi2pk).toBeUndefined();
    expect(settledItem?.pendingCalendarYear).toBeUndefined();
    const swjRow = stats.body.agencies.find((row: Json) => row.agencyCode === 'SWJ');
    expect(swjRow).toMatchObject({
      records: 1,
      pendingCalendar: 1,
      onTime: 0,
      decidedLater: 1,
      decidedLaterLate: 0,
    });
    expect(runDate > today).toBe(true);
  });

  it('keeps the pending index empty for records of known years (nothing left to re-evaluate)', async () => {
    const result = await stack().clients.documentClient.send(
      new QueryCommand({
        TableName: stack().config.tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': `PENDING-CALENDAR#${pendingYear}` },
      }),
    );
    expect(result.Items ?? []).toEqual([]);
  });
});
