import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { apiKeyId, generateApiKey, hashApiKey } from '#lib/auth/api-keys';
import { batchPutItems } from '#lib/aws/batch-write';
import { CreditStore } from '#lib/aws/credit-store';
import { keys } from '#lib/aws/items/keys';
import { watchItem } from '#lib/aws/push-store';
import { nameKey } from '#lib/identifiers/subject-names';
import { queues } from '#lib/platform/resources';
import { watchIdFor, watchRecord } from '#lib/push/watches';
import { SqsPoller } from '#local/sqs-poller';
import { type LocalStackHandle, startLocalStack } from '#local/stack';
import { heavySubjectBench } from './heavy-subject';
import {
  companyUscc,
  listEntryLines,
  listedName,
  listingAgency,
  loadRows,
  penaltyAgency,
  penaltyLines,
  penaltyName,
} from './support/check-data';

/**
 * `npm run bench:check [-- --entries 1000000 --subjects 1000000]`
 *
 * 1. Loads `entries` list entries and `subjects` subjects with a 行政处罚 record into the local stack.
 * 2. Drives POST /v1/checks with `concurrency` clients over HTTP (the local API Gateway, authorizer,
 *    api function, DynamoDB Local) and, in the same run, before and after, the bare DynamoDB queries
 *    one such check makes (lib/check/perform-check.ts for a USCC: the ORG alias of the embedded
 *    organisation code, then the subject partition, then the NAME alias of the subject's name).
 * 3. Re-screening: a list change of `rescreen-entries` entries, `watched` of its subjects watched;
 *    one subject-changed message per subject, measured until the match queue has drained.
 */
const { values: args } = parseArgs({
  options: {
    entries: { type: 'string', default: '100000' },
    subjects: { type: 'string', default: '100000' },
    checks: { type: 'string', default: '20000' },
    duration: { type: 'string' },
    concurrency: { type: 'string', default: '32' },
    'rescreen-entries': { type: 'string', default: '100000' },
    watched: { type: 'string', default: '10000' },
    'match-concurrency': { type: 'string', default: '4' },
    'skip-rescreen': { type: 'boolean', default: false },
    /** One subject with this many records instead of the run above (bench/heavy-subject.ts). */
    'heavy-subject': { type: 'string', default: '0' },
    /** Prints each series second by second (count, p50, p99, max, event-loop delay): tells stalls from steady slowness. */
    trace: { type: 'boolean', default: false },
  },
});

const int = (name: keyof typeof args) => {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
  return value;
};
const entries = int('entries');
const subjects = int('subjects');
const checks = int('checks');
const durationSeconds = args.duration === undefined ? undefined : Number(args.duration);
const concurrency = Math.max(1, int('concurrency'));
const rescreenEntries = int('rescreen-entries');
const watched = Math.min(int('watched'), rescreenEntries);
const matchConcurrency = Math.max(1, int('match-concurrency'));
const heavySubject = int('heavy-subject');

const log = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

interface Series {
  readonly label: string;
  readonly latencies: number[];
  /** When each request started, ms after the series started (same order as latencies). */
  readonly startedAt: number[];
  /** performance.now() when the series started. */
  readonly origin: number;
  readonly wallMs: number;
  readonly errors: number;
}

function summary(series: Series) {
  const sorted = [...series.latencies].sort((a, b) => a - b);
  return {
    label: series.label,
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    perSecond: (sorted.length / series.wallMs) * 1000,
    errors: series.errors,
  };
}

/**
 * The longest event-loop delay of this process (the local API Gateway, the handlers and the clients
 * all run in it) per second of performance.now(): a stall that shows here is this process's own
 * (garbage collection, synchronous work), one that does not is outside it (DynamoDB Local).
 */
const eventLoopStalls = new Map<number, number>();
function watchEventLoop() {
  let expected = performance.now() + 10;
  setInterval(() => {
    const now = performance.now();
    const second = Math.floor(now / 1000);
    eventLoopStalls.set(second, Math.max(eventLoopStalls.get(second) ?? 0, now - expected));
    expected = now + 10;
  }, 10).unref();
}

/**
 * One line per second of the series: how many requests started in it, their p50, p99 and max, and
 * the longest event-loop delay of this process in that second.
 */
