import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { detectFormat, openRowSource, type SourceRow, sheetFromFileName } from '#lib/ingest/readers/index';
import { cellText } from '#lib/ingest/readers/xlsx';
import { csv, jsonLines, streamOf, xlsxBuffer } from '#test/support/csv-fixtures';

async function rowsOf(body: string | Buffer, sheet?: string) {
  const source = await openRowSource(streamOf(body, 256), { sheet });
  const rows: SourceRow[] = [];
  for await (const row of source.rows) rows.push(row);
  return { format: source.format, encoding: source.encoding(), rows, bytes: source.bytes() };
}

describe('Function: detectFormat', () => {
  it('decides from the bytes, not the name', () => {
    expect(detectFormat(Buffer.from('a,b\n1,2\n'))).toEqual({ ok: true, format: 'csv' });
    expect(detectFormat(Buffer.from('\uFEFF  \n{"a":1}\n'))).toEqual({ ok: true, format: 'jsonl' });
    expect(detectFormat(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(40, 1)]))).toEqual({
      ok: true,
      format: 'xlsx',
    });
  });

  it.each([
    ['empty', Buffer.alloc(0), 'EMPTY_FILE'],
    [
      'UTF-16LE with BOM',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b', 'utf16le')]),
      'UNSUPPORTED_ENCODING',
    ],
    ['UTF-16LE without BOM', Buffer.from('名称,代码\n', 'utf16le'), 'UNSUPPORTED_ENCODING'],
    [
      'legacy .xls',
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
      'UNSUPPORTED_FORMAT',
    ],
    ['PNG', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), 'BINARY_CONTENT'],
    ['empty zip', Buffer.from([0x50, 0x4b, 0x05, 0x06, 0, 0]), 'XLSX_UNREADABLE'],
  ])('refuses %s with a reason', (_name, bytes, code) => {
    const detection = detectFormat(bytes);
    expect(detection).toMatchObject({ ok: false, code });
    expect((detection as { reason: string }).reason.length).toBeGreaterThan(20);
  });
});

describe('Function: openRowSource (CSV)', () => {
  it('numbers records as a spreadsheet does and reports an unreadable record in place', async () => {
    const text = `a,b\n1,2\n${'x'.repeat(300 * 1024)}\n3,4\n"5,6\n`;
    const { rows, format } = await rowsOf(text);
    expect(format).toBe('csv');
    expect(rows.map((row) => [row.kind, row.row])).toEqual([
      ['cells', 1],
      ['cells', 2],
      ['error', 3],
      ['cells', 4],
      ['error', 5],
    ]);
    expect(rows[2]).toMatchObject({ code: 'RECORD_TOO_LONG' });
  });

  it('reads GB18030 and refuses bytes that are neither UTF-8 nor GB18030', async () => {
    const gbk = await rowsOf(iconv.encode(csv([['名称'], ['江门']]), 'gbk'));
    expect(gbk.encoding).toBe('gb18030');
    expect(gbk.rows[1]).toMatchObject({ cells: ['江门'] });
    await expect(rowsOf(Buffer.from([0x61, 0x2c, 0xff, 0xff, 0xff, 0x0a]))).rejects.toMatchObject({
      code: 'UNDECODABLE',
    });
  });
});

describe('Function: openRowSource (JSON Lines)', () => {
  it('yields one keyed object per line, numbers as text, null as empty', async () => {
    const { rows, format } = await rowsOf('{"名称":"江门","金额":1.5,"备注":null}\n\n{"名称":"蓬江"}\n');
    expect(format).toBe('jsonl');
    expect(rows).toEqual([
      { kind: 'object', row: 1, values: { 名称: '江门', 金额: '1.5', 备注: '' } },
      { kind: 'object', row: 3, values: { 名称: '蓬江' } },
    ]);
  });

  it('reports bad lines in place and goes on', async () => {
    const huge = `{"a":"${'x'.repeat(300 * 1024)}"}`;
    const { rows } = await rowsOf(`{"a":"1"}\n{"a":\n[1]\n{"a":{"b":1}}\n${huge}\n{"a":"2"}\n`);
    expect(rows.map((row) => (row.kind === 'error' ? row.code : row.kind))).toEqual([
      'object',
      'JSON_SYNTAX',
      'JSON_NOT_OBJECT',
      'JSON_VALUE',
      'RECORD_TOO_LONG',
      'object',
    ]);
    expect(rows[5]).toMatchObject({ row: 6, values: { a: '2' } });
  });

  it('reads GB18030 JSON Lines', async () => {
    const { rows, encoding } = await rowsOf(iconv.encode(jsonLines([['名称'], ['江门市']]), 'gb18030'));
    expect(encoding).toBe('gb18030');
    expect(rows[0]).toMatchObject({ values: { 名称: '江门市' } });
  });
});

