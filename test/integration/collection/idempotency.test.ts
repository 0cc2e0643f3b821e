import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { companyUscc, penaltyFile } from '#bench/support/penalty-file';
import { CreditStore } from '#lib/aws/credit-store';
import { IngestObjects } from '#lib/aws/ingest-objects';
import type { Item } from '#lib/aws/items/items';
import { JobStore } from '#lib/aws/job-store';
import { MatchQueue } from '#lib/aws/match-queue';
import { ObjectStore } from '#lib/aws/object-store';
import { DynamoRecordWriter, recordTable } from '#lib/aws/record-writer';
import { systemClock } from '#lib/clock/system-clock';
import { ingestChunk } from '#lib/ingest/chunking/ingest-chunk';
import type { ChunkMessage } from '#lib/ingest/chunking/messages';
import {
  type FullReport,
  type IngestDependencies,
  ingestObject,
  jobIdFor,
  type ObjectCreated,
  reportFailure,
} from '#lib/ingest/ingest-object';
import { bucketLayout } from '#lib/platform/resources';
import { putIncoming, registerAgency } from '../support/credit-fixtures';
import { type LocalStackHandle, useLocalStack } from '../support/local-stack';

// The pipeline is not needed: these tests call the library as the handler does, with injected faults.
const stack = useLocalStack({ startPollers: false });
const SUBJECTS = 40;

class InjectedFailure extends Error {}

function dependencies(
  handle: LocalStackHandle,
  options: { failAfterWrites?: number; chunkBytes?: number; sent?: ChunkMessage[] } = {},
): IngestDependencies {
  const { documentClient, s3, sqs } = handle.clients;
  const store = new CreditStore(documentClient, handle.config.tableName);
  let writes = 0;
  const table = recordTable(documentClient, handle.config.tableName);
  return {
    // A store that dies after K batch writes: the "killed in the middle of a file" of a real crash.
    agencies: store,
    listTypes: store,
    records: new DynamoRecordWriter({
      ...table,
      putItems: async (items: readonly Item[]) => {
        writes += 1;
        if (options.failAfterWrites !== undefined && writes > options.failAfterWrites)
          throw new InjectedFailure(`store down after ${options.failAfterWrites} writes`);
        await store.putItems(items);
      },
      // Stored record items are updated one by one; they fail too once the store is down.
      updateItems: async (updates) => {
        if (options.failAfterWrites !== undefined && writes > options.failAfterWrites)
          throw new InjectedFailure(`store down after ${options.failAfterWrites} writes`);
        await table.updateItems(updates);
      },
    }),
    jobs: new JobStore(documentClient, handle.config.tableName),
    objects: new ObjectStore(s3, handle.config.bucketName),
    files: new IngestObjects(s3, handle.config.bucketName),
    matchQueue: new MatchQueue(sqs, handle.config.queues.match.url),
    clock: systemClock,
    batchRows: 50,
    chunkBytes: options.chunkBytes ?? 8 * 1024 * 1024,
    ...(options.sent
      ? {
          chunkQueue: {
            send: async (messages: readonly ChunkMessage[]) => {
              options.sent!.push(...messages);
            },
          },
        }
      : {}),
  };
}

async function upload(
  handle: LocalStackHandle,
  agency: string,
  name: string,
  body: Buffer,
): Promise<ObjectCreated> {
  const put = await putIncoming(handle, agency, 'admin-penalty', name, body);
  return {
    bucket: handle.config.bucketName,
    key: bucketLayout.incomingKey(agency, 'admin-penalty', name),
    eTag: put.ETag!.replace(/"/g, ''),
    size: body.length,
    eventTime: '2026-11-20T02:00:00.000Z',
  };
}

/** The items a job stored, without what names the job (so that two runs of one file compare equal). */
async function storedBy(handle: LocalStackHandle, jobId: string) {
  const items: Record<string, unknown>[] = [];
  for (let n = 0; n < SUBJECTS; n += 1) {
    const result = await handle.clients.documentClient.send(
      new QueryCommand({
        TableName: handle.config.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `SUBJECT#USCC#${companyUscc(n)}` },
      }),
    );
    items.push(...(result.Items ?? []).filter((item) => item.jobId === jobId));
  }
  return items
    .map(({ jobId: _job, agencyCode: _agency, sourceKey: _source, gsi2sk: _gsi, sk, ...rest }) => ({
      ...(rest as Record<string, unknown>),
      sk: String(sk).replace(jobId, '<job>'),
    }))
    .map((item) => item as Record<string, unknown>)
    .sort((a, b) => `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`));
}

const comparable = (report: FullReport) => ({
  status: report.status,
  counts: report.counts,
  rejectedRows: report.rejectedRows,
  duplicateRows: report.duplicateRows,
  flaggedRows: report.flaggedRows,
  appliedRows: report.appliedRows,
});

async function ingested(result: ReturnType<typeof ingestObject>): Promise<FullReport> {
  const outcome = await result;
  if (outcome.status !== 'ingested') throw new Error(`expected a report, got ${outcome.status}`);
  return outcome.report;
}

