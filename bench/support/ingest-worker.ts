/**
 * The ingest function in its own process, as Lambda runs it: polls the ingest queue (the stack's
 * environment is inherited from the parent) with `concurrency` invocations in flight, and on
 * 'stop' reports its peak RSS to the parent. Used by bench/ingest.ts so that the RSS measured is
 * the ingestion's, not the emulators'.
 */
import { appendFileSync } from 'node:fs';
import { handler } from '#functions/ingest/handler';
import { createSqsClient } from '#lib/aws/clients';
import { createLocalLogger } from '#local/log';
import { SqsPoller } from '#local/sqs-poller';

const {
  /** When set, a line of memory figures every second is appended to this file (bench --memory-trace). */
  BENCH_MEMORY_TRACE,
  INGEST_QUEUE_URL_BENCH = '',
  INGEST_QUEUE_ARN_BENCH = '',
  AWS_REGION = '',
  BENCH_WORKERS = '2',
} = process.env;

const poller = new SqsPoller({
  queue: 'ingest',
  functionName: 'ingest',
  handler: handler as never,
  sqs: createSqsClient(),
  queueUrl: INGEST_QUEUE_URL_BENCH,
  queueArn: INGEST_QUEUE_ARN_BENCH,
  region: AWS_REGION,
  batchSize: 1,
  maxBatchingWindowSeconds: 0,
  failedMessageRetryDelaySeconds: 0,
  waitTimeSeconds: 1,
  concurrency: Number(BENCH_WORKERS),
  logger: createLocalLogger({ quiet: true }),
});
poller.start();
process.send?.({ ready: true });

let peakRss = process.memoryUsage.rss();
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 50).unref();
if (BENCH_MEMORY_TRACE) {
  const started = Date.now();
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0).padStart(5);
  appendFileSync(BENCH_MEMORY_TRACE, '    s   rss  heap  heapUsed  external  arrayBuffers  (MB)\n');
  setInterval(() => {
    const m = process.memoryUsage();
    appendFileSync(
      BENCH_MEMORY_TRACE,
      `${String(Math.round((Date.now() - started) / 1000)).padStart(5)} ${mb(m.rss)} ${mb(m.heapTotal)} ${mb(m.heapUsed)}     ${mb(m.external)}         ${mb(m.arrayBuffers)}\n`,
    );
  }, 1000).unref();
}

process.on('message', async (message: { stop?: boolean; reset?: boolean }) => {
  if (message.reset) {
    // The peak since the last reset, then a new period starts.
    const rss = process.memoryUsage.rss();
    process.send?.({ reset: true, peakRss: Math.max(peakRss, rss), rss, stats: poller.stats });
    peakRss = rss;
  }
  if (message.stop) {
    await poller.stop();
    process.send?.({ peakRss, maxRss: process.resourceUsage().maxRSS * 1024, stats: poller.stats });
    process.exit(0);
  }
});
