/**
 * The ingest function in its own process, as Lambda runs it: polls the ingest queue (the stack's
 * environment is inherited from the parent) with `concurrency` invocations in flight, and on
 * 'stop' reports its peak RSS to the parent. Used by bench/ingest.ts so that the RSS measured is
 * the ingestion's, not the emulators'.
 */
import { handler } from '../../functions/ingest/handler';
import { createSqsClient } from '../../lib/aws/clients';
import { createLocalLogger } from '../../local/log';
import { SqsPoller } from '../../local/sqs-poller';

const {
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
