import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { looksLikeJsonLines, looksLikeZip, scanCsv } from '../../../lib/ingest/chunking/scan';
import { streamOf } from '../../support/csv-fixtures';

const text = (buffer: Buffer, from: number, to: number) => buffer.subarray(from, to).toString('utf8');

describe('Function: scanCsv', () => {
  it('cuts only at line ends outside quotes and numbers each chunk’s first row as a spreadsheet does', async () => {
    // Prepare: row 3 has a quoted line break, empty lines do not count as rows
    const file = Buffer.from(
      'A,B\r\n1,x\r\n2,"multi\r\nline, with ""quotes"""\r\n\r\n3,y\r\n4,z\r\n5,w',
      'utf8',
    );
    // Act
    const everyRecord = await scanCsv(streamOf(file, 5), 1);
    const scan = await scanCsv(streamOf(file, 5), 8);
    // Assess
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
    const scan = await scanCsv(streamOf(file, 3), 1);
    // Assess
    expect(scan.encoding).toBe('gb18030');
    expect(scan.sha256).toBe(createHash('sha256').update(file).digest('hex'));
    expect(scan.chunks.map((chunk) => iconv.decode(file.subarray(chunk.start, chunk.end), 'gbk'))).toEqual([
      '江门市鸿运建材有限公司,1\n',
      '"处罚,""决定""书",2\n',
    ]);
  });

  it('gives one chunk for a file smaller than a chunk and none for a header-only file', async () => {
    const small = await scanCsv(streamOf(Buffer.from('A\n1\n2\n')), 1024);
    expect(small.chunks).toEqual([{ chunk: 0, start: 2, end: 6, firstRow: 2 }]);
    const headerOnly = await scanCsv(streamOf(Buffer.from('A,B\n')), 1024);
    expect(headerOnly).toMatchObject({ headerEnd: 4, chunks: [] });
  });

  it('tells XLSX (zip) and JSON Lines apart from CSV by their first bytes', () => {
    expect(looksLikeZip(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14]))).toBe(true);
    expect(looksLikeZip(Buffer.from('A,B\n'))).toBe(false);
    expect(looksLikeJsonLines(Buffer.from('\uFEFF  {"a":1}\n'))).toBe(true);
    expect(looksLikeJsonLines(Buffer.from('a,{b}\n'))).toBe(false);
  });
});
