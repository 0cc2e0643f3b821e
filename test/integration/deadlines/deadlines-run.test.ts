import { readFileSync } from 'node:fs';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { addCalendarDays } from '#lib/calendar/calendar';
import { toShanghaiDate } from '#lib/calendar/working-days';
import { defaultRules } from '#lib/deadlines/rules';
import { bucketLayout } from '#lib/platform/resources';
import { notice2027 } from '#test/support/calendar-fixtures';
import { codes, csv, listEntryHeader, listEntryRow, penaltyCsv } from '#test/support/csv-fixtures';
import { ingestFile, loadListTypes, readJson, registerAgency } from '../support/credit-fixtures';
import { useLocalStack, waitFor } from '../support/local-stack';

const stack = useLocalStack();

// biome-ignore lint/suspicious/noExplicitAny: API answers and reports are read as loose JSON
type Json = Record<string, any>;

const today = toShanghaiDate(new Date());
const runDate = addCalendarDays(today, 1);
const scheduledEvent = JSON.parse(
  readFileSync(new URL('../../../events/deadlines/scheduled.json', import.meta.url), 'utf8'),
);
/** The scheduled event of tomorrow's 01:30 Asia/Shanghai run (17:30 UTC today). */
const runEvent = { ...scheduledEvent, time: `${today}T17:30:00Z` };

