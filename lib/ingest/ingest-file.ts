import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import type { CreditRecord, DatasetSchema, RowContext } from '../datasets';
import { validateRow } from '../datasets/schema';
import { DecodeToText, looksBinary } from './decode';
import { mapHeaders } from './headers';
import { emptyOutcome, type IngestionOutcome } from './report';
import { assessTimeliness } from './timeliness';

export interface AcceptedRow {
  readonly row: number;
  readonly record: CreditRecord;
  readonly businessKey: string;
  readonly dueDate: string | null;
  readonly late: boolean;
}

/** Where accepted rows go; the AWS implementation batches them into DynamoDB and the match queue. */
export interface RecordSink {
  write(rows: readonly AcceptedRow[]): Promise<void>;
}

export interface IngestCsvInput {
  readonly schema: DatasetSchema<CreditRecord>;
  readonly body: Readable;
  readonly context: RowContext;
  /** The date (Asia/Shanghai) the file arrived: a record received after its due date is late. */
  readonly receivedDate: string;
  readonly sink: RecordSink;
  readonly batchSize?: number;
}

/** Guards against hostile files: a single record (one line) may not exceed this many characters. */
const MAX_RECORD_CHARACTERS = 1_000_000;

function keyDigest(businessKey: string): string {
  return createHash('sha1').update(businessKey).digest('base64');
}

/**
 * Streams a CSV file through header mapping, row validation, in-file duplicate detection and the
 * sink, in constant memory apart from the report itself. The header is row 1, so row numbers match
 * what the agency sees in a spreadsheet.
 */
export async function ingestCsv(input: IngestCsvInput): Promise<IngestionOutcome> {
  const outcome = emptyOutcome();
  const batchSize = input.batchSize ?? 100;
  const decoder = new DecodeToText();
  decoder.on('encoding', (encoding: string) => {
    outcome.encoding = encoding;
  });
  let firstBytes: Buffer | null = null;
  let byteCount = 0;
  input.body.on('data', (chunk: Buffer) => {
    if (firstBytes === null) firstBytes = chunk;
    byteCount += chunk.length;
  });
  const parser = parse({
    relax_column_count: true,
    skip_empty_lines: true,
    trim: false,
    max_record_size: MAX_RECORD_CHARACTERS,
    // A record the parser cannot read (unclosed quote, oversized record) is reported and skipped;
    // failing the stream instead would drop the rows already buffered before it.
    skip_records_with_error: true,
  });
  const unreadable: { row: number; code: string; reason: string }[] = [];
  parser.on('skip', (error: CsvError & { records?: number }) => {
    unreadable.push({
      row: (error.records ?? rowNumber) + 1,
      code: `CSV_${error.code}`,
      reason: error.message,
    });
  });
  input.body.on('error', (error) => parser.destroy(error));
  decoder.on('error', (error) => parser.destroy(error));
  input.body.pipe(decoder).pipe(parser);

  let mapping: ReturnType<typeof mapHeaders> | null = null;
  let rowNumber = 0;
  const seen = new Map<string, number>();
  let batch: AcceptedRow[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    await input.sink.write(rows);
    const first = rows[0]!.row;
    const last = rows[rows.length - 1]!.row;
    outcome.appliedRows = { from: outcome.appliedRows?.from ?? first, to: last };
  };

  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      rowNumber += 1;
      if (firstBytes !== null && rowNumber === 1 && looksBinary(firstBytes)) {
        return {
          ...outcome,
          status: 'rejected',
          fileErrors: [
            {
              code: 'BINARY_CONTENT',
              reason: 'the file contains binary data (NUL bytes); expected CSV text',
            },
          ],
        };
      }
      if (mapping === null) {
        mapping = mapHeaders(record, input.schema.fields);
        outcome.columns = { recognised: mapping.recognised, unknown: mapping.unknown };
        if (mapping.recognised.length === 0) {
          return {
            ...outcome,
            status: 'rejected',
            fileErrors: [
              {
                code: 'NO_HEADER',
                reason: `row 1 has no recognised column header for dataset ${input.schema.id}; expected field codes, Chinese names or English aliases`,
              },
            ],
          };
        }
        const problems = [];
        if (mapping.missingRequired.length > 0) {
          problems.push({
            code: 'MISSING_COLUMNS',
            reason: `required columns missing: ${mapping.missingRequired.map((spec) => (spec.code ? `${spec.code} (${spec.nameZh})` : spec.nameZh)).join(', ')}`,
          });
        }
        if (mapping.duplicated.length > 0) {
          problems.push({
            code: 'DUPLICATE_COLUMNS',
            reason: `columns name the same field twice: ${mapping.duplicated.join(', ')}`,
          });
        }
        if (problems.length > 0) return { ...outcome, status: 'rejected', fileErrors: problems };
        continue;
      }
      outcome.counts.rows += 1;
      const cells: Record<string, string | undefined> = {};
      mapping.columnKeys.forEach((key, index) => {
        if (key !== null) cells[key] = record[index];
      });
      const result = validateRow(input.schema, cells, input.context);
      if (!result.ok) {
        outcome.counts.rejected += 1;
        outcome.rejectedRows.push({ row: rowNumber, issues: result.issues });
        continue;
      }
      const businessKey = input.schema.businessKey(result.value);
      const digest = keyDigest(businessKey);
      const firstRow = seen.get(digest);
      if (firstRow !== undefined) {
        outcome.counts.duplicate += 1;
        outcome.duplicateRows.push({ row: rowNumber, duplicateOf: firstRow });
        continue;
      }
      seen.set(digest, rowNumber);
      const timeliness = assessTimeliness(result.value, input.receivedDate);
      const flags = timeliness.problem ? [...result.flags, 'DUE_DATE_UNKNOWN'] : result.flags;
      if (flags.length > 0) outcome.flaggedRows.push({ row: rowNumber, flags });
      if (timeliness.late) outcome.counts.late += 1;
      outcome.counts.accepted += 1;
      batch.push({
        row: rowNumber,
        record: result.value,
        businessKey,
        dueDate: timeliness.dueDate,
        late: timeliness.late,
      });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    for (const problem of unreadable) {
      outcome.counts.rows += 1;
      outcome.counts.rejected += 1;
      outcome.rejectedRows.push({
        row: problem.row,
        issues: [
          {
            field: '(record)',
            value: '',
            code: problem.code,
            reason: `the record could not be parsed: ${problem.reason}`,
          },
        ],
      });
    }
    if (unreadable.length > 0) {
      outcome.status = outcome.counts.accepted > 0 ? 'partial' : 'rejected';
      outcome.fileErrors.push({
        code: 'UNREADABLE_RECORDS',
        reason: `${unreadable.length} record(s) could not be parsed (see rejectedRows); the other rows were processed`,
      });
    }
  } catch (error) {
    if (error instanceof CsvError) {
      await flush();
      outcome.status = outcome.counts.accepted > 0 ? 'partial' : 'rejected';
      outcome.fileErrors.push({
        code: `CSV_${error.code}`,
        reason: `the file could not be read past row ${rowNumber + 1}: ${error.message}`,
      });
      return outcome;
    }
    throw error;
  }
  if (byteCount === 0)
    return {
      ...outcome,
      status: 'rejected',
      fileErrors: [{ code: 'EMPTY_FILE', reason: 'the file is empty (0 bytes)' }],
    };
  if (mapping === null)
    return {
      ...outcome,
      status: 'rejected',
      fileErrors: [{ code: 'NO_HEADER', reason: 'the file has no header row' }],
    };
  return outcome;
}
