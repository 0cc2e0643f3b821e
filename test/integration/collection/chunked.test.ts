import { GetObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { companyUscc, penaltyFile, penaltyLines } from '#bench/support/penalty-file';
import { CreditStore } from '#lib/aws/credit-store';
import { IngestObjects } from '#lib/aws/ingest-objects';
import { JobStore } from '#lib/aws/job-store';
import { MatchQueue } from '#lib/aws/match-queue';
import { ObjectStore } from '#lib/aws/object-store';
import { DynamoRecordWriter } from '#lib/aws/record-writer';
import { systemClock } from '#lib/clock/system-clock';
import { type ChunkIngestResult, ingestChunk } from '#lib/ingest/chunking/ingest-chunk';
import type { ChunkMessage } from '#lib/ingest/chunking/messages';
import { scanFile } from '#lib/ingest/chunking/scan';
import {
  type FullReport,
  type IngestDependencies,
  ingestObject,
  type ObjectCreated,
} from '#lib/ingest/ingest-object';
import { bucketLayout } from '#lib/platform/resources';
import { type PenaltyRow, penaltyHeader, penaltyRow, streamOf } from '#test/support/csv-fixtures';
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
  const store = new CreditStore(documentClient, handle.config.tableName);
  return {
    agencies: store,
    listTypes: store,
    records: DynamoRecordWriter.forTable(documentClient, handle.config.tableName),
    jobs: new JobStore(documentClient, handle.config.tableName),
    objects: new ObjectStore(s3, handle.config.bucketName),
    files: new IngestObjects(s3, handle.config.bucketName),
    matchQueue: new MatchQueue(sqs, handle.config.queues.match.url),
    clock: systemClock,
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
    // Thousands of rows through the pipeline twice: on two busy cores this has taken 35 s.
  }, 120_000);

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
      format: 'csv',
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

/** The three kinds of invalid row of bench/support/penalty-file.ts, in turn. */
const INVALID: PenaltyRow[] = [{ CF_XDR_SHXYM: '91440703MA4W12346X' }, { CF_XDR_MC: '' }, { CF_NR_FK: '' }];

/** A penalty row as a JSON object line. */
function objectLine(overrides: PenaltyRow, extra: Record<string, string> = {}): string {
  const row = penaltyRow(overrides);
  return JSON.stringify({ ...Object.fromEntries(penaltyHeader.map((name, i) => [name, row[i]])), ...extra });
}