async function call(apiKey: string, method: string, path: string, body?: unknown) {
  const response = await stack().api.request(method, path, {
    headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: JSON.parse(response.body) as Json };
}

/** Everything the run writes or changes in the table: list entries' status and the statistics. */
async function runState() {
  const query = (pk: string) =>
    stack().clients.documentClient.send(
      new QueryCommand({
        TableName: stack().config.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
      }),
    );
  const subject = await query(`SUBJECT#USCC#${codes.otherCompanyUscc}`);
  const stats = await query(`STATS#${today.slice(0, 7)}`);
  return {
    listEntries: (subject.Items ?? []).filter((item) => String(item.sk).startsWith('LIST#')),
    records: (subject.Items ?? []).filter((item) => String(item.sk).startsWith('RECORD#')),
    stats: stats.Items ?? [],
  };
}

async function readText(key: string): Promise<string> {
  const object = await stack().clients.s3.send(
    new GetObjectCommand({ Bucket: stack().config.bucketName, Key: key }),
  );
  return object.Body!.transformToString('utf8');
}

let office = '';
let scjg = '';

describe('Function: deadlines (schedule)', () => {
  it('finds every kind of overdue item, expires ended list entries, and a second run leaves the same state', async () => {
    // Prepare: the credit office's rules, one late 双公示 record, one list entry ending today, one
    // check with an applied measure and no feedback 30 days ago, a monthly case report below minimum
    office = await registerAgency(stack(), 'XYB', codes.agencyUscc, ['credit-office', 'case-officer']);
    scjg = await registerAgency(stack(), 'SCJG');
    await registerAgency(stack(), 'SWJ', '11440700MB2C123480');
    await loadListTypes(stack());
    const rules = await call(office, 'PUT', '/v1/deadlines/rules', {
      agencies: {
        SCJG: { cadenceDays: 30, quarterlyReport: true, monthlyCaseMinimum: 2 },
        ZYFY: { cadenceDays: 7 },
      },
    });
    expect(rules.status).toBe(200);
    const late = await ingestFile(
      stack(),
      'SCJG',
      'admin-penalty',
      'late.csv',
      penaltyCsv([{ CF_WSH: 'LATE-9' }]),
    );
    expect(late.counts).toMatchObject({ accepted: 1, late: 1 });
    const entry = listEntryRow({
      主体名称: '江门市新会区顺达物流有限公司',
      统一社会信用代码: codes.otherCompanyUscc,
      法定代表人: '',
      法定代表人证件号码: '',
      有效期至: today.replaceAll('-', '/'),
    });
    const listed = await ingestFile(
      stack(),
      'SWJ',
      'list-entry',
      'ending.csv',
      csv([listEntryHeader, entry]),
    );
    expect(listed.counts.accepted).toBe(1);
    const check = await call(scjg, 'POST', '/v1/checks', { subject: { code: codes.otherCompanyUscc } });
    expect(check.status).toBe(201);
    expect(check.body.summary.listHits).toBe(1);
    const checkedAt = new Date(Date.now() - 30 * 86_400_000).toISOString();
    await stack().clients.documentClient.send(
      new PutCommand({
        TableName: stack().config.tableName,
        Item: {
          pk: 'CHECK#chk-owed',
          sk: 'CHECK',
          type: 'check',
          gsi1pk: 'AGENCY#SCJG#CHECK',
          gsi1sk: `${checkedAt}#chk-owed`,
          result: {
            checkId: 'chk-owed',
            checkedAt,
            agencyCode: 'SCJG',
            hits: [],
            measures: [{ code: 'CJ-01' }],
          },
        },
      }),
    );
    const month = addCalendarDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7);
    // Last month's case report is due on the 10th (defaultRules.monthlyCasesDueDay): overdue after it,
    // still only due from the 1st to the 10th — the run covers today, so the expectation follows it.
    const monthlyDueDate = `${today.slice(0, 7)}-${String(defaultRules.monthlyCasesDueDay).padStart(2, '0')}`;
    const monthlyKind = today > monthlyDueDate ? 'monthly-cases-overdue' : 'monthly-cases-due';
    const submitted = await call(scjg, 'POST', '/v1/report-submissions', {
      kind: 'monthly-cases',
      period: month,
      caseCount: 1,
    });
    expect(submitted.status).toBe(201);
    // a 双公示 record whose 公示截止期 is today, indexed as ingestion indexes it (gsi1 DISPLAY-ENDS#<date>)
    await stack().clients.documentClient.send(
      new PutCommand({
        TableName: stack().config.tableName,
        Item: {
          pk: `SUBJECT#USCC#${codes.otherCompanyUscc}`,
          sk: 'RECORD#admin-penalty#display-ends',
          type: 'admin-penalty',
          subjectKey: `USCC#${codes.otherCompanyUscc}`,
          agencyCode: 'SCJG',
          record: { documentNumber: '江市监罚〔2025〕77号', displayUntil: today },
          gsi1pk: `DISPLAY-ENDS#${today}`,
          gsi1sk: `SUBJECT#USCC#${codes.otherCompanyUscc}#RECORD#admin-penalty#display-ends`,
        },
      }),
    );
    const rescreened = stack().pollers.match.stats.succeeded;

    // Act
    const first = (await stack().handlers.deadlines(runEvent, {} as never)) as Json;
    const stateAfterFirst = await runState();
    const reportAfterFirst = await readJson(stack(), bucketLayout.deadlinesReportKey(runDate, 'json'));
    const second = (await stack().handlers.deadlines(runEvent, {} as never)) as Json;

    // Assess: the items of the covered day
    expect(first.runDate).toBe(runDate);
    expect(first.coveredDate).toBe(today);
    const kinds = first.items.map(
      (item: Record<string, string>) => `${item.agencyCode} ${item.type} ${item.reference}`,
    );
    expect(kinds).toContain('SCJG late-record admin-penalty/LATE-9');
    expect(kinds).toContain(`SCJG ${monthlyKind} ${month}`);
    expect(kinds).toContain('SCJG feedback-overdue chk-owed');
    expect(kinds).toContain('ZYFY no-submission cadence-7d');
    const quarter = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
    const year = Number(today.slice(0, 4));
    expect(kinds).toContain(
      `SCJG quarterly-report-overdue ${quarter === 1 ? `${year - 1}-Q4` : `${year}-Q${quarter - 1}`}`,
    );
    expect(kinds).not.toContain('SCJG no-submission cadence-30d');
    expect(first.agenciesNotified).toEqual(['SCJG', 'ZYFY']);
    // ...each agency hears of its own items only, one event per agency and run on the bus
    const notices = stack()
      .emulators.eventBridge.events()
      .filter((event) => event.source === 'joint-credit.deadlines');
    const scjgNotice = notices.find((event) => event.detail.agencyCode === 'SCJG');
    expect(scjgNotice?.detail).toMatchObject({ noticeId: `deadlines-${runDate}-SCJG`, runDate });
    const scjgItems = (scjgNotice?.detail.items ?? []) as Json[];
    expect(scjgItems.length).toBeGreaterThan(0);
    expect(scjgItems.every((item) => item.agencyCode === 'SCJG')).toBe(true);
    expect(first.expiredListEntries).toBe(1);
    expect(first.calendarProblems).toEqual([]);
    // ...the ended list entry is marked expired (kept for audit) and its subject re-screened
    expect(stateAfterFirst.listEntries).toHaveLength(1);
    expect(stateAfterFirst.listEntries[0]).toMatchObject({ status: 'expired', expiredOn: runDate });
    // ...the record whose display period ended is hidden, not deleted
    expect(first.recordsHidden).toBe(1);
    expect(first.ended.displays).toEqual([
      { agencyCode: 'SCJG', dataset: 'admin-penalty', reference: '江市监罚〔2025〕77号', lastDay: today },
    ]);
    expect(first.ended.listEntries).toEqual([
      expect.objectContaining({ dataset: 'list-entry', lastDay: today }),
    ]);
    expect(stateAfterFirst.records).toEqual([
      expect.objectContaining({
        sk: 'RECORD#admin-penalty#display-ends',
        displayStatus: 'hidden',
        hiddenOn: runDate,
      }),
    ]);
    await waitFor(() => stack().pollers.match.stats.succeeded > rescreened, { what: 'the re-screen' });
    // ...the CSV lists the items for the office
    const csvText = await readText(bucketLayout.deadlinesReportKey(runDate, 'csv'));
    expect(csvText).toContain(',LATE-9,2026-11-12,2026-11-23,');
    expect(csvText).toContain(
      `SCJG,,,,,${monthlyDueDate},,${monthlyKind},${month},"1 cases reported, minimum 2"`,
    );
    // ...and the second run changed nothing
    expect(second).toEqual(first);
    expect(await runState()).toEqual(stateAfterFirst);
    // (a re-run publishes again, under the same notice ids, for consumers to drop)
    const again = stack()
      .emulators.eventBridge.events()
      .filter((event) => event.source === 'joint-credit.deadlines');
    expect(new Set(again.map((event) => event.detail.noticeId))).toEqual(
      new Set([`deadlines-${runDate}-SCJG`, `deadlines-${runDate}-ZYFY`]),
    );
    expect(await readJson(stack(), bucketLayout.deadlinesReportKey(runDate, 'json'))).toEqual(
      reportAfterFirst,
    );
  });
});

