/**
 * Uploads an agency file as the agency would and follows its ingestion job to the end.
 *
 *   npm run upload -- --agency SCJG --dataset admin-penalty ./2026-11-penalties.csv
 *   npm run upload -- --agency SCJG --dataset admin-license ./licences.xlsx --sheet 许可决定
 *
 * The file goes to incoming/<agency>/<dataset>/<basename> of the running local stack
 * (.local/stack.json, or --stack <path> / STACK_FILE), or of AWS when TABLE_NAME and BUCKET_NAME are
 * set. `--sheet` names the XLSX sheet to read by uploading the file as `<name>@<sheet>.xlsx`. A progress bar shows rows read, accepted and rejected (plain lines when stdout is not a
 * terminal); the summary and the report's location are printed at the end.
 *
 * Exit codes: 0 completed, 1 rejected or partial, 2 usage error, 3 the job did not finish in time
 * or could not be followed.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import cliProgress from 'cli-progress';
import { DynamoJobItems } from '#lib/aws/job-items';
import { jobIdFor } from '#lib/ingest/ingest-object';
import { JobReader } from '#lib/ingestion-jobs/job-reader';
import { isFinished, type JobView } from '#lib/ingestion-jobs/job-view';
import { AgencyRegistryError, loadAgencyRegistry } from '#lib/platform/agency-registry';
import { bucketLayout } from '#lib/platform/resources';
import { resolveTarget, type StackTarget, UsageError } from './stack-target';

const CONTENT_TYPES: Record<string, string> = {
  '.csv': 'text/csv',
  '.txt': 'text/csv',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.jsonl': 'application/x-ndjson',
  '.ndjson': 'application/x-ndjson',
};

/**
 * The object name for `--sheet`: the ingest path reads the sheet named in the file name,
 * `<name>@<sheet>.xlsx` (lib/ingest/readers/xlsx.ts), the first visible sheet otherwise.
 */
export function objectName(file: string, sheet: string | undefined): string {
  const name = basename(file);
  if (sheet === undefined) return name;
  if (extname(name).toLowerCase() !== '.xlsx') throw new UsageError('--sheet applies to .xlsx files only');
  if (/[@/\\]/.test(sheet) || sheet.trim() === '')
    throw new UsageError('--sheet: a sheet name without @, / or \\');
  const stem = name.slice(0, -'.xlsx'.length).replace(/@[^@]*$/, '');
  return `${stem}@${sheet.trim()}.xlsx`;
}

interface Options {
  agency: string;
  dataset: string;
  file: string;
  sheet?: string;
  stack?: string;
  timeoutMs: number;
  intervalMs: number;
}

function parseOptions(argv: string[]): Options {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      agency: { type: 'string' },
      dataset: { type: 'string' },
      sheet: { type: 'string' },
      stack: { type: 'string' },
      timeout: { type: 'string' },
      interval: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const usage =
    'usage: npm run upload -- --agency <code> --dataset <id> <file> [--sheet <name>] [--stack <stack.json>] [--timeout <seconds>]';
  if (values.help) throw new UsageError(usage);
  if (!values.agency || !values.dataset || positionals.length !== 1)
    throw new UsageError(`${usage}\n(--agency, --dataset and exactly one file are required)`);
  const seconds = (raw: string | undefined, fallback: number, name: string) => {
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(value) || value <= 0)
      throw new UsageError(`--${name} must be a positive number of seconds`);
    return value * 1000;
  };
  return {
    agency: values.agency,
    dataset: values.dataset,
    file: positionals[0]!,
    ...(values.sheet ? { sheet: values.sheet } : {}),
    ...(values.stack ? { stack: values.stack } : {}),
    timeoutMs: seconds(values.timeout, 900, 'timeout'),
    intervalMs: seconds(values.interval, 0.25, 'interval'),
  };
}

/** Data rows in a text file, estimated from its line feeds (one byte in UTF-8 and GBK alike). */
async function estimateRows(file: string, hasHeader: boolean): Promise<number | undefined> {
  let lines = 0;
  let last = 0x0a;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let index = chunk.indexOf(0x0a); index !== -1; index = chunk.indexOf(0x0a, index + 1)) lines += 1;
    if (chunk.length > 0) last = chunk[chunk.length - 1]!;
  }
  if (last !== 0x0a) lines += 1;
  const rows = hasHeader ? lines - 1 : lines;
  return rows > 0 ? rows : undefined;
}

/** Shows the job's progress: a bar on a terminal, one line per change otherwise. */
function progressDisplay(estimatedRows: number | undefined) {
  const counts = (job: JobView) => ({
    status: job.status,
    rows: job.counts.rows,
    accepted: job.counts.accepted,
    rejected: job.counts.rejected,
    duplicate: job.counts.duplicate,
  });
  if (process.stdout.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: estimatedRows
          ? ' {status} |{bar}| {percentage}% | rows {rows} | accepted {accepted} | rejected {rejected} | duplicate {duplicate}'
          : ' {status} | rows {rows} | accepted {accepted} | rejected {rejected} | duplicate {duplicate}',
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(estimatedRows ?? 1, 0, { status: 'waiting', rows: 0, accepted: 0, rejected: 0, duplicate: 0 });
    return {
      update(job: JobView) {
        const total = isFinished(job)
          ? Math.max(job.counts.rows, 1)
          : Math.max(estimatedRows ?? 1, job.counts.rows);
        bar.setTotal(total);
        bar.update(isFinished(job) ? total : Math.min(job.counts.rows, total), counts(job));
      },
      stop: () => bar.stop(),
    };
  }
  let previous = '';
  return {
    update(job: JobView) {
      const now = counts(job);
      const line = `${now.status}: rows ${now.rows}, accepted ${now.accepted}, rejected ${now.rejected}, duplicate ${now.duplicate}`;
      if (line !== previous) console.log(line);
      previous = line;
    },
    stop: () => {},
  };
}

