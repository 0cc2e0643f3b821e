/**
 * The rejected-rows memory figure of bench:ingest: the peak RSS of the ingest function (its own
 * process, as in the main benchmark) while it rejects every row of an adversarial file —
 *  - an admin-penalty CSV of `csvRows` lines of `x` after the header, in a single pass and chunked
 *    (the worker started with small chunks, so that the same file takes the chunked path);
 *  - an XLSX of `xlsxRows` one-cell rows after the header (XLSX is read in one pass: spooled, then its sheet streamed).
 * Every row is rejected, so the report keeps 1,000 of them and the rejected-rows CSV has them all:
 * memory must be bounded by the chunk, never by the rows rejected (target < 256 MB).
 */
import { fork } from 'node:child_process';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import ExcelJS from 'exceljs';
import { bucketLayout, env, ingestion } from '#lib/platform/resources';
import type { LocalStackHandle } from '#local/stack';
import { penaltyHeader } from '#test/support/csv-fixtures';

export interface RejectedRowsOptions {
  readonly stack: LocalStackHandle;
  readonly workerBundle: string;
  readonly agency: string;
  readonly csvRows: number;
  readonly xlsxRows: number;
  /** Chunk size of the chunked run (the file is ~3 bytes a line). */
  readonly chunkBytes: number;
  readonly execArgv: string[];
}

export interface RejectedRowsFigure {
  readonly file: string;
  readonly path: string;
  readonly 'file size': string;
  readonly rows: number;
  readonly rejected: number;
  readonly 'report rows kept': number;
  readonly chunks: number;
  readonly seconds: string;
  readonly 'ingest RSS before': string;
  readonly 'ingest peak RSS': string;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The header, then `rows` lines of one letter (another letter, other content: not a duplicate upload). */
function letterLinesCsv(rows: number, letter: string): Buffer {
  return Buffer.from(`${penaltyHeader.join(',')}\r\n${`${letter}\r\n`.repeat(rows)}`, 'utf8');
}

async function oneCellXlsx(rows: number): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('行政处罚');
  sheet.addRow([...penaltyHeader]);
  for (let n = 0; n < rows; n += 1) sheet.addRow(['x']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The ingest handler in its own process, polling the ingest queue; resolves its messages by key. */
async function startWorker(options: RejectedRowsOptions, chunkBytes: number) {
  const worker = fork(options.workerBundle, [], {
    execArgv: options.execArgv,
    env: {
      ...process.env,
      [env.ingestChunkBytes]: String(chunkBytes),
      INGEST_QUEUE_URL_BENCH: options.stack.queues.ingest.url,
      INGEST_QUEUE_ARN_BENCH: options.stack.queues.ingest.arn,
      BENCH_WORKERS: '1',
    },
  });
  const next = <T>(key: string) =>
    new Promise<T>((resolve) => {
      const listener = (message: Record<string, unknown>) => {
        if (!(key in message)) return;
        worker.off('message', listener);
        resolve(message as T);
      };
      worker.on('message', listener);
    });
  await next('ready');
  return {
    reset: async () => {
      const reply = next<{ rss: number; peakRss: number }>('reset');
      worker.send({ reset: true });
      return reply;
    },
    stop: async () => {
      const reply = next('maxRss');
      worker.send({ stop: true });
      await reply;
    },
  };
}

async function reportOf(stack: LocalStackHandle, key: string) {
  for (;;) {
    try {
      const result = await stack.clients.s3.send(
        new GetObjectCommand({ Bucket: stack.config.bucketName, Key: key }),
      );
      return JSON.parse(await result.Body!.transformToString('utf8')) as {
        counts: { rows: number; rejected: number };
        rejectedRows: unknown[];
        chunks?: number;
      };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Uploads one file to a fresh worker and measures the worker's peak RSS until the report is written. */
async function measure(
  options: RejectedRowsOptions,
  run: { file: string; path: string; name: string; body: Buffer; chunkBytes: number },
): Promise<RejectedRowsFigure> {
  const { stack } = options;
  const worker = await startWorker(options, run.chunkBytes);
  const { rss: before } = await worker.reset();
  const started = performance.now();
  await stack.clients.s3.send(
    new PutObjectCommand({
      Bucket: stack.config.bucketName,
      Key: bucketLayout.incomingKey(options.agency, 'admin-penalty', run.name),
      Body: run.body,
    }),
  );
  const report = await reportOf(stack, bucketLayout.reportKey(options.agency, 'admin-penalty', run.name));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const { peakRss } = await worker.reset();
  await worker.stop();
  return {
    file: run.file,
    path: run.path,
    'file size': mb(run.body.length),
    rows: report.counts.rows,
    rejected: report.counts.rejected,
    'report rows kept': report.rejectedRows.length,
    chunks: report.chunks ?? 1,
    seconds,
    'ingest RSS before': mb(before),
    'ingest peak RSS': mb(peakRss),
  };
}

/** The three runs, one fresh ingest process each. The caller has stopped its own ingest worker. */
export async function rejectedRowsFigures(options: RejectedRowsOptions): Promise<RejectedRowsFigure[]> {
  const figures: RejectedRowsFigure[] = [];
  if (options.csvRows > 0) {
    const file = `CSV, ${options.csvRows.toLocaleString()} lines of x`;
    figures.push(
      await measure(options, {
        file,
        path: 'single pass',
        name: `rejected-${options.csvRows}.csv`,
        body: letterLinesCsv(options.csvRows, 'x'),
        chunkBytes: ingestion.chunkBytes,
      }),
    );
    figures.push(
      await measure(options, {
        file,
        path: `chunked (${Math.round(options.chunkBytes / 1024)} KB chunks)`,
        name: `rejected-${options.csvRows}-chunked.csv`,
        body: letterLinesCsv(options.csvRows, 'y'),
        chunkBytes: options.chunkBytes,
      }),
    );
  }
  if (options.xlsxRows > 0) {
    figures.push(
      await measure(options, {
        file: `XLSX, ${options.xlsxRows.toLocaleString()} one-cell rows`,
        path: 'single pass (spooled)',
        name: `rejected-${options.xlsxRows}.xlsx`,
        body: await oneCellXlsx(options.xlsxRows),
        chunkBytes: ingestion.chunkBytes,
      }),
    );
  }
  return figures;
}
