import type { Metrics } from '@aws-lambda-powertools/metrics';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { observability } from '#lib/platform/observability';
import { type FunctionName, functions, metrics as metricDefinitions } from '#lib/platform/resources';
import type { LambdaHandler } from '../lambda/invoke';

/**
 * The local stand-in for CloudWatch behind the operator page (/ops): the embedded-metric-format
 * lines the handlers' Powertools Metrics print are captured in-process (their console is replaced,
 * nothing reaches stdout), function invocations are timed around the very handlers the stack runs,
 * API requests are counted at the gateway, and queue depths are sampled from the SQS emulator.
 * Everything is kept in memory in fixed time buckets; the page polls a JSON snapshot.
 */

export interface OpsSeries {
  readonly label: string;
  readonly values: number[];
  /** What the legend shows: the total of a counted series, the peak of a gauge or percentile. */
  readonly summary: number;
}

export interface OpsPanel {
  readonly id: string;
  readonly section: string;
  readonly title: string;
  readonly unit: string;
  readonly series: OpsSeries[];
}

export interface OpsSnapshot {
  readonly generatedAt: string;
  readonly bucketSeconds: number;
  /** Start of each bucket, ISO. */
  readonly buckets: string[];
  readonly panels: OpsPanel[];
  readonly totals: Record<string, number>;
}

type Aggregate = 'sum' | 'max' | 'p50' | 'p99' | 'last';

interface Bucketed {
  /** bucket index → values */
  readonly values: Map<number, number[]>;
}

export interface QueueToSample {
  readonly name: string;
  readonly url: string;
  readonly dlqUrl: string;
}

export interface OpsRecorderOptions {
  readonly bucketSeconds?: number;
  /** Buckets kept and shown. */
  readonly buckets?: number;
  readonly now?: () => number;
}

export class OpsRecorder {
  readonly bucketSeconds: number;
  readonly bucketCount: number;
  readonly #now: () => number;
  readonly #series = new Map<string, Bucketed>();
  readonly #totals = new Map<string, number>();
  readonly #inFlight = new Map<string, number>();
  #sampler: NodeJS.Timeout | undefined;

  constructor(options: OpsRecorderOptions = {}) {
    this.bucketSeconds = options.bucketSeconds ?? 5;
    this.bucketCount = options.buckets ?? 72;
    this.#now = options.now ?? Date.now;
  }