function traceBySecond(series: Series) {
  const buckets = new Map<number, number[]>();
  series.latencies.forEach((latency, i) => {
    const second = Math.floor((series.startedAt[i] ?? 0) / 1000);
    buckets.set(second, [...(buckets.get(second) ?? []), latency]);
  });
  log(`trace of ${series.label}: second, requests, p50, p99, max, event-loop delay (ms)`);
  for (const [second, latencies] of [...buckets].sort((a, b) => a[0] - b[0])) {
    const sorted = latencies.sort((a, b) => a - b);
    const stall = eventLoopStalls.get(Math.floor((series.origin + second * 1000) / 1000)) ?? 0;
    log(
      `  ${String(second).padStart(4)} ${String(sorted.length).padStart(6)} ${percentile(sorted, 50).toFixed(1).padStart(8)} ${percentile(sorted, 99).toFixed(1).padStart(8)} ${(sorted.at(-1) ?? 0).toFixed(1).padStart(8)} ${stall.toFixed(0).padStart(6)}`,
    );
  }
}

/** Deterministic pseudo-random numbers, so that two runs check the same codes. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Probe {
  readonly code: string;
  /** The stored subject's name, when there is one (the check then queries the NAME alias). */
  readonly name?: string;
}

/** 50 % listed subjects, 40 % subjects with a record, 10 % codes the platform has never seen. */
function probes(count: number): Probe[] {
  const next = random(20261124);
  return Array.from({ length: count }, (_, i) => {
    const pick = i % 10;
    if (pick < 5 && entries > 0) {
      const n = subjects + Math.floor(next() * entries);
      return { code: companyUscc(n), name: listedName(n) };
    }
    if (pick < 9 && subjects > 0) {
      const n = Math.floor(next() * subjects);
      return { code: companyUscc(n), name: penaltyName(n) };
    }
    return { code: companyUscc(subjects + entries + 1_000_000 + Math.floor(next() * 1_000_000)) };
  });
}

/** Runs `work` with `clients` workers over `items` (or for `durationSeconds`, cycling). */
async function drive<T>(
  label: string,
  items: readonly T[],
  clients: number,
  work: (item: T) => Promise<boolean>,
) {
  const latencies: number[] = [];
  const startedAt: number[] = [];
  let errors = 0;
  let next = 0;
  const deadline = durationSeconds === undefined ? undefined : performance.now() + durationSeconds * 1000;
  const more = () => (deadline === undefined ? next < items.length : performance.now() < deadline);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (more()) {
        const item = items[next % items.length] as T;
        next += 1;
        const t0 = performance.now();
        const ok = await work(item).catch(() => false);
        latencies.push(performance.now() - t0);
        startedAt.push(t0 - started);
        if (!ok) errors += 1;
      }
    }),
  );
  return {
    label,
    latencies,
    startedAt,
    origin: started,
    wallMs: performance.now() - started,
    errors,
  } satisfies Series;
}

async function registerBenchAgency(stack: LocalStackHandle): Promise<string> {
  const store = new CreditStore(stack.clients.documentClient, stack.config.tableName);
  await store.putAgency({ code: 'BENCH', name: '基准测试机关', uscc: penaltyAgency.uscc });
  await store.putAgency(penaltyAgency);
  await store.putAgency(listingAgency);
  const apiKey = generateApiKey('BENCH');
  const keyHash = hashApiKey(apiKey);
  await store.putApiKey({
    keyHash,
    keyId: apiKeyId(keyHash),
    agencyCode: 'BENCH',
    roles: ['case-officer'],
    label: 'bench:check',
    createdAt: new Date().toISOString(),
  });
  return apiKey;
}

/** Prints a line about every 30 s while a load runs. */
function progress(what: string) {
  let last = performance.now();
  return (rows: number) => {
    if (performance.now() - last < 30_000) return;
    last = performance.now();
    log(`  … ${rows} ${what}`);
  };
}

async function load(stack: LocalStackHandle) {
  const { documentClient } = stack.clients;
  const table = stack.config.tableName;
  let started = performance.now();
  const penalties = await loadRows(documentClient, table, {
    dataset: 'admin-penalty',
    lines: penaltyLines({ rows: subjects, subjects, invalidEvery: 0, documentPrefix: '江市监基准罚' }),
    agency: penaltyAgency,
    onProgress: progress('subjects'),
  });
  log(
    `loaded ${penalties.rows} subjects with a 行政处罚 record (${penalties.items} items, ${penalties.rejected} rejected) in ${seconds(performance.now() - started)}`,
  );
  started = performance.now();
  const listed = await loadRows(documentClient, table, {
    dataset: 'list-entry',
    lines: listEntryLines(subjects, entries),
    agency: listingAgency,
    onProgress: progress('list entries'),
  });
  log(
    `loaded ${listed.rows} list entries (${listed.items} items, ${listed.rejected} rejected) in ${seconds(performance.now() - started)}`,
  );
  // A benchmark over rejected rows measures nothing: fail loudly instead.
  if (penalties.rejected > 0 || listed.rejected > 0) throw new Error('bench data was rejected by ingestion');
}

