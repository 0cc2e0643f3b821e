import { Transform, type TransformCallback } from 'node:stream';
import iconv from 'iconv-lite';
import { FileFormatError } from './readers/types';

export type TextEncoding = 'utf-8' | 'gb18030';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** What a decoder puts in place of bytes it cannot read. */
export const REPLACEMENT = '\uFFFD';

/**
 * Decides the encoding from the bytes, never from the file name: a UTF-8 BOM or a sample that is
 * valid UTF-8 means UTF-8; anything else is read as GB18030 (a superset of GBK and GB2312, what
 * Chinese office software writes).
 */
export function detectEncoding(sample: Buffer): TextEncoding {
  if (sample.subarray(0, 3).equals(UTF8_BOM)) return 'utf-8';
  // A sample may end inside a multi-byte character: ignore up to 3 trailing bytes of it.
  for (let trim = 0; trim <= 3 && trim < sample.length + 1; trim += 1) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, sample.length - trim));
      return 'utf-8';
    } catch {
      // try with fewer trailing bytes
    }
  }
  return 'gb18030';
}

/** Binary content (NUL bytes) is refused before any parsing. */
export function looksBinary(sample: Buffer): boolean {
  return sample.subarray(0, 8192).includes(0);
}

/** A transform that buffers the first chunk(s) to detect the encoding, then decodes to UTF-8 text. */
export class DecodeToText extends Transform {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private decoder: ReturnType<typeof iconv.getDecoder> | null = null;
  encoding: TextEncoding | null = null;

  constructor(private readonly sampleBytes = 64 * 1024) {
    super({ readableObjectMode: false });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    if (this.decoder) {
      callback(null, this.decoder.write(chunk));
      return;
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= this.sampleBytes) this.start(callback);
    else callback();
  }

  override _flush(callback: TransformCallback): void {
    if (!this.decoder) {
      this.start((error, text) => {
        if (error) return callback(error);
        if (text) this.push(text);
        this.finish(callback);
      });
      return;
    }
    this.finish(callback);
  }

  private start(callback: TransformCallback): void {
    const sample = Buffer.concat(this.pending);
    this.pending = [];
    this.encoding = detectEncoding(sample);
    this.emit('encoding', this.encoding);
    // stripBOM: a UTF-8 BOM must not become part of the first header.
    this.decoder = iconv.getDecoder(this.encoding, { stripBOM: true });
    const text = this.decoder.write(sample);
    // GB18030 reads almost any byte sequence; what it cannot read becomes U+FFFD. Such bytes at the
    // start of the file mean it is neither UTF-8 nor GB18030: refuse it rather than store mojibake.
    const bad = text.indexOf(REPLACEMENT);
    if (this.encoding === 'gb18030' && bad !== -1) {
      callback(
        new FileFormatError(
          'UNDECODABLE',
          `the file is neither valid UTF-8 nor GBK/GB18030 (undecodable bytes near character ${bad}); save it as UTF-8`,
        ),
      );
      return;
    }
    callback(null, text);
  }

  private finish(callback: TransformCallback): void {
    const rest = this.decoder?.end();
    if (rest) this.push(rest);
    callback();
  }
}