/** The same JSON with every non-ASCII character escaped (\uXXXX), as some exporters write it. */
function asciiOnly(json: string): string {
  return json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

interface JsonlFile {
  readonly body: Buffer;
  /** Physical line numbers (1-based) of the lines the report must name. */
  readonly lines: {
    readonly notObject: number;
    readonly syntax: number;
    readonly repeat: number;
    readonly hostile: number;
  };
}

const isAscii = (bytes: Buffer) => bytes.every((byte) => byte < 0x80);

/**
 * 1,200 penalty rows as JSON Lines (60 invalid), with what a cut must survive: escaped quotes and
 * line breaks inside strings, CRLF and LF line ends, a blank line after every 100th row, a line
 * that is not JSON, unknown keys on rows 5 and 900, a repeat of row 5's business key and a
 * formula-injection row at the end. Cut for `chunkBytes`: the first 64 KB and a little more of
 * chunk 2 are written with \u escapes (pure ASCII), so that in GBK that chunk starts as UTF-8 would
 * (the transcoding path) and holds GBK further on; chunk 1's first line is replaced, byte for byte,
 * by a line that is not an object.
 */
async function largeJsonl(
  prefix: string,
  encoding: 'utf-8' | 'gbk',
  chunkBytes = CHUNK_BYTES,
): Promise<JsonlFile> {
  const lines: string[] = [];
  let syntax = 0;
  for (let i = 1; i <= 1200; i += 1) {
    const overrides: PenaltyRow = {
      CF_XDR_MC: `江门市第${i % 200}号建材有限公司`,
      CF_XDR_SHXYM: companyUscc(i % 200),
      CF_WSH: `${prefix}〔2026〕${i}号`,
      CF_SY: i % 7 === 0 ? `销售不合格产品，"抽检"批次\n第${i}批` : '销售抽检不合格的建筑用钢筋',
      CF_NR: `罚款人民币${(i % 50) + 1}万元`,
      CF_NR_FK: String((i % 50) + 1),
      CF_JDRQ: `2026/${String(1 + (i % 10)).padStart(2, '0')}/${String(1 + (i % 28)).padStart(2, '0')}`,
      ...(i % 20 === 0 ? INVALID[(i / 20) % 3] : {}),
    };
    const extra: Record<string, string> = i === 5 ? { remark: '备注' } : i === 900 ? { 内部编号: 'x' } : {};
    lines.push(objectLine(overrides, extra));
    if (i % 100 === 0) lines.push('');
    if (i === 800) {
      lines.push(`{"CF_WSH": "${prefix}-broken"`);
      syntax = lines.length;
    }
  }
  lines.push(
    objectLine({
      CF_XDR_MC: '江门市第5号建材有限公司',
      CF_XDR_SHXYM: companyUscc(5),
      CF_WSH: `${prefix}〔2026〕5号`,
      CF_NR_FK: '49',
      CF_NR: '罚款人民币49万元',
      CF_JDRQ: '2026/06/06',
    }),
    objectLine({ CF_WSH: `${prefix}-X`, CF_XDR_SHXYM: '=HYPERLINK("http://x")' }),
  );
  const encode = () => {
    const text = lines.map((line, n) => `${line}${n % 3 === 0 ? '\r\n' : '\n'}`).join('');
    return encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8');
  };
  // Escaping makes later lines longer: chunk 2 still starts where it did, only later cuts move.
  const plain = await scanFile(streamOf(encode(), 64 * 1024), chunkBytes);
  for (let n = plain.chunks[2]!.firstRow - 1, bytes = 0; bytes <= 64 * 1024; n += 1) {
    lines[n] = asciiOnly(lines[n]!);
    bytes += lines[n]!.length + 2;
  }
  const encoded = encode();
  const scan = await scanFile(streamOf(encoded, 64 * 1024), chunkBytes);
  expect(scan.chunks[2]!.start).toBe(plain.chunks[2]!.start);
  const start = scan.chunks[1]!.start;
  let end = encoded.indexOf(0x0a, start);
  if (encoded[end - 1] === 0x0d) end -= 1;
  const body = Buffer.concat([
    encoded.subarray(0, start),
    Buffer.from(`["${'x'.repeat(end - start - 4)}"]`),
    encoded.subarray(end),
  ]);
  // Same length, same line ends: the same cuts, chunk 1 now starting with the array.
  expect((await scanFile(streamOf(body, 64 * 1024), chunkBytes)).chunks).toEqual(scan.chunks);
  expect(scan.chunks.length).toBeGreaterThan(4);
  return {
    body,
    lines: { notObject: scan.chunks[1]!.firstRow, syntax, repeat: lines.length - 1, hostile: lines.length },
  };
}

/**
 * What a chunked report must share with the single pass over the same file. Not appliedRows: a
 * chunk really writes a row that assembly later finds to repeat an earlier chunk's, so the chunked
 * range may end later (CSV alike).
 */
function comparable(report: FullReport) {
  const { status, format, encoding, counts, columns, fileErrors, warnings } = report;
  const { rejectedRows, duplicateRows, flaggedRows } = report;
  return {
    status,
    format,
    encoding,
    counts,
    columns,
    fileErrors,
    warnings,
    rejectedRows,
    duplicateRows,
    flaggedRows,
  };
}

/** The facts of largeJsonl that hold in any encoding. */
function expectJsonlReport(report: FullReport, file: JsonlFile, encoding: string) {
  expect(report).toMatchObject({
    status: 'partial',
    format: 'jsonl',
    encoding,
    // Every non-blank line is a row: 1,200 objects (one replaced by the array), the broken line,
    // the repeat and the hostile row.
    counts: { rows: 1203, duplicate: 1 },
  });
  const { counts } = report;
  expect(counts.accepted + counts.rejected + counts.duplicate).toBe(1203);
  // Row 5 is line 5: JSON Lines has no header.
  expect(report.duplicateRows).toEqual([{ row: file.lines.repeat, duplicateOf: 5 }]);
  const rejected = new Map(report.rejectedRows.map((entry) => [entry.row, entry.issues]));
  expect(rejected.get(file.lines.notObject)).toEqual([
    {
      field: '(record)',
      value: '',
      code: 'JSON_NOT_OBJECT',
      reason: `line ${file.lines.notObject} is not a JSON object`,
    },
  ]);
  expect(rejected.get(file.lines.syntax)?.[0]).toMatchObject({ code: 'JSON_SYNTAX' });
  expect(rejected.get(file.lines.syntax)?.[0]?.reason).toMatch(
    new RegExp(`^line ${file.lines.syntax} is not valid JSON`),
  );
  expect(rejected.get(file.lines.hostile)?.[0]).toMatchObject({ field: 'CF_XDR_SHXYM' });
  expect(report.fileErrors).toEqual([expect.objectContaining({ code: 'UNREADABLE_RECORDS' })]);
  expect(report.fileErrors[0]!.reason).toMatch(/^2 record\(s\)/);
  expect(report.columns.unknown).toEqual(['remark', '内部编号']);
  expect(report.warnings).toEqual([expect.objectContaining({ code: 'UNKNOWN_COLUMNS' })]);
}

// Each test ingests 1,200 rows twice (chunked and in one pass): on a busy machine that outlasts
// the default 60 s.
const JSONL_TEST_MS = 150_000;

describe('Function: ingest — a large JSON Lines file in chunks', () => {
  it(
    'cuts JSON Lines by lines and writes a report with the rows and counts of a single pass',
    async () => {
      // Prepare
      await registerAgency(stack(), 'JLU');
      await registerAgency(stack(), 'JLUB');
      const file = await largeJsonl('江市监罚JL', 'utf-8');

      // Act: through S3 → ingest queue → coordinator → chunk messages → workers → last chunk
      await putIncoming(stack(), 'JLU', 'admin-penalty', 'large.jsonl', file.body);
      const report = await reportOf(stack(), bucketLayout.reportKey('JLU', 'admin-penalty', 'large.jsonl'));
      const versions = (await recordsOfJob(stack(), 'JLU', report.jobId)).filter(
        (item) => item.type === 'record-version',
      );
      // … then a chunk message delivered again after the job finished: chunk 1, exactly as sent
      const jobs = new JobStore(stack().clients.documentClient, stack().config.tableName);
      const before = await jobs.get(report.jobId);
      const scan = await scanFile(streamOf(file.body, 64 * 1024), CHUNK_BYTES);
      const message: ChunkMessage = {
        kind: 'ingest-chunk',
        jobId: report.jobId,
        bucket: stack().config.bucketName,
        key: report.source.key,
        ...(report.source.versionId ? { versionId: report.source.versionId } : {}),
        eventTime: report.receivedAt,
        size: file.body.length,
        format: 'jsonl',
        headerEnd: 0,
        encoding: 'utf-8',
        chunk: 1,
        chunkCount: scan.chunks.length,
        start: scan.chunks[1]!.start,
        end: scan.chunks[1]!.end,
        firstRow: scan.chunks[1]!.firstRow,
      };
      const succeeded = stack().pollers.ingest.stats.succeeded;
      await stack().clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: stack().config.queues.ingest.url,
          MessageBody: JSON.stringify(message),
        }),
      );
      await waitFor(() => stack().pollers.ingest.stats.succeeded > succeeded, {
        what: 'the redelivered chunk',
      });
      const versionsAfter = (await recordsOfJob(stack(), 'JLU', report.jobId)).filter(
        (item) => item.type === 'record-version',
      );
      // … and the same file in one pass, by the library without a chunk queue, for another agency
      await stack().pollers.ingest.stop();
      await putIncoming(stack(), 'JLUB', 'admin-penalty', 'large-single.jsonl', file.body);
      const single = await ingestObject(directDependencies(stack()), {
        bucket: stack().config.bucketName,
        key: bucketLayout.incomingKey('JLUB', 'admin-penalty', 'large-single.jsonl'),
        eventTime: report.receivedAt,
        size: file.body.length,
      });
      stack().pollers.ingest.start();

      // Assess
      expect(report.chunks).toBe(scan.chunks.length);
      expectJsonlReport(report as FullReport, file, 'utf-8');
      expect(single.status).toBe('ingested');
      if (single.status !== 'ingested') return;
      expect(comparable(report as FullReport)).toEqual(comparable(single.report));
      // One history version per accepted row: the cross-chunk duplicate left none, the redelivery added none.
      expect(versions).toHaveLength(report.counts.accepted);
      expect(versions.map((item) => item.sourceRow)).not.toContain(file.lines.repeat);
      expect(versionsAfter).toHaveLength(versions.length);
      expect(await jobs.get(report.jobId)).toEqual(before);
    },
    JSONL_TEST_MS,
  );

  it(
    'chunks GBK JSON Lines, transcoding a chunk that starts with ASCII, and a redelivered chunk changes nothing',
    async () => {
      // Prepare
      await registerAgency(stack(), 'JLG');
      await registerAgency(stack(), 'JLGB');
      // Chunks larger than the 64 KB a chunk's encoding is detected from, so that one holds both.
      const chunkBytes = 128 * 1024;
      const file = await largeJsonl('江市监罚JG', 'gbk', chunkBytes);
      const scan = await scanFile(streamOf(file.body, 64 * 1024), chunkBytes);
      // Chunk 2's first 64 KB are ASCII (UTF-8 on their own), and GBK follows.
      const second = scan.chunks[2]!;
      expect(isAscii(file.body.subarray(second.start, second.start + 64 * 1024))).toBe(true);
      expect(isAscii(file.body.subarray(second.start, second.end))).toBe(false);
      const eventTime = '2026-11-20T02:00:00.000Z';
      const object = (agency: string, name: string): ObjectCreated => ({
        bucket: stack().config.bucketName,
        key: bucketLayout.incomingKey(agency, 'admin-penalty', name),
        eventTime,
        size: file.body.length,
      });
      const sent: ChunkMessage[] = [];
      const chunked = directDependencies(stack(), {
        chunkBytes,
        chunkQueue: {
          send: async (messages) => {
            sent.push(...messages);
          },
        },
      });

      // Act: the library as the handler runs it (the pipeline paused): fan out, then every chunk,
      // chunk 0 twice and chunk 1 again after the job finished; and the same file in one pass
      await stack().pollers.ingest.stop();
      let single: Awaited<ReturnType<typeof ingestObject>>;
      const results: ChunkIngestResult[] = [];
      try {
        await putIncoming(stack(), 'JLG', 'admin-penalty', 'large-gbk.jsonl', file.body);
        await putIncoming(stack(), 'JLGB', 'admin-penalty', 'large-gbk-single.jsonl', file.body);
        expect(await ingestObject(chunked, object('JLG', 'large-gbk.jsonl'))).toMatchObject({
          status: 'chunked',
        });
        for (const message of [sent[0]!, ...sent, sent[1]!])
          results.push(await ingestChunk(chunked, message));
        single = await ingestObject(directDependencies(stack()), object('JLGB', 'large-gbk-single.jsonl'));
      } finally {
        stack().pollers.ingest.start();
      }
      const report = results.flatMap((result) =>
        'report' in result && result.report ? [result.report] : [],
      )[0]!;

      // Assess
      expect(
        sent.map((message) => [message.format, message.headerEnd, message.start, message.firstRow]),
      ).toEqual(scan.chunks.map((chunk) => ['jsonl', 0, chunk.start, chunk.firstRow]));
      expect(results.map((result) => result.status)).toEqual([
        'processed',
        'already-done',
        ...sent.slice(1).map(() => 'processed'),
        'job-finished',
      ]);
      expect(report.chunks).toBe(sent.length);
      expectJsonlReport(report, file, 'gb18030');
      expect(single.status).toBe('ingested');
      if (single.status !== 'ingested') return;
      expect(comparable(report)).toEqual(comparable(single.report));
      const stored = await recordsOfJob(stack(), 'JLG', report.jobId);
      expect(stored.filter((item) => item.type === 'record-version')).toHaveLength(report.counts.accepted);
      expect(
        stored.some(
          (item) =>
            (item.record as { subject: { name: string } }).subject?.name === '江门市第7号建材有限公司',
        ),
      ).toBe(true);
    },
    JSONL_TEST_MS,
  );
});
