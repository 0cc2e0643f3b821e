import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { chunkMessageIn } from '#lib/ingest/chunking/messages';
import { looksLikeJsonLines, looksLikeZip, scanFile } from '#lib/ingest/chunking/scan';
import { jsonlRows } from '#lib/ingest/readers/jsonl';
import type { SourceRow } from '#lib/ingest/readers/types';
import { streamOf } from '#test/support/csv-fixtures';

const text = (buffer: Buffer, from: number, to: number) => buffer.subarray(from, to).toString('utf8');

describe('Function: scanFile — CSV', () => {
  it('cuts only at line ends outside quotes and numbers each chunk’s first row as a spreadsheet does', async () => {
    // Prepare: row 3 has a quoted line break, empty lines do not count as rows
    const file = Buffer.from(
      'A,B\r\n1,x\r\n2,"multi\r\nline, with ""quotes"""\r\n\r\n3,y\r\n4,z\r\n5,w',
      'utf8',
    );
    // Act
    const everyRecord = await scanFile(streamOf(file, 5), 1);
    const scan = await scanFile(streamOf(file, 5), 8);
    // Assess
    expect(scan.format).toBe('csv');
    expect(text(file, 0, scan.headerEnd)).toBe('A,B\r\n');
    expect(everyRecord.chunks.map((chunk) => [text(file, chunk.start, chunk.end), chunk.firstRow])).toEqual([
      ['1,x\r\n', 2],
      ['2,"multi\r\nline, with ""quotes"""\r\n', 3],
      ['\r\n3,y\r\n', 4],
      ['4,z\r\n', 5],
      ['5,w', 6],
    ]);
    // With 8-byte chunks a cut comes at the first record end at least 8 bytes after the last cut.
    expect(scan.chunks.map((chunk) => [text(file, chunk.start, chunk.end), chunk.firstRow])).toEqual([
      ['1,x\r\n2,"multi\r\nline, with ""quotes"""\r\n', 2],
      ['\r\n3,y\r\n4,z\r\n', 4],
      ['5,w', 6],
    ]);
    expect(scan.records).toBe(6);
    expect(scan.size).toBe(file.length);
    expect(scan.chunks.at(-1)!.end).toBe(file.length);
  });

  it('hashes the content with SHA-256 and detects GBK from the bytes, cutting safely inside GBK text', async () => {
    // Prepare
    const file = iconv.encode('名称,代码\n江门市鸿运建材有限公司,1\n"处罚,""决定""书",2\n', 'gbk');
    // Act
    const scan = await scanFile(streamOf(file, 3), 1);
    // Assess
    expect(scan.encoding).toBe('gb18030');
    expect(scan.sha256).toBe(createHash('sha256').update(file).digest('hex'));
    expect(scan.chunks.map((chunk) => iconv.decode(file.subarray(chunk.start, chunk.end), 'gbk'))).toEqual([
      '江门市鸿运建材有限公司,1\n',
      '"处罚,""决定""书",2\n',
    ]);
  });

  it('gives one chunk for a file smaller than a chunk and none for a header-only file', async () => {
    const small = await scanFile(streamOf(Buffer.from('A\n1\n2\n')), 1024);
    expect(small.chunks).toEqual([{ chunk: 0, start: 2, end: 6, firstRow: 2 }]);
    const headerOnly = await scanFile(streamOf(Buffer.from('A,B\n')), 1024);
    expect(headerOnly).toMatchObject({ headerEnd: 4, chunks: [] });
  });

  it('tells XLSX (zip) and JSON Lines apart from CSV by their first bytes', () => {
    expect(looksLikeZip(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14]))).toBe(true);
    expect(looksLikeZip(Buffer.from('A,B\n'))).toBe(false);
    expect(looksLikeJsonLines(Buffer.from('\uFEFF  {"a":1}\n'))).toBe(true);
    expect(looksLikeJsonLines(Buffer.from('a,{b}\n'))).toBe(false);
  });
});

/** The rows jsonlRows reads from a byte range, numbered from the range's first line `firstRow`. */
async function rowsOf(bytes: Buffer, firstRow = 1): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  for await (const row of jsonlRows(streamOf(bytes, 4)).rows)
    rows.push({ ...row, row: row.row + firstRow - 1 });
  return rows;
}