describe('Function: ingest — idempotent end to end', () => {
  it('a single-pass file killed after 3 batches and retried ends as one clean run', async () => {
    // Prepare: a clean run of the file by one agency, the same file by another
    await registerAgency(stack(), 'CLEAN1');
    await registerAgency(stack(), 'KILL1');
    const body = penaltyFile({ rows: 600, subjects: SUBJECTS, documentPrefix: '单次' });
    const clean = await ingested(
      ingestObject(dependencies(stack()), await upload(stack(), 'CLEAN1', 'f.csv', body)),
    );
    const cleanItems = await storedBy(stack(), clean.jobId);
    const object = await upload(stack(), 'KILL1', 'f.csv', body);

    // Act: the first attempt dies mid-file; the retry (SQS redelivery) runs with a healthy store
    await expect(ingestObject(dependencies(stack(), { failAfterWrites: 3 }), object)).rejects.toThrow(
      InjectedFailure,
    );
    const jobs = new JobStore(stack().clients.documentClient, stack().config.tableName);
    const half = await jobs.get(jobIdFor(object));
    const retried = await ingested(ingestObject(dependencies(stack()), object));
    const again = await ingestObject(dependencies(stack()), object);

    // Assess
    expect(half).toMatchObject({ status: 'running', attempts: 1 });
    expect(half?.finishedAt).toBeUndefined();
    expect(comparable(retried)).toEqual(comparable(clean));
    expect(retried.counts).toMatchObject({ rows: 600, accepted: 570, rejected: 30 });
    expect(await storedBy(stack(), retried.jobId)).toEqual(cleanItems);
    expect(cleanItems.filter((item) => item.type === 'admin-penalty')).toHaveLength(570);
    expect(again).toEqual({ status: 'duplicate-delivery', jobId: retried.jobId });
    expect(await jobs.get(retried.jobId)).toMatchObject({ status: 'completed', attempts: 2 });
  });

  it('a file that fails on its last delivery gets a failed report, and a re-drive replaces it with the real one', async () => {
    // Prepare
    await registerAgency(stack(), 'DLQ1');
    const body = penaltyFile({ rows: 300, subjects: SUBJECTS, documentPrefix: '死信' });
    const object = await upload(stack(), 'DLQ1', 'h.csv', body);
    const reportKey = bucketLayout.reportKey('DLQ1', 'admin-penalty', 'h.csv');
    const objects = new ObjectStore(stack().clients.s3, stack().config.bucketName);
    const jobs = new JobStore(stack().clients.documentClient, stack().config.tableName);

    // Act: the last attempt dies mid-file (the handler then calls reportFailure), later a re-drive
    const error = await ingestObject(dependencies(stack(), { failAfterWrites: 2 }), object).catch(
      (e: unknown) => e,
    );
    await reportFailure(dependencies(stack()), { object }, error);
    const failedReport = await objects.getJson<Record<string, any>>(reportKey);
    const failedJob = await jobs.get(jobIdFor(object));
    const redriven = await ingested(ingestObject(dependencies(stack()), object));

    // Assess
    expect(error).toBeInstanceOf(InjectedFailure);
    expect(failedReport).toMatchObject({
      status: 'failed',
      fileErrors: [{ code: 'INGESTION_FAILED', reason: expect.stringContaining('may be partly stored') }],
    });
    expect(failedJob).toMatchObject({ status: 'failed', failure: expect.stringContaining('store down') });
    expect(redriven.counts).toMatchObject({ rows: 300, accepted: 285, rejected: 15 });
    expect(await objects.getJson<Record<string, any>>(reportKey)).toMatchObject({ status: 'completed' });
    expect(await jobs.get(jobIdFor(object))).toMatchObject({ status: 'completed' });
  });

  // Two ingests of 1,425 records with the same business keys: the second updates every stored record
  // item in transactions (workflow state kept), which DynamoDB Local runs several times slower than puts.
  it('a chunked file with a chunk killed mid-way and chunks redelivered ends as one clean run', async () => {
    // Prepare
    await registerAgency(stack(), 'CLEAN2');
    await registerAgency(stack(), 'KILL2');
    const body = penaltyFile({ rows: 1500, subjects: SUBJECTS, documentPrefix: '分块' });
    const clean = await ingested(
      ingestObject(dependencies(stack()), await upload(stack(), 'CLEAN2', 'g.csv', body)),
    );
    const cleanItems = await storedBy(stack(), clean.jobId);
    const object = await upload(stack(), 'KILL2', 'g.csv', body);
    const sent: ChunkMessage[] = [];
    const chunked = dependencies(stack(), { chunkBytes: 32 * 1024, sent });

    // Act: the coordinator fans out (twice: the S3 event redelivered), chunk 1 dies after 1 batch,
    // then every chunk is delivered, chunk 0 twice, and chunk 1 again after the job finished
    const first = await ingestObject(chunked, object);
    const second = await ingestObject(chunked, object);
    expect(first).toMatchObject({ status: 'chunked' });
    expect(second).toMatchObject({ status: 'chunked' });
    expect(sent.length).toBeGreaterThan(3);
    const killed = { ...chunked, ...dependencies(stack(), { chunkBytes: 32 * 1024, failAfterWrites: 1 }) };
    await expect(ingestChunk(killed, sent[1]!)).rejects.toThrow(InjectedFailure);
    const results = [];
    for (const message of [sent[0]!, ...sent, sent[1]!]) results.push(await ingestChunk(chunked, message));
    const report = results.flatMap((result) =>
      'report' in result && result.report ? [result.report] : [],
    )[0]!;

    // Assess
    expect(sent).toHaveLength(first.status === 'chunked' ? first.chunks : -1);
    expect(results.map((result) => result.status)).toEqual([
      'processed',
      'already-done',
      ...sent.slice(1).map(() => 'processed'),
      'job-finished',
    ]);
    expect(comparable(report)).toEqual(comparable(clean));
    expect(report.counts).toMatchObject({ rows: 1500, accepted: 1425, rejected: 75 });
    expect(await storedBy(stack(), report.jobId)).toEqual(cleanItems);
    const job = await new JobStore(stack().clients.documentClient, stack().config.tableName).get(
      report.jobId,
    );
    expect(job?.counts).toEqual(report.counts);
    expect(await ingestObject(chunked, object)).toEqual({
      status: 'duplicate-delivery',
      jobId: report.jobId,
    });
  }, 120_000);
});
