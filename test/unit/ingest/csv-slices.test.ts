import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { csvRows, LineGuard, PARSE_SLICE_CHARACTERS, textSlices } from '#lib/ingest/readers/csv';
import { limits } from '#lib/ingest/readers/types';

describe('Function: textSlices', () => {
  it('cuts after a line feed, never beyond the size, and loses nothing', () => {
    // Prepare
    const text = 'abc\r\n'.repeat(5000);
    // Act
    const slices = [...textSlices(text, 1000)];
    // Assess
    expect(slices.join('')).toBe(text);
    expect(slices.every((slice) => slice.length <= 1000 && slice.endsWith('\n'))).toBe(true);
  });

  it('cuts a line longer than the size without splitting a surrogate pair', () => {
    // Prepare: 𠀀 is a surrogate pair; the cut at 5 would fall inside one
    const text = 'a𠀀𠀀𠀀𠀀';
    // Act
    const slices = [...textSlices(text, 4)];
    // Assess
    expect(slices.join('')).toBe(text);
    for (const slice of slices) expect(slice).toBe(Buffer.from(slice, 'utf8').toString('utf8'));
  });
});

describe('Class: LineGuard — what the CSV parser is handed', () => {
  it('passes one large chunk of short bad lines on in slices, so the parser never turns it into records at once', async () => {
    // Prepare: 0.3 MB in one chunk, 100,000 lines of `x`
    const text = `a,b,c\r\n${'x\r\n'.repeat(100_000)}`;
    const guard = new LineGuard(limits.maxRecordCharacters);
    const pieces: string[] = [];
    guard.on('data', (piece: string) => pieces.push(piece));
    // Act
    guard.end(Buffer.from(text, 'utf8'));
    await new Promise((resolve) => guard.on('end', resolve));
    // Assess
    expect(pieces.join('')).toBe(text);
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThanOrEqual(PARSE_SLICE_CHARACTERS);
  });
});

describe('Function: csvRows — one large chunk of short bad lines', () => {
  it('reads every record', async () => {
    // Act
    const source = csvRows(Readable.from([Buffer.from(`a,b,c\r\n${'x\r\n'.repeat(100_000)}`, 'utf8')]));
    let rows = 0;
    for await (const _row of source.rows) rows += 1;
    // Assess
    expect(rows).toBe(100_001);
  });
});
