import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { companyUscc, penaltyFile } from '#bench/support/penalty-file';
import { CreditStore } from '#lib/aws/credit-store';
import { IngestObjects } from '#lib/aws/ingest-objects';
import { JobStore } from '#lib/aws/job-store';
import { MatchQueue } from '#lib/aws/match-queue';
import { ObjectStore } from '#lib/aws/object-store';
import { DynamoRecordWriter } from '#lib/aws/record-writer';
import { systemClock } from '#lib/clock/system-clock';
import { type ChunkIngestResult, ingestChunk } from '#lib/ingest/chunking/ingest-chunk';
import type { ChunkMessage } from '#lib/ingest/chunking/messages';
import { type IngestDependencies, ingestObject } from '#lib/ingest/ingest-object';
import { SourceChangedError } from '#lib/ingest/ports';
import { bucketLayout } from '#lib/platform/resources';
import { penaltyHeader } from '#test/support/csv-fixtures';
import { putIncoming, registerAgency } from '../support/credit-fixtures';
import { type LocalStackHandle, useLocalStack } from '../support/local-stack';

// The chunks are run by the test, one by one, so that the object can change between two of them.
const stack = useLocalStack({ startPollers: false });
const CHUNK_BYTES = 48 * 1024;

/** The library's dependencies on the local stack, with the chunk messages kept instead of queued. */
function dependencies(handle: LocalStackHandle, sent: ChunkMessage[]): IngestDependencies {
  const { documentClient, s3, sqs } = handle.clients;
  const store = new CreditStore(documentClient, handle.config.tableName);
  return {
    agencies: store,
    listTypes: store,
    records: DynamoRecordWriter.forTable(documentClient, handle.config.tableName),
    jobs: new JobStore(documentClient, handle.config.tableName),
    objects: new ObjectStore(s3, handle.config.bucketName),
    files: new IngestObjects(s3, handle.config.bucketName),
    matchQueue: new MatchQueue(sqs, handle.config.queues.match.url),
    chunkQueue: {
      send: async (messages) => {
        sent.push(...messages);
      },
    },
    clock: systemClock,
    chunkBytes: CHUNK_BYTES,
  };
}

/** Uploads a file and hands its S3 event (as the ingest queue would carry it) to the coordinator. */
async function upload(handle: LocalStackHandle, deps: IngestDependencies, name: string, body: Buffer) {
  const put = await putIncoming(handle, 'SCJG', 'admin-penalty', name, body);
  const object = {
    bucket: handle.config.bucketName,
    key: bucketLayout.incomingKey('SCJG', 'admin-penalty', name),
    eTag: put.ETag!.replace(/"/g, ''),
    size: body.length,
    eventTime: new Date().toISOString(),
  };
  return { object, started: await ingestObject(deps, object) };
}

async function storedDocumentNumbers(handle: LocalStackHandle, jobId: string): Promise<string[]> {
  const numbers: string[] = [];
  for (let n = 0; n < 50; n += 1) {
    const result = await handle.clients.documentClient.send(
      new QueryCommand({
        TableName: handle.config.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `SUBJECT#USCC#${companyUscc(n)}` },
      }),
    );
    for (const item of result.Items ?? [])
      if (item.jobId === jobId && item.type === 'admin-penalty')
        numbers.push(String(item.record.documentNumber));
  }
  return numbers;
}

async function bytesOf(handle: LocalStackHandle, key: string): Promise<Buffer> {
  const result = await handle.clients.s3.send(
    new GetObjectCommand({ Bucket: handle.config.bucketName, Key: key }),
  );
  return Buffer.from(await result.Body!.transformToByteArray());
}

