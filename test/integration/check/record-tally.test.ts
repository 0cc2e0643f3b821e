import { Readable } from 'node:stream';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { CreditStore } from '#lib/aws/credit-store';
import { DeadlineStore } from '#lib/aws/deadline-store';
import { keys } from '#lib/aws/items/keys';
import { RecordTallyStore } from '#lib/aws/record-tally-store';
import { DynamoRecordWriter } from '#lib/aws/record-writer';
import { DynamoWithdrawalStore } from '#lib/aws/withdrawal-store';
import { recordsOverview } from '#lib/check/record-overview';
import { systemClock } from '#lib/clock/system-clock';
import { schemaFor } from '#lib/datasets/index';
import { type AcceptedRow, ingestCsv } from '#lib/ingest/ingest-file';
import { codes, csv, penaltyHeader, penaltyRow } from '#test/support/csv-fixtures';
import { ingestFile, registerAgency } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';

// The record tally a check keeps per subject: every writer of a record leaves a new records-changed
// token, so the next check reads the digests again and counts exactly; redelivered writes too.
const stack = useLocalStack();
const subjectKey = `USCC#${codes.companyUscc}`;
const today = systemClock.today();

/** The real store, counting the digest reads (a check that used the tally reads none). */
class CountingStore extends CreditStore {
  digestReads = 0;
  override recordDigests(key: string, options?: { consistent?: boolean }) {
    this.digestReads += 1;
    return super.recordDigests(key, options);
  }
}

let store: CountingStore;
let tallies: RecordTallyStore;
const overview = () => recordsOverview({ subjects: store, tallies }, [subjectKey], today);

/** Checks twice: the first (after a write) reads the digests, the second only the tally; both agree. */
async function countTwice() {
  const before = store.digestReads;
  const first = await overview();
  const second = await overview();
  expect(store.digestReads - before).toBe(1);
  expect(second).toEqual(first);
  return first;
}

const penaltyFile = (numbers: readonly number[]) =>
  csv([
    penaltyHeader,
    ...numbers.map((n) => penaltyRow({ CF_WSH: `江市监罚〔2026〕${n}号`, CF_JDRQ: '2026/11/01' })),
  ]);

/** Accepted rows of a penalty file, parsed and validated as ingestion does, not yet stored. */
async function acceptedRows(numbers: readonly number[]) {
  const rows: AcceptedRow[] = [];
  await ingestCsv({
    schema: schemaFor('admin-penalty'),
    body: Readable.from([penaltyFile(numbers)]),
    context: { agency: { code: 'SCJG', name: '江门市市场监督管理局', uscc: codes.agencyUscc }, today },
    receivedDate: today,
    batchSize: 100,
    sink: { write: async (accepted: readonly AcceptedRow[]) => void rows.push(...accepted) },
  });
  return rows;
}

beforeAll(async () => {
  const { documentClient } = stack().clients;
  store = new CountingStore(documentClient, stack().config.tableName);
  tallies = new RecordTallyStore(documentClient, stack().config.tableName);
  await registerAgency(stack(), 'SCJG');
  const report = await ingestFile(stack(), 'SCJG', 'admin-penalty', 'tally-1.csv', penaltyFile([1, 2, 3]));
  expect(report).toMatchObject({ counts: { accepted: 3 } });
}, 120_000);

describe('Record tally: every writer of a record makes the next check count again', () => {
  it('stores a tally after the first check and answers from it until a record changes', async () => {
    const counted = await countTwice();

    expect(counted.counts.total).toBe(3);
    const tally = await stack().clients.documentClient.send(
      new GetCommand({
        TableName: stack().config.tableName,
        Key: { pk: keys.subject(subjectKey), sk: keys.recordTally },
      }),
    );
    expect(tally.Item).toMatchObject({ type: 'record-tally', computedOn: today });
  });

  it('ingestion: a new file adds its record to the count', async () => {
    await ingestFile(stack(), 'SCJG', 'admin-penalty', 'tally-2.csv', penaltyFile([4]));

    expect((await countTwice()).counts.total).toBe(4);
  });

  it('ingestion redelivered: the same rows written again count once', async () => {
    const rows = await acceptedRows([5]);
    const writer = DynamoRecordWriter.forTable(stack().clients.documentClient, stack().config.tableName);
    const provenance = {
      agencyCode: 'SCJG',
      jobId: 'tally-redelivered',
      sourceKey: 'incoming/SCJG/admin-penalty/tally-3.csv',
      receivedAt: `${today}T01:00:00.000Z`,
      receivedDate: today,
    };

    await writer.write(rows, provenance);
    expect((await countTwice()).counts.total).toBe(5);
    await writer.write(rows, provenance);
    expect((await countTwice()).counts.total).toBe(5);
  });

  it('withdrawal: the withdrawn record leaves the count', async () => {
    const { newest } = await overview();
    const withdrawals = new DynamoWithdrawalStore(stack().clients.documentClient, stack().config.tableName);

    const withdrawn = await withdrawals.withdraw(
      { subjectKey, ref: { dataset: 'admin-penalty', recordId: newest[0]!.recordId }, agencyCode: 'SCJG' },
      {
        revokedOn: today,
        reason: '决定已撤销',
        withdrawnAt: `${today}T02:00:00.000Z`,
        withdrawnOn: today,
        dueDate: today,
        late: false,
        by: { agencyCode: 'SCJG', keyId: 'key-1' },
        rulesVersion: 'test',
      },
    );

    expect(withdrawn).toBe(true);
    const counted = await countTwice();
    expect(counted.counts.total).toBe(4);
    expect(counted.newest.map((record) => record.recordId)).not.toContain(newest[0]!.recordId);
  });

  it('the deadlines run: a record it takes out of display leaves the count, and a second run changes nothing', async () => {
    const { newest } = await overview();
    const deadlines = new DeadlineStore(stack().clients.documentClient, stack().config.tableName);
    const ref = { pk: keys.subject(subjectKey), sk: keys.record('admin-penalty', newest[0]!.recordId) };

    expect(await deadlines.markHidden(ref, today)).toBe(true);
    expect((await countTwice()).counts.total).toBe(3);
    expect(await deadlines.markHidden(ref, today)).toBe(false);
    expect((await overview()).counts.total).toBe(3);
  });
});
