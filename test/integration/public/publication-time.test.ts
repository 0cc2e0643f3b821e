import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addCalendarDays, packageCalendar } from '#lib/calendar/calendar';
import { toShanghaiDate } from '#lib/calendar/working-days';
import { codes, penaltyCsv } from '#test/support/csv-fixtures';
import { ingestFile, registerAgency, subjectPartition } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';

const stack = useLocalStack();

// biome-ignore lint/suspicious/noExplicitAny: API answers and items are read as loose JSON
type Json = Record<string, any>;

const today = toShanghaiDate(new Date());
const scheduledEvent = JSON.parse(
  readFileSync(new URL('../../../events/deadlines/scheduled.json', import.meta.url), 'utf8'),
);
/** Tomorrow's 01:30 Asia/Shanghai run (17:30 UTC today): it covers today. */
const runEvent = { ...scheduledEvent, time: `${today}T17:30:00Z` };
const slashed = (date: string) => date.replaceAll('-', '/');
/** Decided 2 working days ago: within the 7. Decided 10 working days ago: past them. */
const recent = slashed(packageCalendar.addWorkingDays(today, -2));
const old = slashed(packageCalendar.addWorkingDays(today, -10));
/** A warning alone is 轻微 by the default severity rule: not published. */
const warningOnly = { CF_CFLB: '警告', CF_NR: '警告', CF_NR_FK: '' };

async function call(apiKey: string, path: string) {
  const response = await stack().api.request('GET', path, { headers: { authorization: `Bearer ${apiKey}` } });
  return { status: response.status, body: JSON.parse(response.body) as Json };
}

async function recordItem(documentNumber: string): Promise<Json | undefined> {
  const items = await subjectPartition(stack(), `USCC#${codes.companyUscc}`);
  return items.find(
    (item) => String(item.sk).startsWith('RECORD#') && item.record?.documentNumber === documentNumber,
  );
}

describe('Publication time of 双公示 records', () => {
  it('stores when each record first became public and counts publication timeliness per agency', async () => {
    // Prepare
    const office = await registerAgency(stack(), 'XYB', codes.agencyUscc, ['credit-office']);
    const scjg = await registerAgency(stack(), 'SCJG');
    // Act 1: one on time, one late, one withheld (轻微) though received within its 7 working days
    const first = await ingestFile(
      stack(),
      'SCJG',
      'admin-penalty',
      'first.csv',
      penaltyCsv([
        { CF_WSH: 'PUB-ON-TIME', CF_JDRQ: recent },
        { CF_WSH: 'PUB-LATE', CF_JDRQ: old },
        { CF_WSH: 'PUB-WITHHELD', CF_JDRQ: recent, ...warningOnly },
      ]),
    );
    const onTimeBefore = await recordItem('PUB-ON-TIME');
    const withheldBefore = await recordItem('PUB-WITHHELD');
    // Act 2: the agency corrects the withheld one (a fine: 一般, published) and re-sends the others
    const second = await ingestFile(
      stack(),
      'SCJG',
      'admin-penalty',
      'second.csv',
      penaltyCsv([
        { CF_WSH: 'PUB-ON-TIME', CF_JDRQ: recent, CF_WFXW: '复核后更正' },
        { CF_WSH: 'PUB-WITHHELD', CF_JDRQ: recent },
      ]),
    );
    const onTimeAfter = await recordItem('PUB-ON-TIME');
    const withheldAfter = await recordItem('PUB-WITHHELD');
    await stack().handlers.deadlines(runEvent, {} as never);
    await stack().handlers.deadlines(runEvent, {} as never);
    const stats = await call(office, `/v1/stats/publication?from=${today}&to=${today}`);
    const refused = await call(scjg, `/v1/stats/publication?from=${today}&to=${today}`);
    // Assess: the first file published two records and withheld one
    expect(first.counts).toMatchObject({
      accepted: 3,
      publishedOnTime: 1,
      publishedLate: 1,
      notPublishable: 1,
    });
    expect(onTimeBefore).toMatchObject({ firstPublicAt: first.receivedAt, firstPublicDate: today });
    expect(withheldBefore).toBeDefined();
    expect(withheldBefore?.firstPublicAt).toBeUndefined();
    // ...the second made the corrected one public and left the first publication where it was
    expect(second.counts).toMatchObject({ accepted: 2, publishedOnTime: 1 });
    expect([second.counts.publishedLate, second.counts.notPublishable]).toEqual([0, 0]);
    expect(onTimeAfter).toMatchObject({ firstPublicAt: first.receivedAt, lastReceivedAt: second.receivedAt });
    expect(withheldAfter).toMatchObject({
      firstPublicAt: second.receivedAt,
      firstPublicBy: second.receivedAt,
    });
    // ...and the statistics count each publication once, by agency, after two runs
    expect(stats.status).toBe(200);
    expect(stats.body.agencies).toContainEqual({
      agencyCode: 'SCJG',
      published: 3,
      onTime: 2,
      late: 1,
      pendingCalendar: 0,
      notPublishable: 1,
      rate: 0.6667,
      target: 1,
      meetsTarget: false,
    });
    expect(refused.status).toBe(403);
  });

  it('does not hold a range longer than a year', async () => {
    // Prepare
    const office = await registerAgency(stack(), 'XYB2', codes.agencyUscc, ['credit-office']);
    // Act
    const tooLong = await call(
      office,
      `/v1/stats/publication?from=${addCalendarDays(today, -400)}&to=${today}`,
    );
    // Assess
    expect(tooLong.status).toBe(400);
  });
});
