import type { Readable } from 'node:stream';
import { type CsvError, parse } from 'csv-parse';
import { DecodeToText } from '../decode';
import { limits, type RowSource, type SourceRow } from './types';

interface ParsedRecord {
  readonly record: string[];
  readonly info: { readonly records: number };
}

/**
 * CSV in UTF-8 (with or without BOM) or GBK/GB18030, the encoding detected from the bytes. A record
 * the parser cannot read (unclosed quote, a record longer than the bound) becomes an error row in its
 * place; the rows around it are still read. Row numbers count records, the header being row 1, as a
 * spreadsheet shows them.
 */
export function csvRows(body: Readable): RowSource {
  const decoder = new DecodeToText();
  const parser = parse({
    relax_column_count: true,
    skip_empty_lines: true,
    trim: false,
    info: true,
    max_record_size: limits.maxRecordCharacters,
    skip_records_with_error: true,
  });
  // Skipped records, in order: the parser's record count when each was skipped.
  const skipped: { afterRecords: number; code: string; reason: string }[] = [];
  parser.on('skip', (error: CsvError & { records?: number }) => {
    skipped.push({
      afterRecords: error.records ?? 0,
      code: `CSV_${error.code}`,
      reason:
        error.code === 'CSV_MAX_RECORD_SIZE'
          ? `the record is longer than ${limits.maxRecordCharacters} characters (or has too many columns) and was not read`
          : `the record could not be parsed: ${error.message}`,
    });
  });
  body.on('error', (error) => parser.destroy(error));
  decoder.on('error', (error) => parser.destroy(error));
  body.pipe(decoder).pipe(parser);

  async function* rows(): AsyncGenerator<SourceRow> {
    let skippedSoFar = 0;
    const drainSkipped = function* (beforeRecords: number): Generator<SourceRow> {
      while (skipped.length > 0 && skipped[0]!.afterRecords < beforeRecords) {
        const skip = skipped.shift()!;
        skippedSoFar += 1;
        yield { kind: 'error', row: skip.afterRecords + skippedSoFar, code: skip.code, reason: skip.reason };
      }
    };
    for await (const { record, info } of parser as AsyncIterable<ParsedRecord>) {
      yield* drainSkipped(info.records);
      yield { kind: 'cells', row: info.records + skippedSoFar, cells: record };
    }
    yield* drainSkipped(Number.POSITIVE_INFINITY);
  }

  return { format: 'csv', encoding: () => decoder.encoding, rows: rows() };
}
