import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { CreditStore } from '#lib/aws/credit-store';
import { publicDisclosure } from '#lib/platform/public-disclosure';
import { type LocalStackHandle, startLocalStack } from '#local/stack';
import {
  codes,
  listEntryHeader,
  listEntryRow,
  listTypeHeader,
  listTypeRows,
} from '#test/support/csv-fixtures';
import {
  companyUscc,
  listingAgency,
  loadRows,
  penaltyAgency,
  penaltyLines,
  penaltyName,
} from './support/check-data';

/**
 * `npm run bench:public [-- --subjects 100000]`
 *
 * 1. Loads `subjects` companies with a 行政处罚 in display (and a black-list entry for every tenth)
 *    into the local stack, as the real items (ingestion core + itemsForRow, BatchWriteItem).
 * 2. Drives the public API with `concurrency` anonymous clients over HTTP (local API Gateway, no
 *    authorizer, the api function, DynamoDB Local): 70 % subject pages by USCC, 20 % name searches,
 *    10 % codes the platform has never seen (404). Then the same subject pages revalidated with
 *    If-None-Match (304), as a browser or a shared cache does after max-age.
 * Prints lookups per second and p50/p99/max per series: the mix, subject pages by USCC, searches by
 * exact name (each on its own), and the revalidations.
 */
const { values: args } = parseArgs({
  options: {
    subjects: { type: 'string', default: '100000' },
    lookups: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '32' },
  },
});

const int = (name: keyof typeof args) => {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
  return value;
};
const subjects = Math.max(1, int('subjects'));
const lookups = Math.max(1, int('lookups'));
const concurrency = Math.max(1, int('concurrency'));
/** Every tenth company is also on a black list: its page reads the list-type catalogue too. */
const listedEvery = 10;
/** The credit office keeps the reference data. */
const creditOffice = { code: 'XYB', name: '江门市信用办', uscc: codes.agencyUscc };

const log = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Deterministic pseudo-random numbers, so that two runs look up the same subjects. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Lookup {
  readonly path: string;
  readonly expected: number;
  readonly etag?: string;
}

function lookupsOf(count: number): Lookup[] {
  const next = random(20261201);
  const api = publicDisclosure.apiPath;
  return Array.from({ length: count }, (_, i) => {
    const n = Math.floor(next() * subjects);
    const pick = i % 10;
    if (pick < 7) return { path: `${api}/subjects/${companyUscc(n)}`, expected: 200 };
    if (pick < 9) return { path: `${api}/subjects?q=${encodeURIComponent(penaltyName(n))}`, expected: 200 };
    return { path: `${api}/subjects/${companyUscc(subjects + 5_000_000 + n)}`, expected: 404 };
  });
}

interface Series {
  readonly label: string;
  readonly latencies: number[];
  readonly wallMs: number;
  readonly errors: number;
}

/** Runs `work` with `clients` workers over `items`. */
async function drive<T>(
  label: string,
  items: readonly T[],
  clients: number,
  work: (item: T) => Promise<boolean>,
) {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < items.length) {
        const item = items[next] as T;
        next += 1;
        const t0 = performance.now();
        const ok = await work(item).catch(() => false);
        latencies.push(performance.now() - t0);
        if (!ok) errors += 1;
      }
    }),
  );
  return { label, latencies, wallMs: performance.now() - started, errors } satisfies Series;
}

async function fetchLookup(stack: LocalStackHandle, lookup: Lookup, etags?: Map<string, string>) {
  const response = await fetch(`${stack.config.apiBaseUrl}${lookup.path}`, {
    headers: lookup.etag ? { 'if-none-match': lookup.etag } : {},
  });
  await response.arrayBuffer();
  const tag = response.headers.get('etag');
  if (etags && tag) etags.set(lookup.path, tag);
  return response.status === lookup.expected;
}

