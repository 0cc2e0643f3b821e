import { createHash } from 'node:crypto';
import type { AcceptedRow } from '../ingest-file';
import type { PublicationCount } from '../types';

/** One accepted row as 13 bytes: 8 bytes of SHA-1 of its business key, its row number, its late flag. */
const ENTRY = 13;

/** Collects the business-key digests of a chunk's accepted rows, compactly (13 bytes a row). */
export class KeyDigests {
  #buffer = Buffer.alloc(ENTRY * 1024);
  #length = 0;

  add(rows: readonly AcceptedRow[]): void {
    for (const row of rows) {
      if (this.#length + ENTRY > this.#buffer.length) {
        const grown = Buffer.alloc(this.#buffer.length * 2);
        this.#buffer.copy(grown, 0, 0, this.#length);
        this.#buffer = grown;
      }
      createHash('sha1').update(row.businessKey).digest().copy(this.#buffer, this.#length, 0, 8);
      this.#buffer.writeUInt32BE(row.row, this.#length + 8);
      this.#buffer.writeUInt8(flagsOf(row), this.#length + 12);
      this.#length += ENTRY;
    }
  }

  toBase64(): string {
    return this.#buffer.subarray(0, this.#length).toString('base64');
  }
}

/** The flag byte: bit 0 the late flag, bits 1–3 the publication count the row added (0 none). */
const publicationCodes: readonly (PublicationCount | undefined)[] = [
  undefined,
  'on-time',
  'late',
  'pending-calendar',
  'not-publishable',
];

function flagsOf(row: AcceptedRow): number {
  const code = row.publicationCount ? publicationCodes.indexOf(row.publicationCount) : 0;
  return (row.late ? 1 : 0) | (code << 1);
}

export interface CrossChunkDuplicate {
  readonly row: number;
  readonly duplicateOf: number;
  readonly late: boolean;
  /** What the duplicate added to the publication counts, to take back. */
  readonly publicationCount?: PublicationCount;
  readonly chunk: number;
}

/**
 * Business keys accepted in more than one chunk: every occurrence but the first (lowest row) is a
 * duplicate, as in a single pass. Each chunk is already free of duplicates within itself. Memory:
 * about 30 bytes per accepted row of the file, only while the last chunk assembles the report.
 */
export function crossChunkDuplicates(chunks: readonly { chunk: number; keys: Buffer }[]): {
  duplicates: CrossChunkDuplicate[];
  /** Rows that must win (be written last) because a later row of another chunk shared their key. */
  originals: Map<number, Set<number>>;
} {
  const total = chunks.reduce((sum, part) => sum + part.keys.length / ENTRY, 0);
  const digests = new BigUint64Array(total);
  const rows = new Uint32Array(total);
  const late = new Uint8Array(total);
  const chunkOf = new Uint32Array(total);
  let index = 0;
  for (const part of chunks) {
    for (let offset = 0; offset + ENTRY <= part.keys.length; offset += ENTRY) {
      digests[index] = part.keys.readBigUInt64BE(offset);
      rows[index] = part.keys.readUInt32BE(offset + 8);
      late[index] = part.keys.readUInt8(offset + 12);
      chunkOf[index] = part.chunk;
      index += 1;
    }
  }
  const order = new Uint32Array(total);
  for (let i = 0; i < total; i += 1) order[i] = i;
  order.sort((a, b) => {
    const da = digests[a]!;
    const db = digests[b]!;
    return da < db ? -1 : da > db ? 1 : rows[a]! - rows[b]!;
  });
  const duplicates: CrossChunkDuplicate[] = [];
  const originals = new Map<number, Set<number>>();
  for (let i = 1; i < total; i += 1) {
    const current = order[i]!;
    let first = i - 1;
    if (digests[order[first]!] !== digests[current]) continue;
    while (first > 0 && digests[order[first - 1]!] === digests[current]) first -= 1;
    const original = order[first]!;
    duplicates.push({
      row: rows[current]!,
      duplicateOf: rows[original]!,
      late: (late[current]! & 1) === 1,
      ...publicationOfFlags(late[current]!),
      chunk: chunkOf[current]!,
    });
    const chunk = chunkOf[original]!;
    const set = originals.get(chunk) ?? new Set<number>();
    set.add(rows[original]!);
    originals.set(chunk, set);
  }
  duplicates.sort((a, b) => a.row - b.row);
  return { duplicates, originals };
}

function publicationOfFlags(flags: number): { publicationCount?: PublicationCount } {
  const count = publicationCodes[flags >> 1];
  return count ? { publicationCount: count } : {};
}