/** The queries performCheck makes for a USCC, one after the other as it makes them. */
async function bareReads(stack: LocalStackHandle, probe: Probe): Promise<boolean> {
  const query = (pk: string) =>
    stack.clients.documentClient.send(
      new QueryCommand({
        TableName: stack.config.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
      }),
    );
  await query(keys.alias('ORG', probe.code.slice(8, 17)));
  const subject = await query(keys.subject(`USCC#${probe.code}`));
  if (probe.name && (subject.Items?.length ?? 0) > 0) await query(keys.alias('NAME', nameKey(probe.name)));
  return true;
}

async function check(stack: LocalStackHandle, apiKey: string, probe: Probe): Promise<boolean> {
  const response = await fetch(`${stack.config.apiBaseUrl}/v1/checks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ subject: { code: probe.code }, purpose: 'bench:check' }),
  });
  await response.arrayBuffer();
  return response.status === 201;
}

async function rescreen(stack: LocalStackHandle) {
  const { documentClient, sqs } = stack.clients;
  const table = stack.config.tableName;
  // The changed subjects: those with a record first (they become listed), then new ones.
  const fromRecords = Math.min(rescreenEntries, subjects);
  const changed = Array.from({ length: rescreenEntries }, (_, i) =>
    i < fromRecords ? i : subjects + entries + 2_000_000 + i,
  );
  const step = rescreenEntries / Math.max(1, watched);
  const watchedNumbers = Array.from({ length: watched }, (_, i) => changed[Math.floor(i * step)] as number);
  const openedAt = new Date().toISOString();
  await batchPutItems(
    documentClient,
    table,
    watchedNumbers.map((n) =>
      watchItem(
        watchRecord({
          agencyCode: 'BENCH',
          watchId: watchIdFor('BENCH', `BENCH-${n}`),
          subjectKey: `USCC#${companyUscc(n)}`,
          caseRef: `BENCH-${n}`,
          openedAt,
          openedBy: 'request',
        }),
      ),
    ),
  );
  let started = performance.now();
  let loaded = 0;
  for (const [first, count] of [
    [0, fromRecords],
    [subjects + entries + 2_000_000 + fromRecords, rescreenEntries - fromRecords],
  ] as const) {
    if (count === 0) continue;
    const result = await loadRows(documentClient, table, {
      dataset: 'list-entry',
      lines: listEntryLines(first, count, '2026/11/01'),
      agency: listingAgency,
    });
    loaded += result.rows;
  }
  log(
    `list change: ${loaded} new list entries written in ${seconds(performance.now() - started)}; ${watched} of their subjects watched`,
  );

  stack.emulators.eventBridge.clear();
  const definition = queues.match;
  const poller = new SqsPoller({
    queue: 'match',
    functionName: 'match',
    handler: stack.handlers.match,
    sqs,
    queueUrl: stack.queues.match.url,
    queueArn: stack.queues.match.arn,
    region: stack.config.region,
    batchSize: definition.batchSize,
    maxBatchingWindowSeconds: definition.maxBatchingWindowSeconds,
    failedMessageRetryDelaySeconds: 1,
    waitTimeSeconds: 1,
    concurrency: matchConcurrency,
    logger: {
      info: () => undefined,
      warn: () => undefined,
      error: (m: string) => log(`[poller] ${m}`),
    } as never,
  });
  started = performance.now();
  poller.start();
  const messages = changed.map((n) => ({
    kind: 'subject-changed',
    subjectKey: `USCC#${companyUscc(n)}`,
    cause: 'list-entry',
  }));
  let sent = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (sent < messages.length) {
        const batch = messages.slice(sent, sent + 10);
        sent += 10;
        await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: stack.queues.match.url,
            Entries: batch.map((message, i) => ({ Id: String(i), MessageBody: JSON.stringify(message) })),
          }),
        );
      }
    }),
  );
  const enqueuedMs = performance.now() - started;
  let lastReport = performance.now();
  while (poller.stats.succeeded < messages.length) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (performance.now() - lastReport > 15_000) {
      lastReport = performance.now();
      log(
        `  … ${poller.stats.succeeded}/${messages.length} screened (${poller.stats.failed} failed deliveries)`,
      );
    }
  }
  const drainedMs = performance.now() - started;
  await poller.stop();
  const events = stack.emulators.eventBridge.events().filter((event) => event.detailType === 'credit.alert');
  return { messages: messages.length, enqueuedMs, drainedMs, stats: poller.stats, events: events.length };
}

