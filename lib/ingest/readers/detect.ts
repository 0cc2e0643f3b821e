import { Readable } from 'node:stream';
import type { FileFormat } from './types';

export type Detection =
  | { readonly ok: true; readonly format: FileFormat }
  | { readonly ok: false; readonly code: string; readonly reason: string };

const ZIP_LOCAL_FILE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const ZIP_EMPTY = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const OLE_COMPOUND = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Bytes needed to decide: enough for magic numbers, a BOM, leading blank lines and NUL sniffing. */
export const DETECTION_BYTES = 8192;

/**
 * Decides the format from the first bytes, never from the file name: a zip (PK) is XLSX, a first
 * non-blank character `{` is JSON Lines, other text is CSV. Binary content and encodings the
 * platform does not read (UTF-16/32) are refused with a reason the agency can act on.
 */
export function detectFormat(head: Buffer): Detection {
  if (head.length === 0) return { ok: false, code: 'EMPTY_FILE', reason: 'the file is empty (0 bytes)' };
  const sample = head.subarray(0, DETECTION_BYTES);
  return (
    containerDetection(head) ?? byteOrderMarkDetection(head) ?? nulDetection(sample) ?? textFormat(sample)
  );
}

/** A zip (XLSX, or not a workbook) or a legacy OLE document, by magic number. */
function containerDetection(head: Buffer): Detection | undefined {
  if (head.subarray(0, 4).equals(ZIP_LOCAL_FILE)) {
    // A zip local file header alone is 30 bytes: anything shorter is not a workbook.
    if (head.length >= 30) return { ok: true, format: 'xlsx' };
    return {
      ok: false,
      code: 'BINARY_CONTENT',
      reason: 'the file is binary (a truncated zip header); expected CSV, XLSX or JSON Lines',
    };
  }
  if (head.subarray(0, 4).equals(ZIP_EMPTY)) {
    return { ok: false, code: 'XLSX_UNREADABLE', reason: 'the file is an empty zip archive, not a workbook' };
  }
  if (head.subarray(0, 8).equals(OLE_COMPOUND)) {
    return {
      ok: false,
      code: 'UNSUPPORTED_FORMAT',
      reason:
        'the file is a legacy Excel 97–2003 (.xls) or other OLE document; save it as .xlsx, CSV or JSON Lines',
    };
  }
  return undefined;
}

/** UTF-16 (either order) or UTF-32 big-endian, by byte-order mark. */
function byteOrderMarkDetection(head: Buffer): Detection | undefined {
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
  const utf32 = head.length >= 4 && head[0] === 0 && head[1] === 0 && head[2] === 0xfe && head[3] === 0xff;
  if (!utf16 && !utf32) return undefined;
  return {
    ok: false,
    code: 'UNSUPPORTED_ENCODING',
    reason: 'the file is UTF-16/UTF-32 text (byte-order mark found); save it as UTF-8 or GBK/GB18030',
  };
}

/** NUL bytes: UTF-16 without a byte-order mark when they alternate with text, else binary content. */
function nulDetection(sample: Buffer): Detection | undefined {
  const nul = sample.indexOf(0);
  if (nul === -1) return undefined;
  if (nulsAlternate(sample)) {
    return {
      ok: false,
      code: 'UNSUPPORTED_ENCODING',
      reason: 'the file looks like UTF-16 text without a byte-order mark; save it as UTF-8 or GBK/GB18030',
    };
  }
  return {
    ok: false,
    code: 'BINARY_CONTENT',
    reason: `the file contains binary data (a NUL byte at offset ${nul}); expected CSV, XLSX or JSON Lines`,
  };
}

/** UTF-16 without a BOM puts NULs next to ASCII characters, all at even or all at odd offsets. */
function nulsAlternate(sample: Buffer): boolean {
  let even = 0;
  let odd = 0;
  for (let i = 0; i < sample.length; i += 1) {
    if (sample[i] !== 0) continue;
    if (i % 2 === 0) even += 1;
    else odd += 1;
  }
  return even + odd >= 2 && (even === 0) !== (odd === 0);
}

/** Text: JSON Lines when the first non-blank character (after a UTF-8 BOM) is `{`, else CSV. */
function textFormat(sample: Buffer): Detection {
  let start = sample.subarray(0, 3).equals(UTF8_BOM) ? 3 : 0;
  while (start < sample.length && [0x20, 0x09, 0x0a, 0x0d].includes(sample[start]!)) start += 1;
  return { ok: true, format: sample[start] === 0x7b ? 'jsonl' : 'csv' };
}

/**
 * Reads the first bytes of a stream without losing them: returns them and a stream that replays
 * them followed by the rest.
 */
export async function peek(
  body: Readable,
  bytes = DETECTION_BYTES,
): Promise<{ head: Buffer; stream: Readable; bytesRead: () => number }> {
  const iterator = body[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const chunks: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    chunks.push(chunk);
    length += chunk.length;
  }
  const head = Buffer.concat(chunks);
  let total = head.length;
  async function* replay(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (done) return;
    while (true) {
      const next = await iterator.next();
      if (next.done) return;
      const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      total += chunk.length;
      yield chunk;
    }
  }
  return { head, stream: Readable.from(replay(), { objectMode: false }), bytesRead: () => total };
}
