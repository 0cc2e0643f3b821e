import { createHash } from 'node:crypto';
import { detectEncoding, type TextEncoding } from '../decode';

export interface ChunkRange {
  readonly chunk: number;
  /** Bytes [start, end) of the file. */
  readonly start: number;
  readonly end: number;
  /** Spreadsheet row number of the first record in the range (the header is row 1). */
  readonly firstRow: number;
}

export interface CsvScan {
  readonly size: number;
  readonly sha256: string;
  /** The header record is bytes [0, headerEnd); 0 when the file has no complete line. */
  readonly headerEnd: number;
  readonly encoding: TextEncoding;
  /** Records (non-empty lines outside quotes), header included. */
  readonly records: number;
  readonly chunks: readonly ChunkRange[];
  /** The first bytes, to tell CSV from XLSX (zip) or JSON Lines. */
  readonly sample: Buffer;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SAMPLE_BYTES = 64 * 1024;

/**
 * One streaming pass over a CSV file: SHA-256 of the content, and cut points roughly every
 * `chunkBytes` at record boundaries (a line feed outside double quotes), with the row number each
 * chunk starts at. Byte-level scanning is safe for UTF-8 and GBK/GB18030 alike: neither uses 0x22,
 * 0x0A or 0x0D inside a multi-byte character. Memory: the 64 KB sample and the chunk list.
 */
export async function scanCsv(
  body: AsyncIterable<Buffer | Uint8Array>,
  chunkBytes: number,
): Promise<CsvScan> {
  const hash = createHash('sha256');
  const sampleParts: Buffer[] = [];
  let sampleLength = 0;
  const chunks: ChunkRange[] = [];
  let position = 0;
  let inQuotes = false;
  let lineHasContent = false;
  let records = 0;
  let headerEnd = 0;
  let chunkStart = -1;
  let chunkFirstRow = 2;
  let nextCut = Number.POSITIVE_INFINITY;

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
  const sample = Buffer.concat(sampleParts);
  return {
    size: position,
    sha256: hash.digest('hex'),
    headerEnd,
    encoding: detectEncoding(sample),
    records: records + (lineHasContent ? 1 : 0),
    chunks,
    sample,
  };
}

/** XLSX (a zip archive) cannot be cut into byte ranges; JSON Lines and CSV can. */
export function looksLikeZip(sample: Buffer): boolean {
  return (
    sample.length >= 4 && sample[0] === 0x50 && sample[1] === 0x4b && sample[2] === 0x03 && sample[3] === 0x04
  );
}

/** JSON Lines: the first non-blank character (after a BOM) is '{'. */
export function looksLikeJsonLines(sample: Buffer): boolean {
  const text = sample
    .subarray(0, 256)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  return text.startsWith('{');
}
