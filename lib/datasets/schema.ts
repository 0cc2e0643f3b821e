import {
  type CellResult,
  DEFAULT_MAX_LENGTH,
  type FieldSpec,
  fieldLabel,
  parseAmount,
  parseDate,
  parseEnum,
  parseEnumList,
  parseText,
  type RowIssue,
} from './fields';
import type { ListTypeRules } from './list-authority';

/** What a row is validated against besides its own cells. */
export interface RowContext {
  /** The uploading agency, from the registry. */
  readonly agency: { readonly code: string; readonly name: string; readonly uscc?: string | undefined };
  /** Today in Asia/Shanghai, YYYY-MM-DD: decision dates may not be later. */
  readonly today: string;
  readonly allowList?: ReadonlySet<string>;
  /**
   * The list types of the reference data with the agencies entitled to decide entries on each
   * (list authority). Absent or without the code: a list entry on it is rejected.
   */
  readonly listTypes?: ListTypeRules;
  /**
   * The Nth working day after a date on the platform's official calendar (the one due-date
   * resolver: stored whole years over the package's), or null while that year has no calendar.
   * Absent (pure tests, tools): the package calendar alone.
   */
  readonly addWorkingDays?: (from: string, days: number) => string | null;
}

export type ParsedCells = Readonly<Record<string, string | number | string[] | undefined>>;

export type RowOutcome<T> =
  | { ok: true; value: T; flags: readonly string[] }
  | { ok: false; issues: RowIssue[] };

export interface DatasetSchema<T> {
  readonly id: string;
  readonly title: string;
  readonly titleZh: string;
  readonly fields: readonly FieldSpec[];
  /** Conditional and cross-field rules in words, for the generated documentation. */
  readonly rules?: readonly string[];
  /** Cross-field rules and the typed record, given cells that already passed their own checks. */
  buildRow(cells: ParsedCells, context: RowContext): RowOutcome<T>;
  /** The identity of a row: two rows with the same key in one file are duplicates. */
  businessKey(value: T): string;
  /**
   * Rules over the whole file's accepted rows, as report warnings. Only for small datasets (the
   * accepted rows are kept while the file is read), e.g. a calendar year that must be whole.
   */
  fileWarnings?(accepted: readonly T[]): { code: string; reason: string }[];
}

function parseCell(spec: FieldSpec, raw: string): CellResult<string | number | string[]> {
  switch (spec.kind) {
    case 'date':
      return parseDate(raw);
    case 'amount':
      return parseAmount(raw);
    case 'enum':
      return parseEnum(raw, spec.values ?? []);
    case 'enum-list':
      return parseEnumList(raw, spec.values ?? []);
    case 'text':
    case 'code':
      return parseText(raw, spec);
  }
}

/** Checks every cell on its own (required, type, enumeration, length), reporting all issues of the row. */
export function parseCells(
  fields: readonly FieldSpec[],
  row: Readonly<Record<string, string | undefined>>,
): { cells: ParsedCells; issues: RowIssue[] } {
  const cells: Record<string, string | number | string[] | undefined> = {};
  const issues: RowIssue[] = [];
  for (const spec of fields) {
    const raw = row[spec.key] ?? '';
    if (raw.trim() === '') {
      if (spec.required) {
        issues.push({
          field: fieldLabel(spec),
          value: raw,
          code: 'REQUIRED',
          reason: `${spec.nameZh} is required`,
        });
      }
      cells[spec.key] = undefined;
      continue;
    }
    // Bounded before any parsing: a 10,000-character cell is TOO_LONG whatever the field's kind.
    const max = spec.maxLength ?? DEFAULT_MAX_LENGTH;
    if (raw.length > max && [...raw.trim()].length > max) {
      issues.push({
        field: fieldLabel(spec),
        value: raw,
        code: 'TOO_LONG',
        reason: `${[...raw.trim()].length} characters; at most ${max} allowed`,
      });
      continue;
    }
    const result = parseCell(spec, raw);
    if (result.ok) cells[spec.key] = result.value;
    else issues.push({ field: fieldLabel(spec), value: raw, code: result.code, reason: result.reason });
  }
  return { cells, issues };
}

export function validateRow<T>(
  schema: DatasetSchema<T>,
  row: Readonly<Record<string, string | undefined>>,
  context: RowContext,
): RowOutcome<T> {
  const { cells, issues } = parseCells(schema.fields, row);
  if (issues.length > 0) return { ok: false, issues };
  return schema.buildRow(cells, context);
}

/** Typed accessors for cells whose kind the schema guarantees. */
export const cell = {
  text: (cells: ParsedCells, key: string): string | undefined => cells[key] as string | undefined,
  required: (cells: ParsedCells, key: string): string => cells[key] as string,
  amount: (cells: ParsedCells, key: string): number | undefined => cells[key] as number | undefined,
  list: (cells: ParsedCells, key: string): string[] => (cells[key] as string[] | undefined) ?? [],
};

export function specFor(fields: readonly FieldSpec[], key: string): FieldSpec {
  const spec = fields.find((field) => field.key === key);
  if (!spec) throw new Error(`No field ${key} in schema`);
  return spec;
}

export function labelFor(fields: readonly FieldSpec[], key: string): string {
  return fieldLabel(specFor(fields, key));
}
