import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { type CsvError, parse } from 'csv-parse';
import { DecodeToText } from '../decode';
import { limits, type RowSource, type SourceRow } from './types';

/** Stands in for a physical line that was too long to read; never produced by real data. */
export const OVERSIZED = '\u0000\u0001RECORD_TOO_LONG\u0001\u0000';

/**
 * Text handed to the parser at a time. csv-parse turns a whole input chunk into records before
 * backpressure applies, and a record whose length differs from the header's carries an error object
 * (stack and options, some kilobytes): a chunk of 16 MB of short bad lines (`x`) would be millions
 * of records held at once. In slices, the records waiting for the reader stay bounded by one slice.
 */
export const PARSE_SLICE_CHARACTERS = 4096;

/** `text` in slices of at most `size` characters, cut after a line feed where there is one (never inside a surrogate pair). */
export function* textSlices(text: string, size = PARSE_SLICE_CHARACTERS): Generator<string> {
  let at = 0;
  while (text.length - at > size) {
    let cut = text.lastIndexOf('\n', at + size - 1) + 1;
    if (cut <= at) {
      cut = at + size;
      const code = text.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
    yield text.slice(at, cut);
    at = cut;
  }
  if (at < text.length) yield text.slice(at);
}

/**
 * Bounds memory before the CSV parser sees anything: a physical line longer than the limit is
 * dropped as it streams (never held whole) and replaced by a marker line the reader reports.
 * (csv-parse's own max_record_size cannot recover cleanly once it trips, so it is only a backstop.)
 */
export class LineGuard extends Transform {
  private line = '';
  private skipping = false;
  private lastSkipped = '';

  constructor(private readonly limit: number) {
    super({ decodeStrings: false, encoding: 'utf8' });
  }

  override _transform(chunk: Buffer | string, _enc: BufferEncoding, callback: TransformCallback): void {
    let text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let out = '';
    while (text.length > 0) {
      const newline = text.indexOf('\n');
      const piece = newline === -1 ? text : text.slice(0, newline + 1);
      text = newline === -1 ? '' : text.slice(newline + 1);
      const endsLine = newline !== -1;
      out += this.skipping ? this.skippedPiece(piece, endsLine) : this.keptPiece(piece, endsLine);
    }
    for (const slice of textSlices(out)) this.push(slice);
    callback();
  }

  /** A piece of a line already over the bound: dropped, and at the line's end the marker in its place. */
  private skippedPiece(piece: string, endsLine: boolean): string {
    if (!endsLine) {
      if (piece.length > 0) this.lastSkipped = piece[piece.length - 1]!;
      return '';
    }
    // Keep the file's own line ending: the parser detected it from the first line.
    const crlf = piece.length >= 2 ? piece[piece.length - 2] === '\r' : this.lastSkipped === '\r';
    this.skipping = false;
    return `${OVERSIZED}${crlf ? '\r\n' : '\n'}`;
  }

  /** A piece of a line within the bound so far: the whole line once it ends; skipping once too long. */
  private keptPiece(piece: string, endsLine: boolean): string {
    this.line += piece;
    if (endsLine) {
      const line = this.line;
      this.line = '';
      // A whole long line may arrive in one chunk: it is bounded here too.
      return line.length > this.limit + 2 ? `${OVERSIZED}${line.endsWith('\r\n') ? '\r\n' : '\n'}` : line;
    }
    if (this.line.length > this.limit) {
      this.lastSkipped = this.line[this.line.length - 1] ?? '';
      this.line = '';
      this.skipping = true;
    }
    return '';
  }

  override _flush(callback: TransformCallback): void {
    callback(null, this.skipping ? `${OVERSIZED}\n` : this.line);
  }
}

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
    // Backstop for a quoted record spanning many lines; single long lines are cut by LineGuard.
    max_record_size: limits.maxRecordCharacters * 4,
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
  const guard = new LineGuard(limits.maxRecordCharacters);
  decoder.on('error', (error) => guard.destroy(error));
  guard.on('error', (error) => parser.destroy(error));
  body.pipe(decoder).pipe(guard).pipe(parser);

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
      const row = info.records + skippedSoFar;
      if (record.length === 1 && record[0] === OVERSIZED) {
        yield {
          kind: 'error',
          row,
          code: 'RECORD_TOO_LONG',
          reason: `the line is longer than ${limits.maxRecordCharacters} characters (or has too many columns) and was not read`,
        };
        continue;
      }
      yield { kind: 'cells', row, cells: record };
    }
    yield* drainSkipped(Number.POSITIVE_INFINITY);
  }

  return { format: 'csv', encoding: () => decoder.encoding, rows: rows() };
}
