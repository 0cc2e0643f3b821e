import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { CreditRecord, DatasetSchema, FieldSpec, RowContext, RowIssue } from '../datasets';
import { validateRow } from '../datasets/schema';
import { lifecycleOf, type RecordLifecycle } from '../store/items';
import { REPLACEMENT } from './decode';
import { type HeaderMapping, mapHeaders } from './headers';
import { FileFormatError, limits, openRowSource, type RowSource, sheetFromFileName } from './readers';
import { emptyOutcome, type IngestionOutcome } from './report';
import { assessTimeliness, type FirstArrival, lateAfter } from './timeliness';

export interface AcceptedRow {
  readonly row: number;
  readonly record: CreditRecord;
  readonly businessKey: string;
  readonly dueDate: string | null;
  /** Judged on the record's FIRST arrival (see firstArrival), so a correction never changes it. */
  readonly late: boolean;
  /** `withdrawn` when the row withdraws the record (当前状态 无效, 操作类型 撤销): kept for audit, not shown. */
  readonly lifecycle: RecordLifecycle;
  /** When the record first arrived, if an earlier file already delivered it. */
  readonly firstArrival?: FirstArrival;
}

/** Where accepted rows go; the AWS implementation batches them into DynamoDB and the match queue. */
export interface RecordSink {
  write(rows: readonly AcceptedRow[]): Promise<void>;
}

/**
 * Looks up, for a batch of rows, when each record (by business key) first arrived in an earlier file.
 * The AWS implementation BatchGets the stored record items (lib/store/items recordItemKey).
 */
export type PriorArrivals = (rows: readonly AcceptedRow[]) => Promise<ReadonlyMap<string, FirstArrival>>;

interface IngestCommon {
  readonly schema: DatasetSchema<CreditRecord>;
  readonly context: RowContext;
  /** The date (Asia/Shanghai) the file arrived: a record received after its due date is late. */
  readonly receivedDate: string;
  readonly sink: RecordSink;
  readonly priorArrivals?: PriorArrivals;
  readonly batchSize?: number;
}

export interface IngestFileInput extends IngestCommon {
  readonly body: Readable;
  /** The object key or file name: `<name>@<sheet>.xlsx` selects a worksheet by name. */
  readonly fileName?: string;
  /** A worksheet to read instead of the first one (overrides the file-name convention). */
  readonly sheet?: string;
}

/** @deprecated the name predates other formats; ingestFile reads CSV, XLSX and JSON Lines alike. */
export type IngestCsvInput = IngestFileInput;

export interface IngestRowsInput extends IngestCommon {
  readonly source: RowSource;
}

/** The outcome plus what only a format-aware reader knows; serialised into the result report. */
export type IngestFileOutcome = IngestionOutcome & {
  format: string | null;
  /** Not fatal: e.g. columns the dataset does not know, which were ignored. */
  warnings: { code: string; reason: string }[];
  bytes?: number;
};

function keyDigest(businessKey: string): string {
  return createHash('sha1').update(businessKey).digest('base64');
}

function clip(value: string): string {
  const chars = [...value];
  return chars.length > limits.maxReportedValue
    ? `${chars.slice(0, limits.maxReportedValue).join('')}…(${chars.length} characters)`
    : value;
}

function describe(spec: FieldSpec): string {
  return spec.code ? `${spec.code} (${spec.nameZh})` : spec.nameZh;
}

/** The warning for columns (JSON Lines: keys) the dataset does not know; chunk assembly rebuilds it. */
export function unknownColumnsWarning(dataset: string, unknown: readonly string[]) {
  return {
    code: 'UNKNOWN_COLUMNS',
    reason: `columns not in dataset ${dataset} were ignored: ${unknown.join(', ')}`,
  };
}

/** The file error for error rows (records that could not be read); chunk assembly sums the counts. */
export function unreadableRecordsError(unreadable: number) {
  return {
    code: 'UNREADABLE_RECORDS',
    reason: `${unreadable} record(s) could not be read (see rejectedRows); the other rows were processed`,
  };
}

/**
 * Ingests any supported file (CSV UTF-8/GB18030, XLSX, JSON Lines), the format detected from the
 * bytes. Every format goes through the same header mapping, validation, duplicate detection and sink.
 */