describe('Route: GET /v1/stats/*', () => {
  it('answers the credit office from the daily statistics the run wrote, and refuses other roles', async () => {
    // Act
    const timeliness = await call(office, 'GET', `/v1/stats/timeliness?from=${today}&to=${today}`);
    const checks = await call(office, 'GET', `/v1/stats/checks?from=${today}&to=${today}`);
    const ingestion = await call(office, 'GET', `/v1/stats/ingestion?from=${today}&to=${today}`);
    const feedback = await call(office, 'GET', `/v1/stats/feedback?from=${today}&to=${today}`);
    const refused = await call(scjg, 'GET', `/v1/stats/timeliness?from=${today}&to=${today}`);
    const backwards = await call(office, 'GET', `/v1/stats/timeliness?from=${today}&to=2020-01-01`);
    // Assess
    expect(timeliness.status).toBe(200);
    expect(timeliness.body.agencies).toContainEqual({
      agencyCode: 'SCJG',
      records: 1,
      onTime: 0,
      late: 1,
      pendingCalendar: 0,
      decidedLater: 0,
      decidedLaterLate: 0,
      rate: 0,
      target: 1,
      meetsTarget: false,
    });
    expect(checks.body).toMatchObject({
      checks: 1,
      checksWithHits: 1,
      hitRate: 1,
      byListType: [{ listTypeCode: 'HMD-SW-ZDSSWF', checksWithHit: 1 }],
    });
    expect(ingestion.body.agencies).toContainEqual(
      expect.objectContaining({ agencyCode: 'SCJG', jobs: 1, rowsAccepted: 1, late: 1 }),
    );
    expect(feedback.body.agencies).toContainEqual(
      expect.objectContaining({ agencyCode: 'SCJG', overdue: 1 }),
    );
    expect(refused.status).toBe(403);
    expect(backwards.status).toBe(400);
  });
});

describe('Route: GET /v1/calendar/due-date', () => {
  it('counts working days on the official calendar, the decision day not counted', async () => {
    const answer = await call(scjg, 'GET', '/v1/calendar/due-date?from=2025-09-30&workingDays=7');
    expect(answer).toEqual({
      status: 200,
      body: {
        from: '2025-09-30',
        workingDays: 7,
        dueDate: '2025-10-16',
        decisionDayCounted: false,
        calendar: [{ year: 2025, source: 'package' }],
      },
    });
    const byRule = await call(scjg, 'GET', '/v1/calendar/due-date?from=2025-09-30&dataset=admin-penalty');
    expect(byRule.body.dueDate).toBe('2025-10-16');
  });

  it('answers 422 CALENDAR_YEAR_UNAVAILABLE for a year without data, until the credit office stores it', async () => {
    // Act
    const before = await call(scjg, 'GET', '/v1/calendar/due-date?from=2026-12-24&workingDays=7');
    const notAllowed = await call(scjg, 'PUT', '/v1/calendar/years/2027', { days: [] });
    const stored = await call(office, 'PUT', '/v1/calendar/years/2027', { days: notice2027 });
    const after = await call(scjg, 'GET', '/v1/calendar/due-date?from=2026-12-24&workingDays=7');
    // a corrected notice replaces the year: 2027-01-04 added as a day off, nothing else changed
    const corrected = await call(office, 'PUT', '/v1/calendar/years/2027', {
      days: [...notice2027, { date: '2027-01-04', kind: 'holiday', name: '元旦' }],
    });
    const afterCorrection = await call(scjg, 'GET', '/v1/calendar/due-date?from=2026-12-24&workingDays=7');
    const withdrawn = await call(office, 'PUT', '/v1/calendar/years/2027', { days: notice2027 });
    const afterWithdrawal = await call(scjg, 'GET', '/v1/calendar/due-date?from=2026-12-24&workingDays=7');
    // Assess
    expect(before.status).toBe(422);
    expect(before.body).toMatchObject({ code: 'CALENDAR_YEAR_UNAVAILABLE', status: 422 });
    expect(before.body.detail).toContain('2027');
    expect(notAllowed.status).toBe(403);
    expect(stored).toMatchObject({
      status: 200,
      body: { year: 2027, days: notice2027.length, source: 'stored' },
    });
    expect(corrected.status).toBe(200);
    expect(afterCorrection.body.dueDate).toBe('2027-01-06');
    expect(withdrawn.status).toBe(200);
    expect(afterWithdrawal.body.dueDate).toBe('2027-01-05');
    expect(after.body).toMatchObject({
      dueDate: '2027-01-05',
      calendar: [
        { year: 2026, source: 'package' },
        { year: 2027, source: 'stored' },
      ],
    });
  });
});
