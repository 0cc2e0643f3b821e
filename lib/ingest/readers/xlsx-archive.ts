import { createWriteStream, readdirSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import unzipper from 'unzipper';
import { FileFormatError, limits } from './types';

/** A sheet as xl/workbook.xml lists it, in the order the workbook shows its tabs. */
export interface SheetEntry {
  readonly name: string;
  /** False for a sheet the workbook hides (often a template's lists for drop-downs). */
  readonly visible: boolean;
  /** The zip entry holding the sheet's XML, e.g. `xl/worksheets/sheet2.xml`. */
  readonly partPath: string;
}

/**
 * exceljs's streaming reader parses each part of a workbook with these methods. Its own `parse()`
 * walks the zip in stored order, which loses or reorders parts: writers that store xl/workbook.xml
 * last (exceljs itself) intermittently reach the sheets without it, and sheets stored before the
 * shared strings go through temporary files whose clean-up races the next read. Feeding the parts
 * in dependency order from the zip's central directory avoids both.
 */
interface ExcelJsPartParsers {
  model?: { sheets?: { name: string; rId: string; state?: string }[] };
  workbookRels?: { Id: string; Target: string }[];
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(entry: Readable, sheetNo: string): Generator<{ value: unknown }>;
}

const parts = {
  relationships: 'xl/_rels/workbook.xml.rels',
  workbook: 'xl/workbook.xml',
  sharedStrings: 'xl/sharedStrings.xml',
  styles: 'xl/styles.xml',
} as const;

const SPOOL_PREFIX = 'xlsx-';

/**
 * Removes every spool directory under `root` and returns how many there were. Only for a process
 * that knows no read is under way and no other process reads there (a Lambda sandbox at start-up,
 * after an invocation was stopped mid-read): synchronous, so that no read can begin meanwhile.
 */
export function removeAbandonedSpools(root: string = tmpdir()): number {
  const spools = readdirSync(root).filter((name) => name.startsWith(SPOOL_PREFIX));
  for (const name of spools) rmSync(join(root, name), { recursive: true, force: true });
  return spools.length;
}

/** An XLSX workbook spooled to local disk and opened through its zip directory. */
export class XlsxArchive {
  private constructor(
    private readonly spoolDirectory: string,
    private readonly entries: ReadonlyMap<string, unzipper.File>,
    private readonly parsers: ExcelJsPartParsers,
    private readonly openStreams: Readable[] = [],
  ) {}

  /**
   * Spools `body` to a fresh directory under the temporary directory (a zip's directory is at its
   * end, so a stream cannot be read through it) and reads the workbook's relationships, sheet list,
   * shared strings and styles. Call `close()` when done, also after a failure while reading rows.
   */
  static async open(body: Readable, maximumBytes: number = limits.maxWorkbookBytes): Promise<XlsxArchive> {
    const spoolDirectory = await mkdtemp(join(tmpdir(), SPOOL_PREFIX));
    try {
      const file = join(spoolDirectory, 'workbook.xlsx');
      await pipeline(body, byteLimit(maximumBytes), createWriteStream(file));
      const directory = await readDirectory(file);
      const entries = new Map(directory.files.map((entry) => [entry.path, entry]));
      const parsers = new ExcelJS.stream.xlsx.WorkbookReader(file, {
        worksheets: 'emit',
        sharedStrings: 'cache',
        hyperlinks: 'ignore',
        // Styles tell a date from a number.
        styles: 'cache',
        entries: 'ignore',
      }) as unknown as ExcelJsPartParsers;
      const archive = new XlsxArchive(spoolDirectory, entries, parsers);
      await archive.readWorkbookParts().catch(async (error: unknown) => {
        await archive.close();
        throw unreadableWorkbook(error);
      });
      return archive;
    } catch (error) {
      body.destroy();
      await rm(spoolDirectory, { recursive: true, force: true });
      throw error;
    }
  }

  /** The workbook's sheets in tab order. */
  sheets(): SheetEntry[] {
    const targets = new Map((this.parsers.workbookRels ?? []).map((rel) => [rel.Id, rel.Target]));
    return (this.parsers.model?.sheets ?? []).flatMap((sheet) => {
      const target = targets.get(sheet.rId);
      if (target === undefined) return [];
      return [
        { name: sheet.name, visible: (sheet.state ?? 'visible') === 'visible', partPath: partPathOf(target) },
      ];
    });
  }

  /** The rows of one sheet, streamed from its zip entry (not kept). */
  async *rows(sheet: SheetEntry): AsyncGenerator<ExcelJS.Row> {
    const entry = this.entries.get(sheet.partPath);
    if (entry === undefined) {
      throw new FileFormatError(
        'XLSX_UNREADABLE',
        `the workbook lists sheet "${sheet.name}" but has no ${sheet.partPath}`,
      );
    }
    const sheetNo = /(\d+)\.xml$/.exec(sheet.partPath)?.[1] ?? '1';
    const [emitted] = [...this.parsers._parseWorksheet(this.stream(entry), sheetNo)];
    yield* emitted!.value as AsyncIterable<ExcelJS.Row>;
  }

  /** Closes the entry streams and removes the spooled file. */
  async close(): Promise<void> {
    for (const stream of this.openStreams) stream.destroy();
    await rm(this.spoolDirectory, { recursive: true, force: true });
  }

  private async readWorkbookParts(): Promise<void> {
    await this.parsers._parseRels(this.stream(this.required(parts.relationships)));
    await this.parsers._parseWorkbook(this.stream(this.required(parts.workbook)));
    const sharedStrings = this.entries.get(parts.sharedStrings);
    // A workbook of numbers only may have no shared strings.
    if (sharedStrings === undefined) (this.parsers as { sharedStrings?: unknown[] }).sharedStrings = [];
    else for await (const _ of this.parsers._parseSharedStrings(this.stream(sharedStrings)));
    const styles = this.entries.get(parts.styles);
    if (styles !== undefined) await this.parsers._parseStyles(this.stream(styles));
  }

  private required(path: string): unzipper.File {
    const entry = this.entries.get(path);
    if (entry === undefined) throw new FileFormatError('XLSX_UNREADABLE', `the workbook has no ${path}`);
    return entry;
  }

  private stream(entry: unzipper.File): Readable {
    const stream = entry.stream() as Readable;
    this.openStreams.push(stream);
    return stream;
  }
}

async function readDirectory(file: string): Promise<unzipper.CentralDirectory> {
  try {
    return await unzipper.Open.file(file);
  } catch (error) {
    throw unreadableWorkbook(error);
  }
}

/** A parse failure as the file's fault; a `FileFormatError` is kept as it is. */
export function unreadableWorkbook(error: unknown): FileFormatError {
  if (error instanceof FileFormatError) return error;
  return new FileFormatError(
    'XLSX_UNREADABLE',
    `the workbook could not be read (corrupt or truncated XLSX): ${(error as Error).message}`,
  );
}

/** A relationship target is relative to xl/ unless it starts with a slash. */
function partPathOf(target: string): string {
  return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
}

/** Fails the spooling once the workbook exceeds `maximum` bytes, before the disk fills. */
function byteLimit(maximum: number): Transform {
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > maximum) {
        callback(
          new FileFormatError(
            'XLSX_TOO_LARGE',
            `the workbook is larger than ${maximum.toLocaleString('en')} bytes; split it, or send CSV or JSON Lines, which have no size limit`,
          ),
        );
        return;
      }
      callback(null, chunk);
    },
  });
}
