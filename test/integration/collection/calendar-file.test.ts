import { describe, expect, it } from 'vitest';
import { csv } from '../../support/csv-fixtures';
import { ingestFile, registerAgency } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';

const stack = useLocalStack();

// The State Council notice for a year the package does not carry, as the credit office files it.
const notice2027 = csv([
  ['日期', '类型', '名称'],
  ['2027-01-01', '休息日', '元旦'],
  ['2027-10-01', '休息日', '国庆节'],
  ['2027-10-04', '休息日', '国庆节'],
  ['2027-10-09', '工作日', '国庆节调休'],
]);

describe('Dataset: calendar', () => {
  it('a credit-office calendar file makes the next year computable on the official calendar', async () => {
    // Prepare
    const officeKey = await registerAgency(stack(), 'XYB', '11440700MB2E345657', ['credit-office']);
    // Act
    const report = await ingestFile(stack(), 'XYB', 'calendar', '2027-notice.csv', notice2027);
    const response = await fetch(
      `${stack().config.apiBaseUrl}/v1/calendar/due-date?from=2027-09-30&workingDays=1`,
      {
        headers: { authorization: `Bearer ${officeKey}` },
      },
    );
    // Assess: Fri 10-01 and Mon 10-04 are days off, the weekend between too
    expect(report).toMatchObject({ status: 'completed', counts: { accepted: 4, rejected: 0 } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ from: '2027-09-30', dueDate: '2027-10-05' });
  });

  it('refuses a calendar file from an agency that is not the credit office', async () => {
    await registerAgency(stack(), 'SCJG');
    const report = await ingestFile(stack(), 'SCJG', 'calendar', 'notice.csv', notice2027);
    expect(report).toMatchObject({
      status: 'rejected',
      fileErrors: [{ code: 'REFERENCE_DATA_CREDIT_OFFICE_ONLY' }],
    });
  });
});
