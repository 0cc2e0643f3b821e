/**
 * npm run bench:ingest -- [--rows 100000] [--encodings utf-8,gbk] [--chunk-mb 16] [--workers 2]
 *                         [--ceiling-concurrency 16] [--ceiling-rows 30000] [--worker-heap-mb 160]
 *                         [--memory-trace <file>] [--rejected-rows 200000] [--xlsx-rows 300000]
 *                         [--rejected-chunk-kb 64]
 *
 * Generates a realistic 行政处罚 CSV (5 % invalid rows) per encoding, then, against one local stack
 * (DynamoDB Local, s3rver, fauxqs, in memory):
 *  1. end to end: PutObject under incoming/ → S3 event → ingest queue → ingest handler (coordinator
 *     and chunk workers, `--workers` concurrent invocations as Lambda would run) → report; rows/s
 *     and peak RSS of this process (which also hosts s3rver and fauxqs) sampled every 50 ms;
 *  2. parse and validate without storage (a null sink): rows/s;
 *  3. the raw BatchWriteItem ceiling: the items of the same accepted rows written straight to the
 *     same DynamoDB Local with `--ceiling-concurrency` calls in flight, in rows/s;
 * and prints end to end as a percentage of the ceiling (target ≥ 70 %); then
 *  4. memory under rejected rows: the peak RSS of a fresh ingest process while it rejects every row
 *     of an admin-penalty CSV of `--rejected-rows` lines of `x` (single pass, and chunked in
 *     `--rejected-chunk-kb` chunks) and of an XLSX of `--xlsx-rows` one-cell rows (target < 256 MB).
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { build } from 'esbuild';
import iconv from 'iconv-lite';
import { esmRequireBanner } from '#infra/constructs/credit-function';
import { batchPutItems } from '#lib/aws/batch-write';
import { CreditStore } from '#lib/aws/credit-store';
import { type Item, itemsForRow } from '#lib/aws/items/items';
import { toShanghaiDate } from '#lib/calendar/working-days';
import { schemaFor } from '#lib/datasets/index';
import { type AcceptedRow, ingestFile } from '#lib/ingest/ingest-file';
import { bucketLayout, env, ingestion } from '#lib/platform/resources';
import { startLocalStack } from '#local/stack';
import { codes, penaltyLines, shapeOf } from './support/penalty-file';
import { rejectedRowsFigures } from './support/rejected-rows';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    encodings: { type: 'string', default: 'utf-8,gbk' },
    'chunk-mb': { type: 'string', default: String(ingestion.chunkBytes / 1024 / 1024) },
    workers: { type: 'string', default: '2' },
    'ceiling-concurrency': { type: 'string', default: '16' },
    'ceiling-rows': { type: 'string', default: '30000' },
    /** V8 old-space limit of the ingest process, as a Lambda function's memory would bound it. */
    'worker-heap-mb': { type: 'string' },
    /** A file to which the ingest process appends its memory figures every second. */
    'memory-trace': { type: 'string' },
    'rejected-rows': { type: 'string', default: '200000' },
    'xlsx-rows': { type: 'string', default: '300000' },
    'rejected-chunk-kb': { type: 'string', default: '64' },
  },
});
const rows = Number(values.rows);
const encodings = String(values.encodings).split(',') as ('utf-8' | 'gbk')[];
const chunkBytes = Math.round(Number(values['chunk-mb']) * 1024 * 1024);
const workers = Number(values.workers);
const ceilingConcurrency = Number(values['ceiling-concurrency']);
const ceilingRows = Math.min(rows, Number(values['ceiling-rows']));
const AGENCY = 'BENCH';
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rate = (count: number, ms: number) => Math.round((count / ms) * 1000);

/**
 * bench/support/ingest-worker.ts (the ingest handler and its poller) as one minified ESM file. The
 * AWS SDK is bundled in: CDK leaves it out because the Lambda runtime loads its own copy, which is
 * in memory there all the same.
 */
async function bundleIngestWorker(dir: string): Promise<string> {
  const outfile = join(dir, 'ingest-worker.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./support/ingest-worker.ts', import.meta.url))],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    mainFields: ['module', 'main'],
    minify: true,
    charset: 'utf8',
    banner: { js: esmRequireBanner },
    logLevel: 'warning',
  });
  return outfile;
}

