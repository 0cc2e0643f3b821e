import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { FileFormatError, limits, type RowSource, type SourceRow } from './types';

/**
 * The sheet of a workbook to read, named in the file name: `<name>@<sheet>.xlsx` reads the sheet
 * called <sheet>; any other name reads the first sheet. (`许可-2026-11@许可决定.xlsx` → `许可决定`.)
 */
export function sheetFromFileName(fileName: string): string | undefined {
  const base = fileName.split('/').pop() ?? fileName;
  const match = /@([^@/]+)\.xlsx$/i.exec(base);
  return match ? match[1]!.trim() || undefined : undefined;
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A cell as the text an agency would see: dates as YYYY-MM-DD, formulas by their cached result. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : isoDate(value);
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) {
      return (v.richText as { text?: string }[]).map((part) => part.text ?? '').join('');
    }
    if ('formula' in v || 'sharedFormula' in v) {
      if (v.result !== undefined) return cellText(v.result);
      return `=${String(v.formula ?? v.sharedFormula ?? '')}`;
    }
    if (typeof v.text === 'string') return v.text;
    if (typeof v.error === 'string') return v.error;
  }
  return String(value);
}

/**
 * XLSX through exceljs's streaming reader (rows are not kept; shared strings are, as the format
 * requires). Reads the first worksheet, or the one named by `sheet`; the first non-empty row is the
 * header. Row numbers are the sheet's own row numbers.
 */
export function xlsxRows(body: Readable, options: { sheet?: string | undefined } = {}): RowSource {
  async function* rows(): AsyncGenerator<SourceRow> {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(body, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      // Styles tell a date from a number.
      styles: 'cache',
      entries: 'ignore',
    });
    // exceljs names a sheet from xl/workbook.xml; writers that put that entry last (exceljs itself)
    // can reach a worksheet before it, and the reader then fails on the missing model. Without the
    // model the sheet keeps its positional name (Sheet<n>) instead of crashing.
    const internals = reader as unknown as {
      model?: { sheets?: unknown[] };
      _parseWorksheet: (iterator: unknown, sheetNo: string) => Generator<unknown>;
    };
    const parseWorksheet = internals._parseWorksheet.bind(reader);
    internals._parseWorksheet = function* (iterator, sheetNo) {
      internals.model ??= { sheets: [] };
      yield* parseWorksheet(iterator, sheetNo);
    };
    const seen: string[] = [];
    let found = false;
    try {
      for await (const worksheet of reader) {
        const name = (worksheet as unknown as { name: string }).name;
        seen.push(name);
        // Not the sheet asked for: the reader drains its zip entry.
        if (options.sheet !== undefined && name !== options.sheet) continue;
        found = true;
        for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
          const values = row.values as unknown[];
          if (values.length - 1 > limits.maxColumns) {
            yield {
              kind: 'error',
              row: row.number,
              code: 'TOO_MANY_COLUMNS',
              reason: `row ${row.number} has ${values.length - 1} columns; at most ${limits.maxColumns} allowed`,
            };
            continue;
          }
          const cells: string[] = [];
          for (let index = 1; index < values.length; index += 1) cells.push(cellText(values[index]));
          if (cells.every((cell) => cell.trim() === '')) continue;
          yield { kind: 'cells', row: row.number, cells };
        }
        break;
      }
    } catch (error) {
      if (error instanceof FileFormatError) throw error;
      throw new FileFormatError(
        'XLSX_UNREADABLE',
        `the workbook could not be read (corrupt or truncated XLSX): ${(error as Error).message}`,
      );
    } finally {
      body.destroy();
    }
    if (!found) {
      throw new FileFormatError(
        options.sheet === undefined ? 'XLSX_NO_SHEET' : 'SHEET_NOT_FOUND',
        options.sheet === undefined
          ? 'the workbook has no worksheet'
          : `the workbook has no sheet named "${options.sheet}" (sheets: ${seen.join(', ') || 'none'})`,
      );
    }
  }
  return { format: 'xlsx', encoding: () => null, rows: rows() };
}
