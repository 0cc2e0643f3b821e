import { performance } from 'node:perf_hooks';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#lib/aws/items/keys';
import { invokeHandler } from '#local/lambda/invoke';
import type { LocalStackHandle } from '#local/stack';
import { heavyCompany, heavySubjectKey, seedHeavySubject } from './support/heavy-subject-data';

/**
 * `npm run bench:check -- --heavy-subject 15000`: one company with that many 行政处罚 records in
 * display (each with its history item, as ingestion writes them), one list entry and one watch.
 * Measures POST /v1/checks on it (sequential requests over HTTP), GET /v1/subjects/{code}, paging
 * every record of one check through GET /v1/checks/{id}/records, and re-screening the subject
 * (the match handler, one subject-changed message).
 */

const log = (line: string) => process.stdout.write(`${line}\n`);

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

interface Timed {
  readonly label: string;
  readonly latencies: number[];
  readonly errors: number;
}

async function timed(label: string, runs: number, work: () => Promise<boolean>): Promise<Timed> {
  const latencies: number[] = [];
  let errors = 0;
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    const ok = await work().catch(() => false);
    latencies.push(performance.now() - started);
    if (!ok) errors += 1;
  }
  return { label, latencies, errors };
}

function row(series: Timed): string {
  const sorted = [...series.latencies].sort((a, b) => a - b);
  const figure = (p: number) => percentile(sorted, p).toFixed(1);
  return `| ${series.label} | ${sorted.length} | ${figure(50)} | ${figure(99)} | ${(sorted.at(-1) ?? 0).toFixed(1)} | ${series.errors} |`;
}

const company = heavyCompany;
const subjectKey = heavySubjectKey;

async function load(stack: LocalStackHandle, records: number) {
  const started = performance.now();
  const penalties = await seedHeavySubject(stack.clients.documentClient, stack.config.tableName, {
    records,
    watch: { agencyCode: 'BENCH', caseRef: 'HEAVY-1', openedAt: new Date().toISOString() },
    documentPrefix: '江市监重罚',
  });
  log(
    `loaded ${penalties.rows} 行政处罚 records of ${company} (${penalties.items} items with their history and aliases), one list entry and one watch in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

async function api(stack: LocalStackHandle, apiKey: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${stack.config.apiBaseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** Every page of a check's records: how many pages and records, and whether any came twice. */
async function pageAll(stack: LocalStackHandle, apiKey: string, checkId: string) {
  const seen = new Set<string>();
  let pages = 0;
  let returned = 0;
  let cursor: string | undefined;
  do {
    const query = `limit=100${cursor ? `&cursor=${cursor}` : ''}`;
    const page = await api(stack, apiKey, 'GET', `/v1/checks/${checkId}/records?${query}`);
    if (page.status !== 200) throw new Error(`records page answered ${page.status}`);
    for (const record of page.body.items as { recordId: string }[]) seen.add(record.recordId);
    returned += page.body.items.length;
    pages += 1;
    cursor = page.body.nextCursor;
  } while (cursor);
  return { pages, returned, distinct: seen.size };
}

function subjectChangedEvent(stack: LocalStackHandle) {
  return {
    Records: [
      {
        messageId: `heavy-${performance.now()}`,
        receiptHandle: 'bench',
        body: JSON.stringify({ kind: 'subject-changed', subjectKey, cause: 'list-entry' }),
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: '0',
          SenderId: 'bench',
          ApproximateFirstReceiveTimestamp: '0',
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: stack.queues.match.arn,
        awsRegion: stack.config.region,
      },
    ],
  };
}

export async function heavySubjectBench(
  stack: LocalStackHandle,
  apiKey: string,
  options: { records: number; checks: number },
): Promise<void> {
  await load(stack, options.records);
  const check = () =>
    api(stack, apiKey, 'POST', '/v1/checks', { subject: { code: company }, purpose: 'bench:check' });
  for (let i = 0; i < 5; i += 1) await check(); // warm-up: JIT, connections, caches

  let last: Record<string, any> = {};
  const checks = await timed(`POST /v1/checks (${options.records} records)`, options.checks, async () => {
    const answer = await check();
    last = answer.body;
    return answer.status === 201 && answer.body.recordsInDisplay?.total === options.records;
  });
  const subjects = await timed(
    'GET /v1/subjects/{code}',
    Math.max(10, Math.floor(options.checks / 5)),
    async () => {
      const answer = await api(stack, apiKey, 'GET', `/v1/subjects/${company}`);
      return answer.status === 200 && answer.body.recordsInDisplay?.total === options.records;
    },
  );
  let rescreenAlerts = 0;
  const rescreens = await timed('re-screen (match handler, 1 message)', 10, async () => {
    const result = await invokeHandler(
      'match',
      stack.handlers.match,
      subjectChangedEvent(stack),
      stack.config.region,
    );
    rescreenAlerts = stack.emulators.eventBridge
      .events()
      .filter((e) => e.detailType === 'credit.alert').length;
    return (result as { batchItemFailures: unknown[] }).batchItemFailures.length === 0;
  });
  const stored = await stack.clients.documentClient.send(
    new GetCommand({ TableName: stack.config.tableName, Key: { pk: keys.check(last.checkId), sk: 'CHECK' } }),
  );
  const storedBytes = Buffer.byteLength(JSON.stringify(stored.Item ?? {}));
  const pagingStarted = performance.now();
  const paged = await pageAll(stack, apiKey, last.checkId);
  const pagingMs = performance.now() - pagingStarted;

  log('');
  log('| series | requests | p50 ms | p99 ms | max ms | errors |');
  log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const series of [checks, subjects, rescreens]) log(row(series));
  log('');
  const p99 = percentile(
    [...checks.latencies].sort((a, b) => a - b),
    99,
  );
  log(
    `heavy-subject check p99 = ${p99.toFixed(1)} ms (target < 1000 ms): ${p99 < 1000 ? 'MET' : 'NOT MET'}; ` +
      `summary.records ${last.summary?.records}, records in the result ${last.records?.length}, stored check ≈ ${(storedBytes / 1024).toFixed(1)} KB (item limit 400 KB)`,
  );
  log(
    `paging GET /v1/checks/{id}/records?limit=100: ${paged.pages} pages, ${paged.returned} records (${paged.distinct} distinct) in ${(pagingMs / 1000).toFixed(1)} s`,
  );
  log(
    `re-screening: ${rescreenAlerts} credit.alert event(s) for the subject's watch (1 expected, on the first run)`,
  );
}
