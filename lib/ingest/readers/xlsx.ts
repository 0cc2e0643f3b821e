import type { Readable } from 'node:stream';
import { FileFormatError, limits, type RowSource, type SourceRow } from './types';
import { type SheetEntry, unreadableWorkbook, XlsxArchive } from './xlsx-archive';

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
  if (typeof value === 'object') return objectCellText(value as Record<string, unknown>) ?? String(value);
  return String(value);
}

/** Rich text, a formula, a hyperlink or an error value; undefined for any other object. */
function objectCellText(cell: Record<string, unknown>): string | undefined {
  if (Array.isArray(cell.richText)) {
    return (cell.richText as { text?: string }[]).map((part) => part.text ?? '').join('');
  }
  if ('formula' in cell || 'sharedFormula' in cell) {
    if (cell.result !== undefined) return cellText(cell.result);
    return `=${String(cell.formula ?? cell.sharedFormula ?? '')}`;
  }
  if (typeof cell.text === 'string') return cell.text;
  if (typeof cell.error === 'string') return cell.error;
  return undefined;
}

/**
 * XLSX through its zip directory (`XlsxArchive`): rows are streamed from the sheet's entry and not
 * kept; shared strings are, as the format requires. Reads the first visible sheet in tab order (a
 * template may hide its drop-down lists in a sheet before the data), or the one named by `sheet`; the first non-empty row is the header. Row numbers are the sheet's own.
 */
export function xlsxRows(body: Readable, options: { sheet?: string | undefined } = {}): RowSource {
  async function* rows(): AsyncGenerator<SourceRow> {
    // Spooling failures (the object's stream broke) are not the file's fault and stay as they are.
    const archive = await XlsxArchive.open(body);
    try {
      yield* sheetRows(archive, chosenSheet(archive.sheets(), options.sheet));
    } finally {
      await archive.close();
    }
  }
  return { format: 'xlsx', encoding: () => null, rows: rows() };
}

function chosenSheet(sheets: SheetEntry[], wanted: string | undefined): SheetEntry {
  const sheet =
    wanted === undefined
      ? (sheets.find((candidate) => candidate.visible) ?? sheets[0])
      : sheets.find((candidate) => candidate.name === wanted);
  if (sheet !== undefined) return sheet;
  if (wanted === undefined) throw new FileFormatError('XLSX_NO_SHEET', 'the workbook has no worksheet');
  const names = sheets.map((candidate) => candidate.name).join(', ') || 'none';
  throw new FileFormatError(
    'SHEET_NOT_FOUND',
    `the workbook has no sheet named "${wanted}" (sheets: ${names})`,
  );
}

async function* sheetRows(archive: XlsxArchive, sheet: SheetEntry): AsyncGenerator<SourceRow> {
  try {
    for await (const row of archive.rows(sheet)) {
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
  } catch (error) {
    throw unreadableWorkbook(error);
  }
}