function quote(cell: string): string {
  return /[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** A black-list entry for every tenth company of the penalty range, under the same name and USCC. */
function* blackListLines(): Generator<string> {
  yield `${listEntryHeader.join(',')}\r\n`;
  for (let n = 0; n < subjects; n += listedEvery) {
    const row = listEntryRow({
      主体名称: penaltyName(n),
      统一社会信用代码: companyUscc(n),
      法定代表人: '',
      法定代表人证件号码: '',
    });
    yield `${row.map(quote).join(',')}\r\n`;
  }
}

async function load(stack: LocalStackHandle) {
  const store = new CreditStore(stack.clients.documentClient, stack.config.tableName);
  await store.putAgency(penaltyAgency);
  await store.putAgency(listingAgency);
  const { documentClient } = stack.clients;
  const table = stack.config.tableName;
  let started = performance.now();
  const penalties = await loadRows(documentClient, table, {
    dataset: 'admin-penalty',
    lines: penaltyLines({ rows: subjects, subjects, invalidEvery: 0, documentPrefix: '江市监公示基准罚' }),
    agency: penaltyAgency,
  });
  log(
    `loaded ${penalties.rows} companies with a 行政处罚 in display (${penalties.items} items) in ${seconds(performance.now() - started)}`,
  );
  // The list-type catalogue the subject page names the lists from (the credit office's reference data).
  await loadRows(documentClient, table, {
    dataset: 'list-type',
    lines: [listTypeHeader, ...listTypeRows].map((cells) => `${cells.map(quote).join(',')}\r\n`),
    agency: creditOffice,
  });
  started = performance.now();
  const listed = await loadRows(documentClient, table, {
    dataset: 'list-entry',
    lines: blackListLines(),
    agency: listingAgency,
  });
  log(`loaded ${listed.rows} black-list entries in ${seconds(performance.now() - started)}`);
  if (penalties.rejected + listed.rejected > 0)
    throw new Error(
      `${penalties.rejected + listed.rejected} rows were rejected: the benchmark data is wrong`,
    );
}

function row(series: Series) {
  const sorted = [...series.latencies].sort((a, b) => a - b);
  const perSecond = (sorted.length / series.wallMs) * 1000;
  return `| ${series.label} | ${sorted.length} | ${percentile(sorted, 50).toFixed(1)} | ${percentile(sorted, 99).toFixed(1)} | ${(sorted.at(-1) ?? 0).toFixed(1)} | ${perSecond.toFixed(0)} | ${series.errors} |`;
}

async function main() {
  log(`bench:public — ${subjects} subjects in display, ${lookups} lookups, ${concurrency} anonymous clients`);
  const started = performance.now();
  const stack = await startLocalStack({
    quiet: true,
    scheduleIntervalSeconds: 0,
    startPollers: false,
    // The full JIT: steady-state throughput matters here, not start-up time.
    fastJvmStartup: false,
  });
  try {
    log(`local stack ready in ${seconds(stack.startupMs)}`);
    await load(stack);
    const sample = lookupsOf(lookups);
    // Warm-up: the JIT, connection pools, the list-type cache.
    await drive('warm-up', sample.slice(0, 500), concurrency, (lookup) => fetchLookup(stack, lookup));

    const etags = new Map<string, string>();
    const all = await drive(
      'public lookups (70 % subject, 20 % name search, 10 % unknown)',
      sample,
      concurrency,
      (lookup) => fetchLookup(stack, lookup, etags),
    );
    const pages = sample.filter((lookup) => lookup.expected === 200 && !lookup.path.includes('?'));
    const subjectPages = await drive('GET /public/v1/subjects/{code}', pages, concurrency, (lookup) =>
      fetchLookup(stack, lookup),
    );
    const searches = sample.filter((lookup) => lookup.path.includes('?q='));
    const nameSearches = await drive(
      'GET /public/v1/subjects?q=<exact name>',
      searches,
      concurrency,
      (lookup) => fetchLookup(stack, lookup),
    );
    const revalidations = pages.map((lookup) => ({
      ...lookup,
      expected: 304,
      etag: etags.get(lookup.path) ?? '""',
    }));
    const revalidated = await drive(
      'revalidation (If-None-Match → 304)',
      revalidations,
      concurrency,
      (lookup) => fetchLookup(stack, lookup),
    );

    log('');
    log('| series | lookups | p50 ms | p99 ms | max ms | per second | errors |');
    log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const series of [all, subjectPages, nameSearches, revalidated]) log(row(series));
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