async function keyExists(handle: LocalStackHandle, key: string): Promise<boolean> {
  try {
    await handle.clients.s3.send(new HeadObjectCommand({ Bucket: handle.config.bucketName, Key: key }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'NotFound') return false;
    throw error;
  }
}

/** Where a replaced upload's report is (beside the file's report, under the job), and that the file's own key is untouched. */
async function expectReportBesideTheFile(handle: LocalStackHandle, name: string, jobId: string) {
  const fileReport = bucketLayout.reportKey('SCJG', 'admin-penalty', name);
  const jobReport = bucketLayout.replacedUploadReportKey(fileReport, jobId);
  expect(jobReport).toBe(`reports/SCJG/admin-penalty/${name}.${jobId}.result.json`);
  const stored = JSON.parse((await bytesOf(handle, jobReport)).toString('utf8'));
  expect(stored).toMatchObject({
    jobId,
    fileErrors: expect.arrayContaining([expect.objectContaining({ code: 'SOURCE_CHANGED' })]),
  });
  // The newer upload's report goes to the file's key; this job never writes there.
  expect(await keyExists(handle, fileReport)).toBe(false);
  const job = await new JobStore(handle.clients.documentClient, handle.config.tableName).get(jobId);
  expect(job?.reportKey).toBe(jobReport);
}

describe('Emulator: s3rver honours If-Match on reads', () => {
  it('answers a ranged GET and a HEAD pinned to an ETag that is no longer current with 412', async () => {
    // Prepare
    const first = await putIncoming(stack(), 'SCJG', 'admin-penalty', 'if-match.csv', 'first version\n');
    await putIncoming(stack(), 'SCJG', 'admin-penalty', 'if-match.csv', 'second version\n');
    const Key = bucketLayout.incomingKey('SCJG', 'admin-penalty', 'if-match.csv');
    const Bucket = stack().config.bucketName;
    const head = await stack().clients.s3.send(new HeadObjectCommand({ Bucket, Key }));
    // Act
    const current = await stack().clients.s3.send(
      new GetObjectCommand({ Bucket, Key, Range: 'bytes=0-5', IfMatch: head.ETag }),
    );
    const stale = await stack()
      .clients.s3.send(new GetObjectCommand({ Bucket, Key, Range: 'bytes=0-5', IfMatch: first.ETag }))
      .catch((error: unknown) => error);
    const staleHead = await stack()
      .clients.s3.send(new HeadObjectCommand({ Bucket, Key, IfMatch: first.ETag }))
      .catch((error: unknown) => error);
    // Assess
    expect(await current.Body!.transformToString()).toBe('second');
    expect(stale).toMatchObject({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
    expect(staleHead).toMatchObject({ $metadata: { httpStatusCode: 412 } });
  });

  it('turns a pinned read of a replaced object into SourceChangedError in the adapter', async () => {
    // Prepare
    const first = await putIncoming(stack(), 'SCJG', 'admin-penalty', 'pinned.csv', 'a,b\n1,2\n');
    await putIncoming(stack(), 'SCJG', 'admin-penalty', 'pinned.csv', 'a,b\n3,4\n');
    const files = new IngestObjects(stack().clients.s3, stack().config.bucketName);
    const key = bucketLayout.incomingKey('SCJG', 'admin-penalty', 'pinned.csv');
    // Act
    const read = files.readRange(key, { eTag: first.ETag!.replace(/"/g, '') }, 0, 4);
    // Assess
    await expect(read).rejects.toBeInstanceOf(SourceChangedError);
  });
});

describe('Function: ingest — a file overwritten while its chunks run', () => {
  it('reads every chunk from the version the job started from, and reports the chunks that found it replaced', async () => {
    // Prepare: a chunked upload whose first chunk has run
    await registerAgency(stack(), 'SCJG');
    const sent: ChunkMessage[] = [];
    const deps = dependencies(stack(), sent);
    const original = penaltyFile({ rows: 600, documentPrefix: '江市监罚旧', subjects: 50 });
    const { started } = await upload(stack(), deps, 'overwritten.csv', original);
    expect(started.status).toBe('chunked');
    expect(sent.length).toBeGreaterThanOrEqual(3);
    await ingestChunk(deps, sent[0]!);

    // Act: the agency uploads another file under the same name; the other chunks run after it
    await putIncoming(
      stack(),
      'SCJG',
      'admin-penalty',
      'overwritten.csv',
      penaltyFile({ rows: 600, documentPrefix: '江市监罚新', subjects: 50 }),
    );
    const results: ChunkIngestResult[] = [];
    for (const message of sent.slice(1)) results.push(await ingestChunk(deps, message));

    // Assess: the report says what happened; nothing of the new file went into this job
    const report = results.at(-1)!;
    expect(report.status).toBe('processed');
    const full = 'report' in report ? report.report! : undefined;
    expect(full).toMatchObject({ status: 'partial', chunks: sent.length });
    const error = full!.fileErrors.find((entry) => entry.code === 'SOURCE_CHANGED');
    expect(error?.reason).toContain(`chunk 2 (rows from ${sent[1]!.firstRow})`);
    expect(error?.reason).toContain(`of ${sent.length} could not be read`);
    expect(full!.counts.rows).toBe(sent[1]!.firstRow - 2);
    const stored = await storedDocumentNumbers(stack(), started.status === 'chunked' ? started.jobId : '');
    expect(stored.length).toBe(full!.counts.accepted);
    expect(stored.every((number) => number.startsWith('江市监罚旧'))).toBe(true);
    await expectReportBesideTheFile(stack(), 'overwritten.csv', full!.jobId);
  });

  it('ingests the same bytes uploaded again after a job whose chunks found them replaced: no duplicate-upload marker is left', async () => {
    // Prepare: a chunked upload replaced after its first chunk, its other chunks storing nothing
    await registerAgency(stack(), 'SCJG');
    const sent: ChunkMessage[] = [];
    const deps = dependencies(stack(), sent);
    const original = penaltyFile({ rows: 600, documentPrefix: '江市监罚再', subjects: 50 });
    await upload(stack(), deps, 'again.csv', original);
    await ingestChunk(deps, sent[0]!);
    await putIncoming(
      stack(),
      'SCJG',
      'admin-penalty',
      'again.csv',
      penaltyFile({ rows: 600, documentPrefix: '江市监罚另', subjects: 50 }),
    );
    for (const message of sent.slice(1)) await ingestChunk(deps, message);

    // Act: the agency uploads the first file again, under another name
    const again: ChunkMessage[] = [];
    const { started } = await upload(stack(), dependencies(stack(), again), 'again-2.csv', original);

    // Assess: it is ingested (fanned out as chunks), not refused as DUPLICATE_UPLOAD
    expect(started.status).toBe('chunked');
    expect(again).toHaveLength(sent.length);
  });

  it('refuses an upload overwritten before its job could read it, storing nothing', async () => {
    // Prepare: the event of the first upload is handled after the second upload
    await registerAgency(stack(), 'SCJG');
    const sent: ChunkMessage[] = [];
    const deps = dependencies(stack(), sent);
    const firstBody = penaltyFile({ rows: 20, documentPrefix: '江市监罚甲', subjects: 5 });
    const put = await putIncoming(stack(), 'SCJG', 'admin-penalty', 'replaced.csv', firstBody);
    await putIncoming(
      stack(),
      'SCJG',
      'admin-penalty',
      'replaced.csv',
      penaltyFile({ rows: 30, subjects: 5 }),
    );
    // Act
    const result = await ingestObject(deps, {
      bucket: stack().config.bucketName,
      key: bucketLayout.incomingKey('SCJG', 'admin-penalty', 'replaced.csv'),
      eTag: put.ETag!.replace(/"/g, ''),
      size: firstBody.length,
      eventTime: new Date().toISOString(),
    });
    // Assess
    expect(result).toMatchObject({
      status: 'ingested',
      report: {
        status: 'rejected',
        counts: { rows: 0, accepted: 0 },
        fileErrors: [expect.objectContaining({ code: 'SOURCE_CHANGED' })],
      },
    });
    if (result.status === 'ingested')
      await expectReportBesideTheFile(stack(), 'replaced.csv', result.report.jobId);
  });
});

describe('Function: ingest — rejected rows of a chunked file', () => {
  it('keeps the first 1,000 in the report with exact counts, and every one in the CSV, streamed per chunk', async () => {
    // Prepare: the adversarial file of lines of `x` (each one rejected), in chunks of 48 KB
    await registerAgency(stack(), 'SCJG');
    const sent: ChunkMessage[] = [];
    const deps = dependencies(stack(), sent);
    const body = Buffer.from(`${penaltyHeader.join(',')}\r\n${'x\r\n'.repeat(20_000)}`, 'utf8');
    const { started } = await upload(stack(), deps, 'many-rejected.csv', body);
    expect(started.status).toBe('chunked');
    // Act
    let last: ChunkIngestResult | undefined;
    for (const message of sent) last = await ingestChunk(deps, message);
    // Assess: the report
    const report = last && 'report' in last ? last.report! : undefined;
    expect(report?.counts).toMatchObject({ rows: 20_000, rejected: 20_000, accepted: 0 });
    expect(report?.status).toBe('rejected');
    expect(report?.rejectedRows).toHaveLength(1000);
    expect(report?.truncated).toEqual({ rejectedRows: 19_000, duplicateRows: 0, flaggedRows: 0 });
    // … each chunk's result kept at most 1,000 rows, its lines in their own object
    const jobId = report!.jobId;
    for (const message of sent) {
      const result = JSON.parse(
        (await bytesOf(stack(), bucketLayout.ingestChunkResultKey(jobId, message.chunk))).toString('utf8'),
      );
      expect(result.outcome.rejectedRows.length).toBeLessThanOrEqual(1000);
      expect(result.rejectedCsv).toBeUndefined();
    }
    const fragments = await stack().clients.s3.send(
      new ListObjectsV2Command({ Bucket: stack().config.bucketName, Prefix: `work/ingest/${jobId}/` }),
    );
    expect((fragments.Contents ?? []).filter((item) => item.Key!.endsWith('.rejected.csv'))).toHaveLength(
      sent.length,
    );
    // … and the CSV has every rejected row once, in file order
    const csv = (await bytesOf(stack(), report!.rejectedRowsCsvKey!)).toString('utf8');
    const rows = csv
      .slice(1)
      .trimEnd()
      .split('\r\n')
      .slice(1)
      .map((line) => Number(line.split(',')[0]));
    expect(new Set(rows).size).toBe(20_000);
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
  }, 300_000); // 20,000 rejected rows: minutes on a loaded machine
});
