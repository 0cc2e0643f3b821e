import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileFormatError, openRowSource, type SourceRow } from '#lib/ingest/readers/index';
import { XlsxArchive } from '#lib/ingest/readers/xlsx-archive';
import { streamOf } from '#test/support/csv-fixtures';

/** A cover sheet first, the data second, a third after: exceljs stores xl/workbook.xml last. */
async function threeSheetWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('说明').addRow(['江门市市场监督管理局 2026年11月']);
  const data = workbook.addWorksheet('处罚');
  data.addRow(['名称', '日期']);
  data.addRow(['江门', new Date(Date.UTC(2026, 10, 12))]);
  workbook.addWorksheet('附表').addRow(['不是数据']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The same parts, stored in the order given (zip order is the writer's choice). */
async function repacked(buffer: Buffer, order: (paths: string[]) => string[]): Promise<Buffer> {
  const source = await JSZip.loadAsync(buffer);
  const target = new JSZip();
  const paths = Object.keys(source.files).filter((path) => !source.files[path]!.dir);
  for (const path of order(paths)) target.file(path, await source.file(path)!.async('nodebuffer'));
  return target.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

async function readAll(body: Buffer, sheet?: string): Promise<SourceRow[]> {
  const source = await openRowSource(streamOf(body, 4096), { sheet });
  const rows: SourceRow[] = [];
  for await (const row of source.rows) rows.push(row);
  return rows;
}

describe('Class: XlsxArchive', () => {
  let spoolRoot: string;
  let previousTmpdir: string | undefined;

  beforeEach(async () => {
    // os.tmpdir() follows TMPDIR, so every spooled file of this test lands where it can be counted.
    spoolRoot = await mkdtemp(join(tmpdir(), 'xlsx-archive-test-'));
    previousTmpdir = process.env.TMPDIR;
    process.env.TMPDIR = spoolRoot;
  });

  afterEach(async () => {
    if (previousTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmpdir;
    await rm(spoolRoot, { recursive: true, force: true });
  });

  it('reads a named sheet, and the first tab by default, whatever order the parts are stored in', async () => {
    // Prepare: exceljs's own order (sheets before shared strings, workbook.xml last), and the reverse
    const written = await threeSheetWorkbook();
    const reversed = await repacked(written, (paths) => [...paths].reverse());
    for (const workbook of [written, reversed]) {
      // Act + Assess
      expect(await readAll(workbook, '处罚')).toEqual([
        { kind: 'cells', row: 1, cells: ['名称', '日期'] },
        { kind: 'cells', row: 2, cells: ['江门', '2026-11-12'] },
      ]);
      expect(await readAll(workbook)).toEqual([
        { kind: 'cells', row: 1, cells: ['江门市市场监督管理局 2026年11月'] },
      ]);
    }
  });

  it('reads the first visible tab by default: a hidden sheet of drop-down lists before the data is passed over', async () => {
    // Prepare
    const workbook = new ExcelJS.Workbook();
    const lists = workbook.addWorksheet('代码表');
    lists.addRow(['法人及非法人组织', '自然人']);
    lists.state = 'hidden';
    workbook.addWorksheet('处罚').addRow(['名称']);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    // Act + Assess: by default the data; by name, the hidden sheet too
    expect(await readAll(buffer)).toEqual([{ kind: 'cells', row: 1, cells: ['名称'] }]);
    expect(await readAll(buffer, '代码表')).toEqual([
      { kind: 'cells', row: 1, cells: ['法人及非法人组织', '自然人'] },
    ]);
  });

  it('finds the named sheet on every read of a workbook whose sheet list is stored last', async () => {
    // exceljs's streaming reader lost xl/workbook.xml on some reads and then knew the sheets only as
    // Sheet1..3; reading through the zip's directory cannot.
    const workbook = await threeSheetWorkbook();
    const found: number[] = [];
    for (let read = 0; read < 100; read += 1) found.push((await readAll(workbook, '处罚')).length);
    expect(found).toEqual(Array(100).fill(2));
  });

  it('leaves no spooled file behind: after a whole read, a read stopped at the header, and a corrupt workbook', async () => {
    // Prepare
    const workbook = await threeSheetWorkbook();
    // Act
    await readAll(workbook, '处罚');
    const source = await openRowSource(streamOf(workbook, 4096), { sheet: '处罚' });
    for await (const row of source.rows) {
      expect(row).toMatchObject({ row: 1 });
      break;
    }
    await expect(readAll(workbook.subarray(0, workbook.length - 200))).rejects.toMatchObject({
      code: 'XLSX_UNREADABLE',
    });
    // Assess
    expect(await readdir(spoolRoot)).toEqual([]);
  });

  it('refuses a workbook over the size limit while spooling it, and removes what it wrote', async () => {
    const workbook = await threeSheetWorkbook();
    const refused = XlsxArchive.open(streamOf(workbook, 1024), 2048);
    await expect(refused).rejects.toBeInstanceOf(FileFormatError);
    await expect(refused).rejects.toMatchObject({
      code: 'XLSX_TOO_LARGE',
      reason: expect.stringContaining('2,048 bytes'),
    });
    expect(await readdir(spoolRoot)).toEqual([]);
  });

  it('names the part a workbook lacks', async () => {
    const workbook = await repacked(await threeSheetWorkbook(), (paths) =>
      paths.filter((path) => path !== 'xl/workbook.xml'),
    );
    await expect(readAll(workbook)).rejects.toMatchObject({
      code: 'XLSX_UNREADABLE',
      reason: 'the workbook has no xl/workbook.xml',
    });
  });

  it('lets a broken object stream fail as itself: the file is not at fault', async () => {
    const broken = new Readable({
      read() {
        this.destroy(new Error('socket hang up'));
      },
    });
    const failure = XlsxArchive.open(broken);
    await expect(failure).rejects.toThrow('socket hang up');
    await expect(failure).rejects.not.toBeInstanceOf(FileFormatError);
    expect(await readdir(spoolRoot)).toEqual([]);
  });
});