export async function ingestFile(input: IngestFileInput): Promise<IngestFileOutcome> {
  const sheet = input.sheet ?? (input.fileName ? sheetFromFileName(input.fileName) : undefined);
  let source: Awaited<ReturnType<typeof openRowSource>>;
  try {
    source = await openRowSource(input.body, { sheet });
  } catch (error) {
    if (error instanceof FileFormatError) {
      return {
        ...emptyOutcome(),
        status: 'rejected',
        format: null,
        warnings: [],
        fileErrors: [{ code: error.code, reason: error.reason }],
      };
    }
    throw error;
  }
  const outcome = await ingestRows({ ...input, source });
  return { ...outcome, bytes: source.bytes() };
}

/** Kept for callers written when CSV was the only format: same as ingestFile. */
export const ingestCsv = ingestFile;

/**
 * The format-agnostic core: header mapping, row validation, in-file duplicates, timeliness on first
 * arrival, batching into the sink. Constant memory apart from the report and one digest per row.
 */
export async function ingestRows(input: IngestRowsInput): Promise<IngestFileOutcome> {
  const outcome: IngestFileOutcome = { ...emptyOutcome(), format: input.source.format, warnings: [] };
  const batchSize = input.batchSize ?? 100;
  const fields = input.schema.fields;
  const unknownColumns = new Set<string>();
  let mapping: HeaderMapping | null = null;
  const objectMappings = new Map<string, HeaderMapping>();
  const seen = new Map<string, number>();
  let batch: AcceptedRow[] = [];
  let lastRow = 0;
  let unreadable = 0;

  const reject = (row: number, issues: RowIssue[]) => {
    outcome.counts.rejected += 1;
    outcome.rejectedRows.push({
      row,
      issues: issues.map((issue) => ({ ...issue, value: clip(issue.value) })),
    });
  };
  const fileError = (code: string, reason: string) => {
    outcome.fileErrors.push({ code, reason });
  };

  const flush = async () => {
    if (batch.length === 0) return;
    let rows = batch;
    batch = [];
    if (input.priorArrivals) {
      const prior = await input.priorArrivals(rows);
      rows = rows.map((row) => {
        const first = prior.get(row.businessKey);
        if (!first) return row;
        return { ...row, firstArrival: first, late: lateAfter(row.dueDate, first.receivedDate) };
      });
    }
    for (const row of rows) if (row.late) outcome.counts.late += 1;
    await input.sink.write(rows);
    outcome.appliedRows = { from: outcome.appliedRows?.from ?? rows[0]!.row, to: rows[rows.length - 1]!.row };
  };

  const accept = async (row: number, raw: Readonly<Record<string, string | undefined>>) => {
    outcome.counts.rows += 1;
    const encodingIssues: RowIssue[] = [];
    for (const spec of fields) {
      const value = raw[spec.key];
      if (value?.includes(REPLACEMENT)) {
        encodingIssues.push({
          field: spec.code ?? spec.nameZh,
          value,
          code: 'ENCODING',
          reason: `the cell contains bytes that are not valid ${outcome.encoding ?? 'text'} (shown as �)`,
        });
      }
    }
    if (encodingIssues.length > 0) return reject(row, encodingIssues);
    const result = validateRow(input.schema, raw, input.context);
    if (!result.ok) return reject(row, result.issues);
    const businessKey = input.schema.businessKey(result.value);
    const digest = keyDigest(businessKey);
    const firstRow = seen.get(digest);
    if (firstRow !== undefined) {
      outcome.counts.duplicate += 1;
      outcome.duplicateRows.push({ row, duplicateOf: firstRow });
      return;
    }
    seen.set(digest, row);
    const timeliness = assessTimeliness(result.value, input.receivedDate);
    const flags = timeliness.problem ? [...result.flags, 'DUE_DATE_UNKNOWN'] : result.flags;
    if (flags.length > 0) outcome.flaggedRows.push({ row, flags });
    outcome.counts.accepted += 1;
    batch.push({
      row,
      record: result.value,
      businessKey,
      dueDate: timeliness.dueDate,
      late: timeliness.late,
      lifecycle: lifecycleOf(result.value),
    });
    if (batch.length >= batchSize) await flush();
  };

  const headerProblems = (found: HeaderMapping): boolean => {
    const problems: { code: string; reason: string }[] = [];
    if (found.missingRequired.length > 0) {
      problems.push({
        code: 'MISSING_COLUMNS',
        reason: `required columns missing: ${found.missingRequired.map(describe).join(', ')}`,
      });
    }
    if (found.duplicated.length > 0) {
      problems.push({
        code: 'DUPLICATE_COLUMNS',
        reason: `columns name the same field twice: ${found.duplicated.join(', ')}`,
      });
    }
    for (const problem of problems) fileError(problem.code, problem.reason);
    return problems.length > 0;
  };

  try {
    for await (const item of input.source.rows) {
      lastRow = item.row;
      if (item.kind === 'error') {
        if (mapping === null && input.source.format !== 'jsonl') {
          // Without a readable header no row can be mapped.
          fileError(item.code, `the header row (row ${item.row}) could not be read: ${item.reason}`);
          outcome.status = 'rejected';
          break;
        }
        unreadable += 1;
        outcome.counts.rows += 1;
        reject(item.row, [{ field: '(record)', value: '', code: item.code, reason: item.reason }]);
        continue;
      }
      if (item.kind === 'cells') {
        if (mapping === null) {
          if (item.cells.length > limits.maxColumns) {
            fileError(
              'TOO_MANY_COLUMNS',
              `the header row has ${item.cells.length} columns; at most ${limits.maxColumns} allowed`,
            );
            outcome.status = 'rejected';
            break;
          }
          mapping = mapHeaders(item.cells, fields);
          outcome.columns = { recognised: mapping.recognised, unknown: mapping.unknown };
          if (mapping.recognised.length === 0) {
            fileError(
              'NO_HEADER',
              `row ${item.row} has no recognised column header for dataset ${input.schema.id}; expected field codes, Chinese names or English aliases (see docs/datasets.md)`,
            );
            outcome.status = 'rejected';
            break;
          }
          if (headerProblems(mapping)) {
            outcome.status = 'rejected';
            break;
          }
          continue;
        }
        if (item.cells.length > limits.maxColumns) {
          outcome.counts.rows += 1;
          reject(item.row, [
            {
              field: '(record)',
              value: '',
              code: 'TOO_MANY_COLUMNS',
              reason: `the row has ${item.cells.length} columns; at most ${limits.maxColumns} allowed`,
            },
          ]);
          continue;
        }
        const cells: Record<string, string | undefined> = {};
        mapping.columnKeys.forEach((key, index) => {
          if (key !== null) cells[key] = item.cells[index];
        });
        await accept(item.row, cells);
        continue;
      }
      // A JSON object: its keys are its header.
      const names = Object.keys(item.values);
      const signature = names.join('\u0000');
      let objectMapping = objectMappings.get(signature);
      if (!objectMapping) {
        objectMapping = mapHeaders(names, fields);
        if (objectMappings.size < 64) objectMappings.set(signature, objectMapping);
        for (const name of objectMapping.unknown) if (unknownColumns.size < 100) unknownColumns.add(name);
      }
      if (objectMapping.duplicated.length > 0) {
        outcome.counts.rows += 1;
        reject(item.row, [
          {
            field: '(record)',
            value: objectMapping.duplicated.join(', '),
            code: 'DUPLICATE_COLUMNS',
            reason: `keys name the same field twice: ${objectMapping.duplicated.join(', ')}`,
          },
        ]);
        continue;
      }
      const cells: Record<string, string | undefined> = {};
      objectMapping.columnKeys.forEach((key, index) => {
        if (key !== null) cells[key] = item.values[names[index]!];
      });
      await accept(item.row, cells);
    }
    await flush();
  } catch (error) {
    if (!(error instanceof FileFormatError)) throw error;
    await flush();
    fileError(
      error.code,
      lastRow > 0 ? `the file could not be read past row ${lastRow}: ${error.reason}` : error.reason,
    );
    outcome.status = outcome.counts.accepted > 0 ? 'partial' : 'rejected';
  }
  outcome.encoding = input.source.encoding();

  if (input.source.format === 'jsonl') {
    outcome.columns = { recognised: outcome.columns.recognised, unknown: [...unknownColumns] };
    if (outcome.counts.rows === 0 && outcome.fileErrors.length === 0) {
      fileError('NO_ROWS', 'the file has no JSON object lines');
      outcome.status = 'rejected';
    }
  } else if (mapping === null && outcome.fileErrors.length === 0) {
    fileError('NO_HEADER', 'the file has no header row');
    outcome.status = 'rejected';
  }
  if (outcome.columns.unknown.length > 0) {
    outcome.warnings.push(unknownColumnsWarning(input.schema.id, outcome.columns.unknown));
  }
  if (unreadable > 0 && outcome.status === 'completed') {
    outcome.status = outcome.counts.accepted > 0 ? 'partial' : 'rejected';
    outcome.fileErrors.push(unreadableRecordsError(unreadable));
  }
  return outcome;
}
