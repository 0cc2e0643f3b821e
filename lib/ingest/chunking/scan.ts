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
 * One streaming pass over a text file: SHA-256 of the content, and cut points roughly every
 * `chunkBytes` for both text formats, the list that applies picked at the end from the first bytes
 * (constant memory apart from the 64 KB sample and the two chunk lists).
 *
 * - CSV: at record boundaries (a line feed outside double quotes), with the spreadsheet row number
 *   each chunk starts at; the header is bytes [0, headerEnd) and is prepended to every chunk.
 * - JSON Lines: at the start of a non-blank line (every line feed ends a record: a JSON string
 *   cannot hold a raw line feed, and quotes are not tracked because of `\"` escapes), with the
 *   physical line number, blank lines included, that jsonlRows gives that line. Cutting before a
 *   non-blank line rather than at any line feed keeps runs of blank lines with the chunk before,
 *   so no chunk is without rows (which a JSON Lines reader reports as NO_ROWS).
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
  // CSV
  const chunks: ChunkRange[] = [];
  let inQuotes = false;
  let lineHasContent = false;
  let records = 0;
  let headerEnd = 0;
  let chunkStart = -1;
  let chunkFirstRow = 2;
  let nextCut = Number.POSITIVE_INFINITY;
  // JSON Lines
  const jsonlChunks: ChunkRange[] = [];
  let line = 1;
  let lineStart = 0;
  let lineIsBlank = true;
  let jsonlRecords = 0;
  let jsonlChunkStart = 0;
  let jsonlFirstRow = 1;
  let jsonlNextCut = chunkBytes;

  for await (const piece of body) {
    const buffer = Buffer.isBuffer(piece) ? piece : Buffer.from(piece);
    hash.update(buffer);
    if (sampleLength < SAMPLE_BYTES) {
      sampleParts.push(buffer.subarray(0, SAMPLE_BYTES - sampleLength));
      sampleLength += Math.min(buffer.length, SAMPLE_BYTES - sampleLength);
    }
    const length = buffer.length;
    for (let i = 0; i < length; i += 1) {
      const byte = buffer[i]!;
      if (byte === LF) {
        line += 1;
        lineStart = position + i + 1;
        lineIsBlank = true;
      } else if (lineIsBlank && !isAsciiBlank(byte)) {
        lineIsBlank = false;
        jsonlRecords += 1;
        if (lineStart >= jsonlNextCut) {
          jsonlChunks.push({
            chunk: jsonlChunks.length,
            start: jsonlChunkStart,
            end: lineStart,
            firstRow: jsonlFirstRow,
          });
          jsonlChunkStart = lineStart;
          jsonlFirstRow = line;
          jsonlNextCut = lineStart + chunkBytes;
        }
      }
      if (byte === QUOTE) {
        inQuotes = !inQuotes;
        lineHasContent = true;
      } else if (byte === LF) {
        if (inQuotes) continue;
        if (lineHasContent) {
          records += 1;
          const end = position + i + 1;
          if (records === 1) {
            headerEnd = end;
            chunkStart = end;
            nextCut = end + chunkBytes;
          } else if (end >= nextCut) {
            chunks.push({ chunk: chunks.length, start: chunkStart, end, firstRow: chunkFirstRow });
            chunkStart = end;
            chunkFirstRow = records + 1;
            nextCut = end + chunkBytes;
          }
        }
        lineHasContent = false;
      } else if (byte !== CR) {
        lineHasContent = true;
      }
    }
    position += length;
  }
  if (chunkStart >= 0 && chunkStart < position) {
    chunks.push({ chunk: chunks.length, start: chunkStart, end: position, firstRow: chunkFirstRow });
  }
  if (headerEnd === 0 && lineHasContent) headerEnd = position; // a header without a line break
  // A file of blank lines has no chunk: the single pass reports it (NO_ROWS).
  if (jsonlRecords > 0) {
    jsonlChunks.push({
      chunk: jsonlChunks.length,
      start: jsonlChunkStart,
      end: position,
      firstRow: jsonlFirstRow,
    });
  }
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
    ? { ...base, headerEnd: 0, records: jsonlRecords, chunks: jsonlChunks }
    : { ...base, headerEnd, records: records + (lineHasContent ? 1 : 0), chunks };
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