async function heavy() {
  log(
    `bench:check --heavy-subject ${heavySubject}: ${Math.min(checks, 200)} sequential checks of one subject`,
  );
  const stack = await startLocalStack({
    quiet: true,
    scheduleIntervalSeconds: 0,
    startPollers: false,
    failedMessageRetryDelaySeconds: 1,
    fastJvmStartup: false,
  });
  try {
    const apiKey = await registerBenchAgency(stack);
    await heavySubjectBench(stack, apiKey, { records: heavySubject, checks: Math.min(checks, 200) });
  } finally {
    await stack.stop();
  }
}

async function main() {
  if (heavySubject > 0) return heavy();
  log(
    `bench:check — ${entries} list entries, ${subjects} subjects with records, ${concurrency} clients, ` +
      `${durationSeconds === undefined ? `${checks} checks` : `${durationSeconds} s`}`,
  );
  const started = performance.now();
  const stack = await startLocalStack({
    quiet: true,
    scheduleIntervalSeconds: 0,
    startPollers: false,
    failedMessageRetryDelaySeconds: 1,
    // The full JIT: steady-state throughput matters here, not start-up time.
    fastJvmStartup: false,
  });
  try {
    log(`local stack ready in ${seconds(stack.startupMs)}`);
    const apiKey = await registerBenchAgency(stack);
    await load(stack);

    if (args.trace) watchEventLoop();
    const sample = probes(Math.max(checks, 1));
    // Warm-up: the JIT, connection pools, the authorizer cache and the catalogue cache.
    await drive('warm-up', sample.slice(0, 500), concurrency, (probe) => check(stack, apiKey, probe));
    await drive('warm-up', sample.slice(0, 500), concurrency, (probe) => bareReads(stack, probe));

    const bareBefore = await drive('bare reads (before)', sample, concurrency, (probe) =>
      bareReads(stack, probe),
    );
    const checked = await drive('POST /v1/checks', sample, concurrency, (probe) =>
      check(stack, apiKey, probe),
    );
    const bareAfter = await drive('bare reads (after)', sample, concurrency, (probe) =>
      bareReads(stack, probe),
    );
    const bare: Series = {
      label: 'bare reads (before + after)',
      latencies: [...bareBefore.latencies, ...bareAfter.latencies],
      startedAt: [...bareBefore.startedAt, ...bareAfter.startedAt.map((t) => t + bareBefore.wallMs)],
      origin: bareBefore.origin,
      wallMs: bareBefore.wallMs + bareAfter.wallMs,
      errors: bareBefore.errors + bareAfter.errors,
    };

    log('');
    log('| series | requests | p50 ms | p99 ms | max ms | per second | errors |');
    log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const s of [checked, bare, bareBefore, bareAfter].map(summary)) {
      log(
        `| ${s.label} | ${s.count} | ${s.p50.toFixed(1)} | ${s.p99.toFixed(1)} | ${s.max.toFixed(1)} | ${s.perSecond.toFixed(0)} | ${s.errors} |`,
      );
    }
    if (args.trace) for (const series of [checked, bareBefore, bareAfter]) traceBySecond(series);
    const c = summary(checked);
    const b = summary(bare);
    const ratio = c.p99 / b.p99;
    log('');
    log(
      `check p99 / bare-read p99 = ${ratio.toFixed(2)} (target ≤ 3): ${ratio <= 3 ? 'MET' : 'NOT MET'}` +
        ` — check p50 / bare p50 = ${(c.p50 / b.p50).toFixed(2)}`,
    );

    if (!args['skip-rescreen'] && rescreenEntries > 0) {
      log('');
      const result = await rescreen(stack);
      log(
        `re-screening: ${result.messages} subject-changed messages, enqueued in ${seconds(result.enqueuedMs)}, ` +
          `queue drained in ${seconds(result.drainedMs)} → ${((result.messages / result.drainedMs) * 1000).toFixed(0)} subjects/s ` +
          `(match concurrency ${matchConcurrency}, batches of ${queues.match.batchSize}); ` +
          `${result.events} credit.alert events for ${watched} watched subjects; ${result.stats.failed} failed deliveries`,
      );
    }
    log('');
    log(`total ${seconds(performance.now() - started)}`);
  } finally {
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
