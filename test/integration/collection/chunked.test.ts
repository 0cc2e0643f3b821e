import { GetObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { companyUscc, penaltyFile, penaltyLines } from '../../../bench/support/penalty-file';
import { CreditStore } from '../../../lib/aws/credit-store';
import { IngestObjects } from '../../../lib/aws/ingest-objects';
import { JobStore } from '../../../lib/aws/job-store';
import { MatchQueue } from '../../../lib/aws/match-queue';
import { ObjectStore } from '../../../lib/aws/object-store';
import type { ChunkMessage } from '../../../lib/ingest/chunking/messages';
import { type IngestDependencies, ingestObject } from '../../../lib/ingest/ingest-object';
import { bucketLayout } from '../../../lib/platform/resources';
import { penaltyRow } from '../../support/csv-fixtures';
import { putIncoming, readJson, registerAgency } from '../support/credit-fixtures';
import { type LocalStackHandle, useLocalStack, waitFor } from '../support/local-stack';

// Small chunks, so that a few thousand rows make several of them (the handler reads this at first use).
const CHUNK_BYTES = 64 * 1024;
process.env.INGEST_CHUNK_BYTES = String(CHUNK_BYTES);

const stack = useLocalStack();

function quote(cell: string): string {
  return /[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** 2,000 rows (100 invalid), then a repeat of row 6's business key and a formula-injection row. */
function largeFile(prefix: string): Buffer {
  const lines = [...penaltyLines({ rows: 2000, documentPrefix: prefix, subjects: 200 })];
  const repeat = penaltyRow({
    CF_XDR_MC: '江门市第5号建材有限公司',
    CF_XDR_SHXYM: companyUscc(5),
    CF_WSH: `${prefix}〔2026〕5号`,
    CF_NR_FK: '49',
    CF_NR: '罚款人民币49万元',
    CF_JDRQ: '2026/06/06',
  });
  const hostile = penaltyRow({ CF_WSH: `${prefix}-X`, CF_XDR_SHXYM: '=HYPERLINK("http://x")' });
  return Buffer.from(
    `${lines.join('')}${repeat.map(quote).join(',')}\r\n${hostile.map(quote).join(',')}\r\n`,
    'utf8',
  );
}

function directDependencies(
  handle: LocalStackHandle,
  overrides: Partial<IngestDependencies> = {},
): IngestDependencies {
  const { documentClient, s3, sqs } = handle.clients;
  return {
    store: new CreditStore(documentClient, handle.config.tableName),
    jobs: new JobStore(documentClient, handle.config.tableName),
    objects: new ObjectStore(s3, handle.config.bucketName),
    files: new IngestObjects(s3, handle.config.bucketName),
    matchQueue: new MatchQueue(sqs, handle.config.queues.match.url),
    chunkBytes: CHUNK_BYTES,
    ...overrides,
  };
}

async function recordsOfJob(handle: LocalStackHandle, agencyCode: string, jobId: string) {
  const items: Record<string, unknown>[] = [];
  for (let n = 0; n < 200; n += 1) {
    const result = await handle.clients.documentClient.send(
      new QueryCommand({
        TableName: handle.config.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `SUBJECT#USCC#${companyUscc(n)}` },
      }),
    );
    items.push(
      ...(result.Items ?? []).filter((item) => item.jobId === jobId && item.agencyCode === agencyCode),
    );
  }
  return items;
}

async function textOf(handle: LocalStackHandle, key: string): Promise<Buffer> {
  const result = await handle.clients.s3.send(
    new GetObjectCommand({ Bucket: handle.config.bucketName, Key: key }),
  );
  return Buffer.from(await result.Body!.transformToByteArray());
}

/** Waits for a report; a read that races the emulator's write (empty body) is retried. */
function reportOf(handle: LocalStackHandle, key: string) {
  return waitFor(() => readJson<Record<string, any>>(handle, key).catch(() => undefined), {
    // Generous: the machine may be busy, and chunks run one after another locally.
    timeoutMs: 100_000,
    what: key,
  });
}

describe('Function: ingest — a large file in chunks', () => {
  it('splits the file at record boundaries, processes the chunks and writes one report equal to a single pass', async () => {
    // Prepare
    await registerAgency(stack(), 'SCJG');
    await registerAgency(stack(), 'SCJGB');
    const body = largeFile('江市监罚');

    // Act: through S3 → ingest queue → coordinator → chunk messages → workers → last chunk
    await putIncoming(stack(), 'SCJG', 'admin-penalty', 'large.csv', body);
    const report = await reportOf(stack(), bucketLayout.reportKey('SCJG', 'admin-penalty', 'large.csv'));
    const ofJob = await recordsOfJob(stack(), 'SCJG', report.jobId);
    const stored = ofJob.filter((item) => item.type === 'admin-penalty');
    // One history version per stored row: the cross-chunk duplicate (row 2002) left none.
    const versions = ofJob.filter((item) => item.type === 'record-version');
    expect(versions.map((item) => item.sourceRow)).not.toContain(2002);
    expect(versions).toHaveLength(1900);
    // … and the same rows in one pass, by the library without a chunk queue, for another agency
    // (the ingest poller paused, so that the pipeline does not race the direct call)
    await stack().pollers.ingest.stop();
    await putIncoming(stack(), 'SCJGB', 'admin-penalty', 'large-single.csv', body);
    const single = await ingestObject(directDependencies(stack()), {
      bucket: stack().config.bucketName,
      key: bucketLayout.incomingKey('SCJGB', 'admin-penalty', 'large-single.csv'),
      eventTime: report.receivedAt,
      size: body.length,
    });
    stack().pollers.ingest.start();

    // Assess
    expect(report.chunks).toBeGreaterThan(5);
    expect(report).toMatchObject({
      status: 'completed',
      encoding: 'utf-8',
      counts: { rows: 2002, accepted: 1900, rejected: 101, duplicate: 1 },
    });
    expect(report.duplicateRows).toEqual([{ row: 2002, duplicateOf: 6 }]);
    expect(report.rejectedRows.map((entry: { row: number }) => entry.row)).toEqual([
      ...Array.from({ length: 100 }, (_, n) => 21 + 20 * n),
      2003,
    ]);
    expect(single.status).toBe('ingested');
    if (single.status !== 'ingested') return;
    expect(single.report.counts).toEqual(report.counts);
    expect(single.report.rejectedRows).toEqual(report.rejectedRows);
    expect(single.report.duplicateRows).toEqual(report.duplicateRows);
    expect(single.report.flaggedRows).toEqual(report.flaggedRows);

    // The single pass rewrote the same records (same business keys): the stored state is the same.
    expect(stored).toHaveLength(1900);
    const first = stored.find(
      (item) => (item.record as { documentNumber: string }).documentNumber === '江市监罚〔2026〕5号',
    );
    expect(first).toMatchObject({ sourceRow: 6, record: { fineAmount: 6 } });
    const rewritten = (await recordsOfJob(stack(), 'SCJGB', single.report.jobId)).filter(
      (item) => item.type === 'admin-penalty',
    );
    const strip = ({ jobId, agencyCode, sourceKey, gsi2sk, ...rest }: Record<string, unknown>) => rest;
    expect(rewritten.map(strip)).toEqual(stored.map(strip));

    const job = await new JobStore(stack().clients.documentClient, stack().config.tableName).get(
      report.jobId,
    );
    expect(job).toMatchObject({
      chunkCount: report.chunks,
      finishedAt: report.finishedAt,
      status: 'completed',
    });
    expect(job?.chunksDone?.size).toBe(report.chunks);
  });

  it('writes every rejected row to a CSV in UTF-8 with BOM, formula cells neutralised', async () => {
    // Prepare
    const report = await readJson<Record<string, any>>(
      stack(),
      bucketLayout.reportKey('SCJG', 'admin-penalty', 'large.csv'),
    );
    // Act
    const csv = await textOf(stack(), report!.rejectedRowsCsvKey);
    // Assess
    expect(csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csv.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('行号 row,字段 field,收到的值 value,代码 code,原因 reason');
    expect(lines).toHaveLength(1 + 101);
    expect(lines.at(-1)).toMatch(/^2003,CF_XDR_SHXYM,"'=HYPERLINK\(""http:\/\/x""\)",/);
  });

  it('changes nothing when a chunk message or the S3 event is delivered again', async () => {
    // Prepare
    const report = await readJson<Record<string, any>>(
      stack(),
      bucketLayout.reportKey('SCJG', 'admin-penalty', 'large.csv'),
    );
    const jobs = new JobStore(stack().clients.documentClient, stack().config.tableName);
    const before = await jobs.get(report!.jobId);
    const succeeded = stack().pollers.ingest.stats.succeeded;
    const message: ChunkMessage = {
      kind: 'ingest-chunk',
      jobId: report!.jobId,
      bucket: stack().config.bucketName,
      key: report!.source.key,
      eventTime: report!.receivedAt,
      size: report!.source.size,
      headerEnd: 10,
      encoding: 'utf-8',
      chunk: 2,
      chunkCount: report!.chunks,
      start: 100,
      end: 200,
      firstRow: 40,
    };
    // Act
    await stack().clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack().config.queues.ingest.url,
        MessageBody: JSON.stringify(message),
      }),
    );
    await waitFor(() => stack().pollers.ingest.stats.succeeded > succeeded, {
      what: 'the redelivered chunk',
    });
    // Assess
    expect(await jobs.get(report!.jobId)).toEqual(before);
  });

  it('reports the same content uploaded again under another name as a duplicate upload and stores nothing', async () => {
    // Prepare
    const body = largeFile('江市监罚');
    // Act
    await putIncoming(stack(), 'SCJG', 'admin-penalty', 'large-again.csv', body);
    const report = await reportOf(
      stack(),
      bucketLayout.reportKey('SCJG', 'admin-penalty', 'large-again.csv'),
    );
    // Assess
    expect(report).toMatchObject({
      status: 'rejected',
      counts: { rows: 0, accepted: 0 },
      fileErrors: [expect.objectContaining({ code: 'DUPLICATE_UPLOAD' })],
    });
    expect(report.fileErrors[0].reason).toContain('incoming/SCJG/admin-penalty/large.csv');
    expect(await recordsOfJob(stack(), 'SCJG', report.jobId)).toEqual([]);
  });

  it('chunks a GBK file, detecting the encoding once for all chunks', async () => {
    // Prepare
    const body = penaltyFile({ rows: 2000, documentPrefix: '江市监罚GBK', subjects: 200 }, 'gbk');
    expect(iconv.decode(body.subarray(0, 200), 'gbk')).toContain('CF_XDR_MC');
    // Act
    await putIncoming(stack(), 'SCJG', 'admin-penalty', 'large-gbk.csv', body);
    const report = await reportOf(stack(), bucketLayout.reportKey('SCJG', 'admin-penalty', 'large-gbk.csv'));
    // Assess
    expect(report.chunks).toBeGreaterThan(2);
    expect(report).toMatchObject({
      encoding: 'gb18030',
      counts: { rows: 2000, accepted: 1900, rejected: 100 },
    });
    const stored = await recordsOfJob(stack(), 'SCJG', report.jobId);
    expect(
      stored.some(
        (item) => (item.record as { subject: { name: string } }).subject?.name === '江门市第7号建材有限公司',
      ),
    ).toBe(true);
  });
});