  #bucket(at = this.#now()): number {
    return Math.floor(at / 1000 / this.bucketSeconds);
  }

  /** Adds one observation to a series (summed, or kept for percentiles, by the panel). */
  observe(key: string, value: number, at?: number): void {
    let series = this.#series.get(key);
    if (!series) {
      series = { values: new Map() };
      this.#series.set(key, series);
    }
    const bucket = this.#bucket(at);
    const list = series.values.get(bucket);
    if (list) list.push(value);
    else series.values.set(bucket, [value]);
    for (const old of series.values.keys()) if (old <= bucket - this.bucketCount) series.values.delete(old);
    this.#totals.set(key, (this.#totals.get(key) ?? 0) + value);
  }

  /** Parses one EMF document (a line Powertools Metrics prints) into observations. */
  recordEmf(line: string): void {
    let document: Record<string, unknown>;
    try {
      document = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    const aws = document._aws as
      | {
          Timestamp?: number;
          CloudWatchMetrics?: { Metrics?: { Name: string }[]; Dimensions?: string[][] }[];
        }
      | undefined;
    for (const directive of aws?.CloudWatchMetrics ?? []) {
      const dimensionNames = [...new Set((directive.Dimensions ?? []).flat())].filter(
        (name) => name !== 'service',
      );
      const suffix = dimensionNames.map((name) => `${name}=${String(document[name])}`).join(',');
      for (const { Name } of directive.Metrics ?? []) {
        const raw = document[Name];
        const values = Array.isArray(raw) ? raw : [raw];
        for (const value of values) {
          if (typeof value !== 'number') continue;
          this.observe(`emf:${Name}`, value, aws?.Timestamp);
          if (suffix) this.observe(`emf:${Name}{${suffix}}`, value, aws?.Timestamp);
        }
      }
    }
  }

  /** Captures a Powertools Metrics instance: its EMF output comes here instead of stdout. */
  captureMetrics(metrics: Metrics): void {
    const target = metrics as unknown as {
      console: { log: (line: string) => void };
      disabled: boolean;
      singleMetric: () => Metrics;
      __opsCaptured?: boolean;
    };
    if (target.__opsCaptured) return;
    target.__opsCaptured = true;
    target.disabled = false;
    target.console = { log: (line: string) => this.recordEmf(line) } as typeof target.console;
    const singleMetric = target.singleMetric.bind(metrics);
    target.singleMetric = () => {
      const single = singleMetric();
      this.captureMetrics(single);
      return single;
    };
  }

  /** Captures the shared Powertools instance of every function (see lib/platform/observability). */
  captureFunctionMetrics(): void {
    for (const name of Object.keys(functions)) this.captureMetrics(observability(name).metrics);
  }

  /** Wraps a handler: invocations, errors, duration, concurrency and, for SQS batches, message age. */
  instrument(name: FunctionName, handler: LambdaHandler): LambdaHandler {
    return async (event: unknown, context: unknown) => {
      const started = this.#now();
      const running = (this.#inFlight.get(name) ?? 0) + 1;
      this.#inFlight.set(name, running);
      this.observe(`lambda:concurrency:${name}`, running);
      this.observe(`lambda:invocations:${name}`, 1);
      const records = (event as Partial<SQSEvent> | undefined)?.Records;
      if (Array.isArray(records) && records[0]?.eventSource === 'aws:sqs') {
        const oldest = Math.min(
          ...records.map((record) => Number(record.attributes?.SentTimestamp ?? started)),
        );
        this.observe(`queue:age:${name}`, Math.max(0, (started - oldest) / 1000));
      }
      try {
        return await handler(event as never, context as never);
      } catch (error) {
        this.observe(`lambda:errors:${name}`, 1);
        throw error;
      } finally {
        this.#inFlight.set(name, (this.#inFlight.get(name) ?? 1) - 1);
        this.observe(`lambda:duration:${name}`, this.#now() - started);
      }
    };
  }

  /** One API request as the gateway answered it; check responses also give the hit rate. */
  recordApiRequest(method: string, path: string, status: number, latencyMs: number, body?: Buffer): void {
    this.observe('api:requests', 1);
    this.observe('api:latency', latencyMs);
    if (status >= 400 && status < 500) this.observe('api:4xx', 1);
    if (status >= 500) this.observe('api:5xx', 1);
    if (method === 'POST' && /^\/v1\/checks\/?$/.test(path) && status === 201 && body) {
      try {
        const result = JSON.parse(body.toString('utf8')) as { summary?: { listHits?: number } };
        this.observe('checks:withHit', (result.summary?.listHits ?? 0) > 0 ? 1 : 0);
        this.observe('checks:answered', 1);
      } catch {
        // not JSON: not a check result
      }
    }
  }

  /** Samples queue depths every few seconds from the SQS emulator. */
  startQueueSampling(sqs: SQSClient, queues: readonly QueueToSample[], intervalMs = 5000): void {
    const sample = async () => {
      for (const queue of queues) {
        for (const [url, kind] of [
          [queue.url, 'depth'],
          [queue.dlqUrl, 'dlq'],
        ] as const) {
          try {
            const { Attributes } = await sqs.send(
              new GetQueueAttributesCommand({
                QueueUrl: url,
                AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
              }),
            );
            this.observe(`queue:${kind}:${queue.name}`, Number(Attributes?.ApproximateNumberOfMessages ?? 0));
            if (kind === 'depth') {
              this.observe(
                `queue:inflight:${queue.name}`,
                Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
              );
            }
          } catch {
            // the emulator is stopping
          }
        }
      }
    };
    void sample();
    this.#sampler = setInterval(() => void sample(), intervalMs);
    this.#sampler.unref();
  }

  stop(): void {
    if (this.#sampler) clearInterval(this.#sampler);
  }

  #line(key: string, aggregate: Aggregate, first: number): number[] {
    const series = this.#series.get(key);
    const out: number[] = [];
    for (let index = 0; index < this.bucketCount; index++) {
      const values = series?.values.get(first + index) ?? [];
      out.push(reduce(values, aggregate));
    }
    return out;
  }

  /** Keys observed so far that start with `prefix` (e.g. every dimension value of a metric). */
  #keysWith(prefix: string): string[] {
    return [...this.#series.keys()].filter((key) => key.startsWith(prefix)).sort();
  }

  snapshot(): OpsSnapshot {
    const last = this.#bucket();
    const first = last - this.bucketCount + 1;
    const names = metricDefinitions.names;
    const fnNames = Object.keys(functions) as FunctionName[];
    const queueNames = [
      ...new Set(this.#keysWith('queue:depth:').map((key) => key.slice('queue:depth:'.length))),
    ];
    const line = (label: string, key: string, aggregate: Aggregate = 'sum'): OpsSeries => {
      const values = this.#line(key, aggregate, first);
      const summary = aggregate === 'sum' ? values.reduce((a, b) => a + b, 0) : Math.max(0, ...values);
      return { label, values, summary: Math.round(summary * 10) / 10 };
    };
    const answered = this.#line('checks:answered', 'sum', first);
    const withHit = this.#line('checks:withHit', 'sum', first);
    const answeredTotal = answered.reduce((a, b) => a + b, 0);
    const hitRate: OpsSeries = {
      label: 'hit rate %',
      values: answered.map((count, index) =>
        count > 0 ? Math.round((1000 * (withHit[index] ?? 0)) / count) / 10 : 0,
      ),
      summary:
        answeredTotal > 0 ? Math.round((1000 * withHit.reduce((a, b) => a + b, 0)) / answeredTotal) / 10 : 0,
    };
    const overdueTypes = this.#keysWith(`emf:${names.deadlineItemsOverdue}{`);
    const feedbackKeys = [...this.#series.keys()].filter((key) => /^emf:Feedback[A-Za-z]*$/.test(key)).sort();
    const panels: OpsPanel[] = [
      {
        id: 'ingestion-rows',
        section: 'Ingestion',
        title: 'Rows: accepted, rejected, late',
        unit: 'rows',
        series: [
          line('accepted', `emf:${names.rowsAccepted}`),
          line('rejected', `emf:${names.rowsRejected}`),
          line('late', `emf:${names.rowsLate}`),
        ],
      },
      {
        id: 'ingestion-jobs',
        section: 'Ingestion',
        title: 'Jobs failed, files rejected',
        unit: 'jobs',
        series: [
          line('jobs failed', `emf:${names.jobsFailed}`),
          line('files rejected', `emf:${names.filesRejected}`),
        ],
      },
      {
        id: 'checks-count',
        section: 'Checks',
        title: 'Checks completed and hit rate',
        unit: 'checks',
        series: [line('checks', `emf:${names.checksCompleted}`), hitRate],
      },
      {
        id: 'api-latency',
        section: 'Checks',
        title: 'API latency p50 / p99',
        unit: 'ms',
        series: [line('p50', 'api:latency', 'p50'), line('p99', 'api:latency', 'p99')],
      },
      {
        id: 'api-errors',
        section: 'Checks',
        title: 'API requests, 4xx, 5xx',
        unit: 'requests',
        series: [line('requests', 'api:requests'), line('4xx', 'api:4xx'), line('5xx', 'api:5xx')],
      },
      {
        id: 'feedback',
        section: 'Feedback',
        title: 'Feedback: owed (overdue) vs given',
        unit: 'checks',
        series: [
          line('owed (checks with measures)', `emf:${names.feedbackOwed}`),
          line('given', `emf:${names.feedbackGiven}`),
          line('overdue', `emf:${names.deadlineItemsOverdue}{type=feedback-overdue}`),
          ...feedbackKeys
            .filter((key) => key !== `emf:${names.feedbackOwed}` && key !== `emf:${names.feedbackGiven}`)
            .map((key) => line(key.slice(4), key)),
        ],
      },
      {
        id: 'deadlines-overdue',
        section: 'Deadlines',
        title: 'Overdue items by type (per run)',
        unit: 'items',
        series: [
          ...overdueTypes.map((key) => line(/type=([^,}]+)/.exec(key)?.[1] ?? key, key)),
          line('list entries expired', `emf:${names.listEntriesExpired}`),
          line('calendar year missing', `emf:${names.calendarYearMissing}`),
        ],
      },
      {
        id: 'queue-depth',
        section: 'Queues',
        title: 'Queue depth (visible, in flight)',
        unit: 'messages',
        series: queueNames.flatMap((queue) => [
          line(`${queue}`, `queue:depth:${queue}`, 'max'),
          line(`${queue} in flight`, `queue:inflight:${queue}`, 'max'),
        ]),
      },
      {
        id: 'queue-age',
        section: 'Queues',
        title: 'Age of oldest message picked up (s)',
        unit: 's',
        series: fnNames
          .filter((fn) => this.#series.has(`queue:age:${fn}`))
          .map((fn) => line(fn, `queue:age:${fn}`, 'max')),
      },
      {
        id: 'dlq-depth',
        section: 'Queues',
        title: 'Dead-letter queue depth',
        unit: 'messages',
        series: queueNames.map((queue) => line(`${queue} DLQ`, `queue:dlq:${queue}`, 'max')),
      },
      {
        id: 'lambda-invocations',
        section: 'Lambda',
        title: 'Invocations and errors',
        unit: 'invocations',
        series: fnNames.flatMap((fn) => [
          line(fn, `lambda:invocations:${fn}`),
          line(`${fn} errors`, `lambda:errors:${fn}`),
        ]),
      },
      {
        id: 'lambda-duration',
        section: 'Lambda',
        title: 'Duration p99 (ms)',
        unit: 'ms',
        series: fnNames.map((fn) => line(fn, `lambda:duration:${fn}`, 'p99')),
      },
      {
        id: 'lambda-concurrency',
        section: 'Lambda',
        title: 'Concurrent executions',
        unit: 'executions',
        series: fnNames.map((fn) => line(fn, `lambda:concurrency:${fn}`, 'max')),
      },
    ];
    const buckets = Array.from({ length: this.bucketCount }, (_, index) =>
      new Date((first + index) * this.bucketSeconds * 1000).toISOString(),
    );
    return {
      generatedAt: new Date(this.#now()).toISOString(),
      bucketSeconds: this.bucketSeconds,
      buckets,
      panels,
      totals: Object.fromEntries(
        [...this.#totals].filter(
          ([key]) => !key.includes('latency') && !key.includes('duration') && !key.includes('concurrency'),
        ),
      ),
    };
  }
}

function reduce(values: readonly number[], aggregate: Aggregate): number {
  if (values.length === 0) return 0;
  switch (aggregate) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'max':
      return Math.max(...values);
    case 'last':
      return values[values.length - 1] ?? 0;
    case 'p50':
    case 'p99': {
      const sorted = [...values].sort((a, b) => a - b);
      const rank = Math.ceil((aggregate === 'p50' ? 0.5 : 0.99) * sorted.length) - 1;
      return Math.round((sorted[Math.max(0, rank)] ?? 0) * 10) / 10;
    }
  }
}
