import { createHash } from 'node:crypto';
import { detectEncoding, type TextEncoding } from '../decode';
import { detectFormat } from '../readers/detect';
import type { FileFormat } from '../readers/types';

export interface ChunkRange {
  readonly chunk: number;
  /** Bytes [start, end) of the file. */
  readonly start: number;
  readonly end: number;
  /**
   * Row number of the first record in the range, as a single pass numbers it: the spreadsheet row
   * for CSV (the header is row 1), the physical line for JSON Lines.
   */
  readonly firstRow: number;
}

export interface FileScan {
  readonly size: number;
  readonly sha256: string;
  /**
   * The format a single pass would detect from the same first bytes (readers/detect.ts), or null
   * when it would refuse the file (binary, UTF-16, empty): such files are not chunked.
   */
  readonly format: FileFormat | null;
  /** CSV: the header record is bytes [0, headerEnd), 0 when the file has no complete line. JSON Lines: 0. */
  readonly headerEnd: number;
  readonly encoding: TextEncoding;
  /** CSV: records (non-empty lines outside quotes), header included. JSON Lines: non-blank lines. */
  readonly records: number;
  /** The cut points for `format` (the CSV ones unless the file is JSON Lines). */
  readonly chunks: readonly ChunkRange[];
  /** The first bytes, to tell CSV from XLSX (zip) or JSON Lines. */
  readonly sample: Buffer;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SAMPLE_BYTES = 64 * 1024;

/** ASCII whitespace, which jsonlRows trims: a line of only these is blank and yields no row. */
function isAsciiBlank(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

/**
 * CSV cut points: at record boundaries (a line feed outside double quotes), with the spreadsheet row
 * number each chunk starts at; the header is bytes [0, headerEnd) and is prepended to every chunk.
 */
class CsvCuts {
  readonly chunks: ChunkRange[] = [];
  records = 0;
  headerEnd = 0;
  lineHasContent = false;
  #inQuotes = false;
  #chunkStart = -1;
  #firstRow = 2;
  #nextCut = Number.POSITIVE_INFINITY;

  constructor(private readonly chunkBytes: number) {}

  scan(buffer: Buffer, position: number): void {
    const length = buffer.length;
    for (let i = 0; i < length; i += 1) {
      const byte = buffer[i]!;
      if (byte === QUOTE) {
        this.#inQuotes = !this.#inQuotes;
        this.lineHasContent = true;
      } else if (byte === LF) {
        if (this.#inQuotes) continue;
        if (this.lineHasContent) this.#recordEnds(position + i + 1);
        this.lineHasContent = false;
      } else if (byte !== CR) {
        this.lineHasContent = true;
      }
    }
  }

  #recordEnds(end: number): void {
    this.records += 1;
    if (this.records === 1) {
      this.headerEnd = end;
      this.#chunkStart = end;
      this.#nextCut = end + this.chunkBytes;
    } else if (end >= this.#nextCut) {
      this.chunks.push({ chunk: this.chunks.length, start: this.#chunkStart, end, firstRow: this.#firstRow });
      this.#chunkStart = end;
      this.#firstRow = this.records + 1;
      this.#nextCut = end + this.chunkBytes;
    }
  }

  finish(size: number): void {
    if (this.#chunkStart >= 0 && this.#chunkStart < size) {
      this.chunks.push({
        chunk: this.chunks.length,
        start: this.#chunkStart,
        end: size,
        firstRow: this.#firstRow,
      });
    }
    if (this.headerEnd === 0 && this.lineHasContent) this.headerEnd = size; // a header without a line break
  }
}

/**
 * JSON Lines cut points: at the start of a non-blank line (every line feed ends a record: a JSON
 * string cannot hold a raw line feed, and quotes are not tracked because of `\"` escapes), with the
 * physical line number, blank lines included, that jsonlRows gives that line. Cutting before a
 * non-blank line rather than at any line feed keeps runs of blank lines with the chunk before, so
 * no chunk is without rows (which a JSON Lines reader reports as NO_ROWS).
 */
class JsonlCuts {
  readonly chunks: ChunkRange[] = [];
  records = 0;
  #line = 1;
  #lineStart = 0;
  #lineIsBlank = true;
  #chunkStart = 0;
  #firstRow = 1;
  #nextCut: number;

  constructor(private readonly chunkBytes: number) {
    this.#nextCut = chunkBytes;
  }

  scan(buffer: Buffer, position: number): void {
    const length = buffer.length;
    for (let i = 0; i < length; i += 1) {
      const byte = buffer[i]!;
      if (byte === LF) {
        this.#line += 1;
        this.#lineStart = position + i + 1;
        this.#lineIsBlank = true;
      } else if (this.#lineIsBlank && !isAsciiBlank(byte)) {
        this.#lineIsBlank = false;
        this.records += 1;
        if (this.#lineStart >= this.#nextCut) this.#cut();
      }
    }
  }

  #cut(): void {
    this.chunks.push({
      chunk: this.chunks.length,
      start: this.#chunkStart,
      end: this.#lineStart,
      firstRow: this.#firstRow,
    });
    this.#chunkStart = this.#lineStart;
    this.#firstRow = this.#line;
    this.#nextCut = this.#lineStart + this.chunkBytes;
  }

  finish(size: number): void {
    // A file of blank lines has no chunk: the single pass reports it (NO_ROWS).
    if (this.records === 0) return;
    this.chunks.push({
      chunk: this.chunks.length,
      start: this.#chunkStart,
      end: size,
      firstRow: this.#firstRow,
    });
  }
}

/**
 * One streaming pass over a text file: SHA-256 of the content, and cut points roughly every
 * `chunkBytes` for both text formats (CsvCuts, JsonlCuts), the list that applies picked at the end
 * from the first bytes (constant memory apart from the 64 KB sample and the two chunk lists).
 *
 * Byte-level scanning is safe for UTF-8 and GBK/GB18030 alike: neither uses 0x22 or ASCII
 * whitespace (0x09–0x0D, 0x20) inside a multi-byte character.
 */
export async function scanFile(
  body: AsyncIterable<Buffer | Uint8Array>,
  chunkBytes: number,
): Promise<FileScan> {
  const hash = createHash('sha256');
  const sampleParts: Buffer[] = [];
  let sampleLength = 0;
  let position = 0;
  const csv = new CsvCuts(chunkBytes);
  const jsonl = new JsonlCuts(chunkBytes);
  for await (const piece of body) {
    const buffer = Buffer.isBuffer(piece) ? piece : Buffer.from(piece);
    hash.update(buffer);
    if (sampleLength < SAMPLE_BYTES) {
      sampleParts.push(buffer.subarray(0, SAMPLE_BYTES - sampleLength));
      sampleLength += Math.min(buffer.length, SAMPLE_BYTES - sampleLength);
    }
    csv.scan(buffer, position);
    jsonl.scan(buffer, position);
    position += buffer.length;
  }
  csv.finish(position);
  jsonl.finish(position);
  const sample = Buffer.concat(sampleParts);
  const detection = detectFormat(sample);
  const format = detection.ok ? detection.format : null;
  const base = {
    size: position,
    sha256: hash.digest('hex'),
    format,
    encoding: detectEncoding(sample),
    sample,
  };
  return format === 'jsonl'
    ? { ...base, headerEnd: 0, records: jsonl.records, chunks: jsonl.chunks }
    : {
        ...base,
        headerEnd: csv.headerEnd,
        records: csv.records + (csv.lineHasContent ? 1 : 0),
        chunks: csv.chunks,
      };
}

/** XLSX (a zip archive) cannot be cut into byte ranges; JSON Lines and CSV can. */
export function looksLikeZip(sample: Buffer): boolean {
  return (
    sample.length >= 4 && sample[0] === 0x50 && sample[1] === 0x4b && sample[2] === 0x03 && sample[3] === 0x04
  );
}

/**
 * JSON Lines: the first non-blank character (after a BOM) is '{' — decided exactly as a single pass
 * decides (readers/detect.ts), so that a file is never chunked as one format and read as another.
 */
export function looksLikeJsonLines(sample: Buffer): boolean {
  const detection = detectFormat(sample);
  return detection.ok && detection.format === 'jsonl';
}
