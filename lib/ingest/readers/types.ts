/**
 * A row source is what every file format becomes before ingestion: an async sequence of rows in
 * file order. Tabular formats (CSV, XLSX) yield cells with the header as the first cells row;
 * JSON Lines yields one keyed object per line. A record the reader could not read is yielded as an
 * error row, so that ingestion reports it in place and carries on with the next one.
 */
export type SourceRow =
  | { readonly kind: 'cells'; readonly row: number; readonly cells: readonly string[] }
  | { readonly kind: 'object'; readonly row: number; readonly values: Readonly<Record<string, string>> }
  | { readonly kind: 'error'; readonly row: number; readonly code: string; readonly reason: string };

export type FileFormat = 'csv' | 'xlsx' | 'jsonl';

export interface RowSource {
  readonly format: FileFormat;
  /** The text encoding once known (CSV, JSON Lines); XLSX is always UTF-8 XML. */
  encoding(): string | null;
  readonly rows: AsyncIterable<SourceRow>;
}

/** A file-level failure: the reader cannot go on (unknown format, undecodable bytes, corrupt zip). */
export class FileFormatError extends Error {
  constructor(
    readonly code: string,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'FileFormatError';
  }
}

/** Hostile-input bounds shared by every reader. */
export const limits = {
  /** Characters in one record (one CSV record, one JSON line). */
  maxRecordCharacters: 256 * 1024,
  /** Columns (or JSON keys) in one record: a template has a few dozen. */
  maxColumns: 512,
  /** Characters of a received value quoted back in a report. */
  maxReportedValue: 200,
  /** Bytes of one XLSX file: it is spooled to the function's temporary storage (512 MB on Lambda). */
  maxWorkbookBytes: 400 * 1024 * 1024,
} as const;
