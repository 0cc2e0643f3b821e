import { beforeAll, describe, expect, it } from 'vitest';
import { codes, csv, penaltyHeader, penaltyRow } from '#test/support/csv-fixtures';
import { ingestFile, registerAgency } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';

const stack = useLocalStack();
let officerKey = '';

/** Penalties of one company: the first four must not be in display on any day from 2026-03-01 on. */
const penalties = [
  { doc: '江市监罚〔2023〕1号', row: { CF_JDRQ: '2023/06/01' }, severity: '' },
  { doc: '江市监罚〔2025〕2号', row: { CF_JDRQ: '2025/01/10' }, severity: '一般' },
  { doc: '江市监罚〔2026〕3号', row: { CF_JDRQ: '2026/11/02', CF_CFLB: '警告', CF_NR_FK: '' }, severity: '' },
  { doc: '江市监罚〔2026〕4号', row: { CF_JDRQ: '2026/11/03' }, severity: '', procedure: '简易程序' },
  { doc: '江市监罚〔2026〕5号', row: { CF_JDRQ: '2026/11/04', CF_GSJZQ: '2099/12/31' }, severity: '严重' },
];

beforeAll(async () => {
  const handle = stack();
  officerKey = await registerAgency(handle, 'SCJG');
  const body = csv([
    [...penaltyHeader, '严重程度', '处罚程序'],
    ...penalties.map((p) => [...penaltyRow({ ...p.row, CF_WSH: p.doc }), p.severity, p.procedure ?? '']),
  ]);
  const report = await ingestFile(handle, 'SCJG', 'admin-penalty', 'lifecycle.csv', body);
  expect(report).toMatchObject({ status: 'completed', counts: { accepted: 5, rejected: 0 } });
});

describe('Record lifecycle through the local stack', () => {
  it('shows a subject only the penalties in display, each with until when and by which rule', async () => {
    const response = await fetch(`${stack().config.apiBaseUrl}/v1/subjects/${codes.companyUscc}`, {
      headers: { authorization: `Bearer ${officerKey}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { records: Record<string, unknown>[] };
    expect(body.records.map((record) => record.documentNumber)).toEqual(['江市监罚〔2026〕5号']);
    expect(body.records[0]).toMatchObject({
      display: { until: '2029-11-04', ruleSet: 'order-36', severity: '严重' },
    });
  });
});