describe('Function: scanFile — JSON Lines', () => {
  // Line 2 has escaped quotes (a CSV scan would think the rest of the file is quoted), line 3 is
  // blank, line 5 is not an object, lines end in CRLF, and the last line has no line feed.
  const lines = [
    '{"名称":"江门\\"鸿运\\"建材","代码":"1"}',
    '{"名称":"a \\"quoted, \\"\\" value","代码":"2"}',
    '',
    '{"名称":"c","代码":"3"}',
    '[1,2]',
    '  ',
    '{"名称":"e","代码":"5"}',
  ];
  const file = Buffer.from(`\uFEFF${lines.join('\r\n')}`, 'utf8');

  it('cuts before non-blank lines only, ignoring quotes, and numbers each chunk’s first row as its physical line', async () => {
    // Act
    const everyLine = await scanFile(streamOf(file, 5), 1);
    const scan = await scanFile(streamOf(file, 3), 60);
    // Assess
    expect(everyLine).toMatchObject({ format: 'jsonl', headerEnd: 0, records: 5, size: file.length });
    expect(everyLine.chunks.map((chunk) => [text(file, chunk.start, chunk.end), chunk.firstRow])).toEqual([
      [`\uFEFF${lines[0]}\r\n`, 1],
      [`${lines[1]}\r\n\r\n`, 2],
      [`${lines[3]}\r\n`, 4],
      [`${lines[4]}\r\n  \r\n`, 5],
      [lines[6], 7],
    ]);
    // A cut comes before the first non-blank line at least 60 bytes after the previous cut.
    expect(scan.chunks.map((chunk) => [chunk.start, chunk.firstRow])).toEqual([
      [0, 1],
      [everyLine.chunks[2]!.start, 4],
    ]);
    expect(scan.chunks.at(-1)!.end).toBe(file.length);
  });

  it('gives the chunks, read on their own, the rows and line numbers of the whole file', async () => {
    // Prepare
    const whole = await rowsOf(file);
    const scan = await scanFile(streamOf(file, 2), 1);
    // Act
    const chunked: SourceRow[] = [];
    for (const chunk of scan.chunks)
      for (const row of await rowsOf(file.subarray(chunk.start, chunk.end), chunk.firstRow))
        chunked.push(row.kind === 'error' ? { ...row, reason: row.reason.replace(/^line \d+/, '') } : row);
    // Assess
    expect(whole.map((row) => [row.row, row.kind])).toEqual([
      [1, 'object'],
      [2, 'object'],
      [4, 'object'],
      [5, 'error'],
      [7, 'object'],
    ]);
    expect(whole[1]).toMatchObject({ values: { 名称: 'a "quoted, "" value' } });
    expect(chunked).toEqual(
      whole.map((row) =>
        row.kind === 'error' ? { ...row, reason: row.reason.replace(/^line \d+/, '') } : row,
      ),
    );
  });

  it('cuts a GBK file with a trailing line feed, every chunk holding a row, and a file of one line in one chunk', async () => {
    // Prepare
    const gbk = iconv.encode('{"名称":"江门市鸿运建材有限公司"}\n\n{"名称":"处罚\\"决定\\"书"}\n\n\n', 'gbk');
    // Act
    const scan = await scanFile(streamOf(gbk, 3), 1);
    const single = await scanFile(streamOf(Buffer.from('{"a":1}')), 1);
    // Assess
    expect(scan).toMatchObject({ format: 'jsonl', encoding: 'gb18030', records: 2 });
    expect(
      scan.chunks.map((chunk) => [iconv.decode(gbk.subarray(chunk.start, chunk.end), 'gbk'), chunk.firstRow]),
    ).toEqual([
      ['{"名称":"江门市鸿运建材有限公司"}\n\n', 1],
      ['{"名称":"处罚\\"决定\\"书"}\n\n\n', 3],
    ]);
    expect(single.chunks).toEqual([{ chunk: 0, start: 0, end: 7, firstRow: 1 }]);
  });

  it('tells the format as a single pass would, refusing to name one for binary content', async () => {
    const zip = await scanFile(streamOf(Buffer.from([0x50, 0x4b, 0x03, 0x04, ...Buffer.alloc(40, 1)])), 1);
    const binary = await scanFile(streamOf(Buffer.from('{"a":1}\n\u0000\u0001\n{"b":2}\n')), 1);
    const csvWithBraces = await scanFile(streamOf(Buffer.from('a,{b}\n1,2\n')), 1);
    expect(zip.format).toBe('xlsx');
    expect(binary.format).toBeNull();
    expect(csvWithBraces).toMatchObject({ format: 'csv', headerEnd: 6 });
  });
});

describe('Function: chunkMessageIn', () => {
  it('reads a chunk message queued before JSON Lines were chunked as CSV, and keeps an explicit format', () => {
    const message = {
      kind: 'ingest-chunk',
      jobId: 'job-1',
      bucket: 'b',
      key: 'incoming/SCJG/admin-penalty/a.jsonl',
      eventTime: '2026-06-01T00:00:00Z',
      size: 100,
      headerEnd: 10,
      encoding: 'utf-8',
      chunk: 0,
      chunkCount: 2,
      start: 10,
      end: 50,
      firstRow: 2,
    };
    expect(chunkMessageIn(JSON.stringify(message))?.format).toBe('csv');
    expect(
      chunkMessageIn(JSON.stringify({ ...message, format: 'jsonl', headerEnd: 0, start: 0, firstRow: 1 })),
    ).toMatchObject({ format: 'jsonl', headerEnd: 0, firstRow: 1 });
    expect(chunkMessageIn(JSON.stringify({ ...message, format: 'xlsx' }))).toBeUndefined();
  });
});