async function generate(path: string, encoding: 'utf-8' | 'gbk', prefix: string): Promise<number> {
  const out = createWriteStream(path);
  let pending: string[] = [];
  const flush = async () => {
    const text = pending.join('');
    pending = [];
    const bytes = encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8');
    if (!out.write(bytes)) await once(out, 'drain');
  };
  for (const line of penaltyLines({ rows, documentPrefix: prefix })) {
    pending.push(line);
    if (pending.length >= 2000) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
  return (await stat(path)).size;
}

const context = {
  agency: { code: AGENCY, name: '江门市市场监督管理局', uscc: codes.agencyUscc },
  today: toShanghaiDate(new Date()),
};

/** Parse and validate with a null sink; optionally keeps the first `keep` accepted rows. */
async function parseOnly(path: string, keep = 0): Promise<{ ms: number; rows: number; kept: AcceptedRow[] }> {
  const kept: AcceptedRow[] = [];
  const started = performance.now();
  const outcome = await ingestFile({
    schema: schemaFor('admin-penalty'),
    body: createReadStream(path, { highWaterMark: 1024 * 1024 }),
    context,
    receivedDate: toShanghaiDate(new Date()),
    sink: {
      write: async (batch) => {
        if (kept.length < keep) kept.push(...batch.slice(0, keep - kept.length));
      },
    },
  });
  return { ms: performance.now() - started, rows: outcome.counts.rows, kept };
}

async function main() {
  process.env[env.ingestChunkBytes] = String(chunkBytes);
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  const dir = await mkdtemp(join(tmpdir(), 'bench-ingest-'));
  const shape = shapeOf({ rows });
  console.log(
    `bench:ingest — ${rows.toLocaleString()} rows of 行政处罚 (${shape.invalid.toLocaleString()} invalid), chunks of ${mb(chunkBytes)}, ${workers} concurrent ingest invocations`,
  );
  const stack = await startLocalStack({
    quiet: true,
    scheduleIntervalSeconds: 0,
    failedMessageRetryDelaySeconds: 0,
  });
  try {
    // The match function would re-screen every changed subject; it is another function's cost,
    // so its poller is paused (the messages are still sent, and counted in the end-to-end time).
    await stack.pollers.match.stop();
    await stack.pollers.ingest.stop();
    // The ingest function runs in a child process, so that its peak RSS is measured on its own, and
    // from an esbuild bundle built as CDK builds the Lambda's (minified ESM), not through tsx, whose
    // loader and source cache would be counted in the RSS.
    const workerBundle = await bundleIngestWorker(dir);
    const worker = fork(workerBundle, [], {
      execArgv: values['worker-heap-mb'] ? [`--max-old-space-size=${values['worker-heap-mb']}`] : [],
      env: {
        ...process.env,
        INGEST_QUEUE_URL_BENCH: stack.queues.ingest.url,
        INGEST_QUEUE_ARN_BENCH: stack.queues.ingest.arn,
        BENCH_WORKERS: String(workers),
        ...(values['memory-trace'] ? { BENCH_MEMORY_TRACE: values['memory-trace'] } : {}),
      },
    });
    const fromWorker = <T>(key: string) =>
      new Promise<T>((resolve) => {
        const listener = (message: Record<string, unknown>) => {
          if (key in message) {
            worker.off('message', listener);
            resolve(message as T);
          }
        };
        worker.on('message', listener);
      });
    await fromWorker('ready');
    const store = new CreditStore(stack.clients.documentClient, stack.config.tableName);
    await store.putAgency({ code: AGENCY, name: '江门市市场监督管理局', uscc: codes.agencyUscc });

    const results: Record<string, string | number>[] = [];
    // --rows 0: only the rejected-rows figures below.
    for (const encoding of rows > 0 ? encodings : []) {
      const path = join(dir, `penalty-${encoding}.csv`);
      const size = await generate(path, encoding, `江市监罚${encoding}`);
      const fileName = `bench-${encoding}-${rows}.csv`;
      const key = bucketLayout.incomingKey(AGENCY, 'admin-penalty', fileName);
      const reportKey = bucketLayout.reportKey(AGENCY, 'admin-penalty', fileName);

      // 1. End to end
      worker.send({ reset: true });
      const { rss: baselineRss } = await fromWorker<{ rss: number }>('reset');
      const started = performance.now();
      await stack.clients.s3.send(
        new PutObjectCommand({
          Bucket: stack.config.bucketName,
          Key: key,
          Body: createReadStream(path),
          ContentLength: size,
        }),
      );
      for (;;) {
        try {
          await stack.clients.s3.send(
            new HeadObjectCommand({ Bucket: stack.config.bucketName, Key: reportKey }),
          );
          break;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      const endToEndMs = performance.now() - started;
      worker.send({ reset: true });
      const { peakRss } = await fromWorker<{ peakRss: number }>('reset');
      const reportText = await (
        await stack.clients.s3.send(
          new (
            await import('@aws-sdk/client-s3')
          ).GetObjectCommand({
            Bucket: stack.config.bucketName,
            Key: reportKey,
          }),
        )
      ).Body!.transformToString('utf8');
      const report = JSON.parse(reportText) as {
        counts: { rows: number; accepted: number; rejected: number };
        chunks?: number;
        encoding: string;
      };

      // 2. Parse and validate, null sink (and the accepted rows for the ceiling)
      const parsed = await parseOnly(path, ceilingRows);

      // 3. Raw BatchWriteItem ceiling for the same items
      const provenance = {
        agencyCode: AGENCY,
        jobId: 'bench-ceiling',
        sourceKey: key,
        receivedAt: new Date().toISOString(),
        receivedDate: toShanghaiDate(new Date()),
      };
      const items: Item[] = parsed.kept.flatMap((row) => itemsForRow(row, provenance));
      const ceilingStarted = performance.now();
      await batchPutItems(stack.clients.documentClient, stack.config.tableName, items, {
        concurrency: ceilingConcurrency,
      });
      const ceilingMs = performance.now() - ceilingStarted;
      const ceilingRowsPerSecond = rate(parsed.kept.length, ceilingMs);
      const endToEnd = rate(report.counts.rows, endToEndMs);
      const acceptedPerSecond = rate(report.counts.accepted, endToEndMs);
      const ceilingAcceptedShare = acceptedPerSecond / ceilingRowsPerSecond;

      results.push({
        encoding: report.encoding,
        'file size': mb(size),
        chunks: report.chunks ?? 1,
        'rows (accepted/rejected)': `${report.counts.rows} (${report.counts.accepted}/${report.counts.rejected})`,
        'end-to-end s': (endToEndMs / 1000).toFixed(1),
        'end-to-end rows/s': endToEnd,
        'accepted rows/s': acceptedPerSecond,
        'ingest RSS before': mb(baselineRss),
        'ingest peak RSS': mb(peakRss),
        'parse+validate rows/s': rate(parsed.rows, parsed.ms),
        'ceiling rows/s': ceilingRowsPerSecond,
        'ceiling items/s': rate(items.length, ceilingMs),
        'end-to-end % of ceiling': `${(ceilingAcceptedShare * 100).toFixed(0)} %`,
      });
      console.log(results.at(-1));
      await rm(path, { force: true });
    }
    if (results.length > 0) console.table(results);
    console.log(
      'end-to-end % of ceiling compares accepted (stored) rows per second end to end with the rows per second of the raw BatchWriteItem run of the same items (target ≥ 70 %).',
    );
    worker.send({ stop: true });
    const { maxRss } = await fromWorker<{ maxRss: number }>('maxRss');
    console.log(`ingest process maxRSS over the whole run: ${mb(maxRss)}`);

    // 4. Memory under rejected rows (each run in a fresh ingest process)
    const rejected = await rejectedRowsFigures({
      stack,
      workerBundle,
      agency: AGENCY,
      csvRows: Number(values['rejected-rows']),
      xlsxRows: Number(values['xlsx-rows']),
      chunkBytes: Number(values['rejected-chunk-kb']) * 1024,
      execArgv: values['worker-heap-mb'] ? [`--max-old-space-size=${values['worker-heap-mb']}`] : [],
    });
    if (rejected.length > 0) {
      console.table(rejected);
      console.log(
        'every row rejected: the report keeps 1,000, the rejected-rows CSV has them all; ingest peak RSS target < 256 MB.',
      );
    }
    console.log(
      `bench process (emulators, generator, ceiling) maxRSS: ${mb(process.resourceUsage().maxRSS * 1024)}`,
    );
  } finally {
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
