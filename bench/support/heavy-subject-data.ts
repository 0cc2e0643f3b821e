import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchPutItems } from '#lib/aws/batch-write';
import { keys } from '#lib/aws/items/keys';
import { watchItem } from '#lib/aws/push-store';
import { watchIdFor, watchRecord } from '#lib/push/watches';
import { companyUscc, listingAgency, loadRows, penaltyAgency, penaltyLines } from './check-data';

/** The heavy subject of bench:check --heavy-subject and of its integration test. */
export const heavyCompany = companyUscc(0);
export const heavySubjectKey = `USCC#${heavyCompany}`;

/**
 * Seeds one company with `records` 行政处罚 records in display (through the ingestion core, each with
 * its history item, as ingestion writes them), one list entry and one watch of `watch.agencyCode` on
 * case `watch.caseRef`. The list entry is written as stored: ingestion's list-authority rules are
 * not what the heavy subject measures.
 */
export async function seedHeavySubject(
  client: DynamoDBDocumentClient,
  tableName: string,
  options: {
    readonly records: number;
    readonly watch: { readonly agencyCode: string; readonly caseRef: string; readonly openedAt: string };
    readonly documentPrefix?: string;
  },
) {
  const loaded = await loadRows(client, tableName, {
    dataset: 'admin-penalty',
    lines: penaltyLines({
      rows: options.records,
      subjects: 1,
      invalidEvery: 0,
      ...(options.documentPrefix ? { documentPrefix: options.documentPrefix } : {}),
    }),
    agency: penaltyAgency,
  });
  await batchPutItems(client, tableName, [listEntryItem(), heavyWatch(options.watch)]);
  return loaded;
}

function listEntryItem() {
  return {
    pk: keys.subject(heavySubjectKey),
    sk: keys.listEntry('HMD-SW-ZDSSWF', 'heavy-entry'),
    type: 'list-entry',
    dataset: 'list-entry',
    entryId: 'heavy-entry',
    agencyCode: listingAgency.code,
    subjectKey: heavySubjectKey,
    record: {
      dataset: 'list-entry',
      subject: {
        key: heavySubjectKey,
        kind: 'organisation',
        name: '江门市第0号建材有限公司',
        uscc: heavyCompany,
        flags: [],
      },
      listTypeCode: 'HMD-SW-ZDSSWF',
      basis: '《重大税收违法失信主体信息公布管理办法》第六条',
      decidingDepartment: listingAgency.name,
      listedOn: '2026-03-18',
      validUntil: '2029-03-17',
      reason: '虚开增值税专用发票',
      agencyCode: listingAgency.code,
    },
  };
}

function heavyWatch(watch: { agencyCode: string; caseRef: string; openedAt: string }) {
  return watchItem(
    watchRecord({
      agencyCode: watch.agencyCode,
      watchId: watchIdFor(watch.agencyCode, watch.caseRef),
      subjectKey: heavySubjectKey,
      caseRef: watch.caseRef,
      openedAt: watch.openedAt,
      openedBy: 'request',
    }),
  );
}