async function readReport(target: StackTarget, key: string): Promise<Record<string, unknown> | undefined> {
  try {
    const result = await target.s3.send(new GetObjectCommand({ Bucket: target.bucketName, Key: key }));
    return JSON.parse(await result.Body!.transformToString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function printSummary(target: StackTarget, job: JobView, report: Record<string, unknown> | undefined): void {
  const seconds =
    job.finishedAt && job.startedAt
      ? ` in ${((Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000).toFixed(1)} s`
      : '';
  const { rows, accepted, rejected, duplicate, late } = job.counts;
  console.log(`job ${job.jobId} ${job.status}${seconds}`);
  console.log(
    `rows ${rows}, accepted ${accepted}, rejected ${rejected}, duplicate ${duplicate}, late ${late}`,
  );
  for (const error of (report?.fileErrors as { code: string; reason: string }[] | undefined) ?? []) {
    console.log(`file error ${error.code}: ${error.reason}`);
  }
  const rejectedRows =
    (report?.rejectedRows as { row: number; issues: { field: string; reason: string }[] }[]) ?? [];
  for (const row of rejectedRows.slice(0, 5)) {
    console.log(
      `  row ${row.row}: ${row.issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; ')}`,
    );
  }
  if (rejectedRows.length > 5)
    console.log(`  … and ${rejectedRows.length - 5} more rejected rows in the report`);
  console.log(`report: s3://${target.bucketName}/${job.report.key}`);
  if (target.s3Endpoint)
    console.log(`        ${target.s3Endpoint}/${target.bucketName}/${encodeURI(job.report.key)}`);
}

async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  try {
    const refusal = loadAgencyRegistry().uploadRefusal(options.agency, options.dataset);
    if (refusal) throw new UsageError(`${refusal.reason} (see config/agencies.json)`);
  } catch (error) {
    if (error instanceof AgencyRegistryError) throw new UsageError(error.message);
    throw error;
  }
  const name = objectName(options.file, options.sheet);
  let size: number;
  try {
    size = (await stat(options.file)).size;
  } catch {
    throw new UsageError(`cannot read ${options.file}`);
  }
  const extension = extname(options.file).toLowerCase();
  const estimatedRows =
    extension === '.xlsx'
      ? undefined
      : await estimateRows(options.file, !['.jsonl', '.ndjson'].includes(extension));

  const target = await resolveTarget({
    needBucket: true,
    ...(options.stack ? { stack: options.stack } : {}),
  });
  try {
    const key = bucketLayout.incomingKey(options.agency, options.dataset, name);
    const uploadedAt = new Date();
    console.error(`uploading ${options.file} (${size} bytes) to ${target.description}: ${key}`);
    const put = await target.s3.send(
      new PutObjectCommand({
        Bucket: target.bucketName,
        Key: key,
        Body: createReadStream(options.file),
        ContentLength: size,
        ContentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
      }),
    );
    // The ingest path derives the job id from the object version (lib/ingest/ingest-object.ts).
    const expectedJobId = jobIdFor({
      bucket: target.bucketName,
      key,
      ...(put.VersionId && put.VersionId !== 'null' ? { versionId: put.VersionId } : {}),
      ...(put.ETag ? { eTag: put.ETag.replace(/"/g, '') } : {}),
      eventTime: uploadedAt.toISOString(),
    });
    const reader = new JobReader(new DynamoJobItems(target.documentClient, target.tableName));
    // Clock skew between this machine and S3: accept jobs received up to a minute "before" the upload.
    const notBefore = new Date(uploadedAt.getTime() - 60_000).toISOString();
    const display = progressDisplay(estimatedRows);
    const deadline = Date.now() + options.timeoutMs;
    let job: JobView | undefined;
    try {
      for (;;) {
        job =
          (await reader.get(expectedJobId)) ?? (await reader.latestForSource(options.agency, key, notBefore));
        if (job) display.update(job);
        if (job && isFinished(job)) break;
        if (Date.now() > deadline) break;
        await sleep(options.intervalMs);
      }
    } finally {
      display.stop();
    }
    if (!job || !isFinished(job)) {
      console.error(
        job
          ? `job ${job.jobId} is still ${job.status} after ${options.timeoutMs / 1000} s; follow it with GET /v1/ingestion/jobs/${job.jobId}`
          : `no ingestion job appeared for ${key} within ${options.timeoutMs / 1000} s (is the ingest pipeline running?)`,
      );
      return 3;
    }
    printSummary(target, job, await readReport(target, job.report.key));
    return job.status === 'completed' ? 0 : 1;
  } finally {
    target.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof UsageError ? `error: ${error.message}` : error);
    process.exitCode = error instanceof UsageError ? 2 : 3;
  },
);