describe('Function: openRowSource (XLSX)', () => {
  it('reads the first sheet, header first, with sheet row numbers', async () => {
    const buffer = await xlsxBuffer([
      ['名称', '日期'],
      ['江门', '2026/11/12'],
      ['', ''],
      ['蓬江', '2026-11-13'],
    ]);
    const { rows, format } = await rowsOf(buffer);
    expect(format).toBe('xlsx');
    expect(rows).toEqual([
      { kind: 'cells', row: 1, cells: ['名称', '日期'] },
      { kind: 'cells', row: 2, cells: ['江门', '2026/11/12'] },
      { kind: 'cells', row: 4, cells: ['蓬江', '2026-11-13'] },
    ]);
  });

  it('reads a named sheet and reports a missing one with the sheets it has', async () => {
    const buffer = await xlsxBuffer([['名称'], ['江门']], { sheet: '许可', before: ['说明'] });
    expect((await rowsOf(buffer, '许可')).rows[1]).toMatchObject({ cells: ['江门'] });
    expect((await rowsOf(buffer)).rows).toEqual([{ kind: 'cells', row: 1, cells: ['不是数据'] }]);
    await expect(rowsOf(buffer, '处罚')).rejects.toMatchObject({ code: 'SHEET_NOT_FOUND' });
  });

  it('reports a truncated workbook', async () => {
    const buffer = await xlsxBuffer([['名称'], ['江门']]);
    await expect(rowsOf(buffer.subarray(0, Math.floor(buffer.length / 2)))).rejects.toMatchObject({
      code: 'XLSX_UNREADABLE',
    });
  });

  it('turns dates, formulas, rich text and numbers into text', () => {
    expect(cellText(new Date(Date.UTC(2026, 10, 12)))).toBe('2026-11-12');
    expect(cellText({ formula: 'A1*2', result: 4 })).toBe('4');
    expect(cellText({ formula: 'cmd|x' })).toBe('=cmd|x');
    expect(cellText({ richText: [{ text: '江' }, { text: '门' }] })).toBe('江门');
    expect(cellText(8.5)).toBe('8.5');
    expect(cellText(null)).toBe('');
  });

  it('names a sheet by the file-name convention', () => {
    expect(sheetFromFileName('incoming/SCJG/admin-license/许可-2026-11@许可决定.xlsx')).toBe('许可决定');
    expect(sheetFromFileName('许可-2026-11.xlsx')).toBeUndefined();
  });
});

describe('Class: LineGuard', () => {
  it('replaces an over-long line whether it streams in pieces or arrives in one chunk', async () => {
    const { Readable } = await import('node:stream');
    const { LineGuard, OVERSIZED } = await import('#lib/ingest/readers/csv');
    const text = `a,b\r\n${'x'.repeat(2000)}\r\nc,d\r\n`;
    for (const chunks of [[text], text.match(/[\s\S]{1,100}/g)!]) {
      const guard = new LineGuard(1000);
      let out = '';
      for await (const piece of Readable.from(chunks).pipe(guard)) out += piece;
      expect(out.split('\r\n').map((line) => (line === OVERSIZED ? 'RECORD_TOO_LONG' : line))).toEqual([
        'a,b',
        'RECORD_TOO_LONG',
        'c,d',
        '',
      ]);
    }
  });
});
