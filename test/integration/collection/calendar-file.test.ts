import { describe, expect, it } from 'vitest';
import { notice2027, noticeRows } from '#test/support/calendar-fixtures';
import { csv } from '#test/support/csv-fixtures';
import { ingestFile, registerAgency } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';

const stack = useLocalStack();

// The State Council notice for a year the package does not carry, as the credit office files it.
const notice2027Csv = csv(noticeRows(notice2027));

describe('Dataset: calendar', () => {
  it('a credit-office calendar file makes the next year computable on the official calendar', async () => {
    // Prepare
    const officeKey = await registerAgency(stack(), 'XYB', '11440700MB2E345657', ['credit-office']);
    // Act
    const report = await ingestFile(stack(), 'XYB', 'calendar', '2027-notice.csv', notice2027Csv);
    const response = await fetch(
      `${stack().config.apiBaseUrl}/v1/calendar/due-date?from=2027-09-30&workingDays=1`,
      {
        headers: { authorization: `Bearer ${officeKey}` },
      },
    );
    // Assess: 10-01…07 are days off, Fri 10-08 the next working day
    expect(report).toMatchObject({
      status: 'completed',
      counts: { accepted: notice2027.length, rejected: 0 },
      warnings: [],
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ from: '2027-09-30', dueDate: '2027-10-08' });
  });

  it('refuses a calendar file from an agency that is not the credit office', async () => {
    await registerAgency(stack(), 'SCJG');
    const report = await ingestFile(stack(), 'SCJG', 'calendar', 'notice.csv', notice2027Csv);
    expect(report).toMatchObject({
      status: 'rejected',
      fileErrors: [{ code: 'REFERENCE_DATA_CREDIT_OFFICE_ONLY' }],
    });
  });

  it('warns about a partial year, names the missing holidays, and does not count on it', async () => {
    // Prepare: 2028 with only 元旦 and 国庆
    const officeKey = await registerAgency(stack(), 'XYB', '11440700MB2E345657', ['credit-office']);
    const partial = csv([
      ['日期', '类型', '名称'],
      ['2028-01-01', '休息日', '元旦'],
      ['2028-10-01', '休息日', '国庆节'],
      ['2028-10-02', '休息日', '国庆节'],
      ['2028-10-03', '休息日', '国庆节'],
    ]);
    // Act
    const report = await ingestFile(stack(), 'XYB', 'calendar', '2028-partial.csv', partial);
    const response = await fetch(
      `${stack().config.apiBaseUrl}/v1/calendar/due-date?from=2028-03-01&workingDays=1`,
      {
        headers: { authorization: `Bearer ${officeKey}` },
      },
    );
    // Assess: the rows are kept (nothing accepted is lost), the year is not used
    expect(report).toMatchObject({ status: 'completed', counts: { accepted: 4 } });
    expect(report.warnings).toEqual([
      {
        code: 'CALENDAR_YEAR_INCOMPLETE',
        reason: expect.stringContaining('春节 (2028-01-25, 2028-01-26, 2028-01-27, 2028-01-28)'),
      },
    ]);
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ code: 'CALENDAR_YEAR_UNAVAILABLE' });
  });
});
