import { beforeAll, describe, expect, it } from 'vitest';
import { itemsForRow } from '#lib/aws/items/items';
import type { ListEntryRecord } from '#lib/datasets/index';
import {
  codes,
  courtPersonListingRow,
  csv,
  listEntryHeader,
  listEntryRow,
  listTypeRowsEntitling,
} from '#test/support/csv-fixtures';
import { ingestFile, loadListTypes, registerAgency, storeOf } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';

const stack = useLocalStack();
const keys: Record<string, string> = {};

/** The row of the reproduction: the court's 失信被执行人 list, 认定部门 written as the court. */
const courtListing = courtPersonListingRow();

async function call(method: string, path: string, key: string, body?: unknown) {
  const response = await fetch(`${stack().config.apiBaseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** The tax black list names SWJ and, until the office narrows it below, SCJG too. */
const taxListFor = (agencies: string) => listTypeRowsEntitling({ 'HMD-SW-ZDSSWF': agencies });

beforeAll(async () => {
  keys.SCJG = await registerAgency(stack(), 'SCJG');
  keys.SWJ = await registerAgency(stack(), 'SWJ', '11440700MB2C123480');
  keys.ZYFY = await registerAgency(stack(), 'ZYFY', '11440700MB2D23451J');
  keys.XYB = await registerAgency(stack(), 'XYB', '11440700MB2E345657', ['credit-office', 'case-officer']);
  await loadListTypes(stack(), taxListFor('SWJ;SCJG'));
});

describe('List authority: only the agencies a list type names may put entries on it', () => {
  it("rejects SCJG's entry on the court's 失信被执行人 list row by row, and no check finds it", async () => {
    const report = await ingestFile(
      stack(),
      'SCJG',
      'list-entry',
      'court-list.csv',
      csv([listEntryHeader, courtListing]),
    );
    expect(report.counts).toMatchObject({ rows: 1, accepted: 0, rejected: 1 });
    expect(report.rejectedRows).toMatchObject([
      { row: 2, issues: [{ field: '名单类型代码', value: 'HMD-FY-SXBZXR', code: 'NOT_LIST_AUTHORITY' }] },
    ]);

    for (const agency of ['SCJG', 'SWJ', 'XYB']) {
      const { status, body } = await call('POST', '/v1/checks', keys[agency]!, {
        subject: { code: codes.personId },
      });
      expect(status).toBe(201);
      expect(body.hits).toEqual([]);
    }
  });

  it("accepts the court's own entry; the hit names the deciding agency as registered, with the severity", async () => {
    const row = listEntryRow({
      ...Object.fromEntries(listEntryHeader.map((column, i) => [column, courtListing[i]!])),
      认定部门: '中院',
    });
    const report = await ingestFile(
      stack(),
      'ZYFY',
      'list-entry',
      'own-list.csv',
      csv([listEntryHeader, row]),
    );
    expect(report.counts).toMatchObject({ accepted: 1, rejected: 0 });
    expect(report.flaggedRows).toEqual([{ row: 2, flags: ['DECIDING_DEPARTMENT_REPLACED'] }]);

    const { body } = await call('POST', '/v1/checks', keys.SCJG!, { subject: { code: codes.personId } });
    expect(body.hits).toHaveLength(1);
    expect(body.hits[0]).toMatchObject({
      status: 'confirmed',
      listTypeCode: 'HMD-FY-SXBZXR',
      decidingDepartment: '江门市中级人民法院',
      decidingAgency: { code: 'ZYFY', name: '江门市中级人民法院' },
      severity: '严重',
      reportedBy: 'ZYFY',
    });
    expect(body.hits[0].explanation).toContain('decided by 江门市中级人民法院 (registered agency ZYFY)');
  });

  it('reports, in the consistency report, entries held from agencies the list type does not (or no longer) name', async () => {
    // SCJG, still named on the tax list, lists a company; an entry of SCJG's on the court list is
    // already stored (as main stored it before list authority); then the office narrows the tax list.
    const taxEntry = await ingestFile(
      stack(),
      'SCJG',
      'list-entry',
      'tax.csv',
      csv([listEntryHeader, listEntryRow()]),
    );
    expect(taxEntry.counts).toMatchObject({ accepted: 1 });
    const stored: ListEntryRecord = {
      dataset: 'list-entry',
      subject: {
        kind: 'organisation',
        key: `USCC#${codes.otherCompanyUscc}`,
        name: '江门市恒信贸易有限公司',
        uscc: codes.otherCompanyUscc,
        flags: [],
      },
      listTypeCode: 'HMD-FY-SXBZXR',
      basis: '（2026）粤07执9号',
      decidingDepartment: '江门市中级人民法院',
      listedOn: '2026-05-01',
      validUntil: null,
      reason: '拒不履行',
      agencyCode: 'SCJG',
    };
    await storeOf(stack()).putItems(
      itemsForRow(
        {
          row: 2,
          record: stored,
          businessKey: `SCJG|HMD-FY-SXBZXR|${stored.subject.key}|2026-05-01`,
          dueDate: null,
          late: false,
          lifecycle: 'active',
        },
        {
          agencyCode: 'SCJG',
          jobId: 'job-before',
          sourceKey: 'incoming/SCJG/list-entry/old.csv',
          receivedAt: '2026-05-02T01:00:00.000Z',
          receivedDate: '2026-05-02',
        },
      ),
    );
    await loadListTypes(stack(), taxListFor('SWJ'), 'list-types-narrowed.csv');

    const { status, body } = await call('GET', '/v1/reference/consistency', keys.XYB!);
    expect(status).toBe(200);
    expect(body.consistent).toBe(false);
    expect(body.listTypesWithoutDecidingAgency).toEqual([]);
    expect(body.entriesFromNonEntitledAgencies).toEqual([
      expect.objectContaining({
        listTypeCode: 'HMD-FY-SXBZXR',
        agencyCode: 'SCJG',
        subjectKey: `USCC#${codes.otherCompanyUscc}`,
      }),
      expect.objectContaining({
        listTypeCode: 'HMD-SW-ZDSSWF',
        agencyCode: 'SCJG',
        subjectKey: `USCC#${codes.companyUscc}`,
      }),
    ]);
    // The court's own entry is in order and not reported.
    expect(body.entriesFromNonEntitledAgencies.some((entry: any) => entry.agencyCode === 'ZYFY')).toBe(false);
  });
});
