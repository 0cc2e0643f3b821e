/**
 * Field specifications and the cell parsers that turn a received string into a typed value or a
 * precise, machine-readable reason. Dataset schemas are lists of these specs; the same specs drive
 * header mapping, validation, the result report and the generated documentation.
 */

export type FieldKind = 'text' | 'date' | 'amount' | 'enum' | 'enum-list' | 'code';

export interface FieldSpec {
  /** Internal key of the parsed row (camelCase). */
  readonly key: string;
  /** National field code (e.g. CF_XDR_MC) where the national standard defines one. */
  readonly code?: string;
  /** The Chinese column name agencies use. */
  readonly nameZh: string;
  /** English header alias, snake_case. */
  readonly alias: string;
  readonly kind: FieldKind;
  /** Required on every row; conditional requirements live in the dataset's row rules. */
  readonly required: boolean;
  readonly values?: readonly string[];
  readonly maxLength?: number;
  readonly description: string;
}

export interface RowIssue {
  /** The field's header as the standard names it (code, else Chinese name). */
  readonly field: string;
  readonly value: string;
  readonly code: string;
  readonly reason: string;
}

export const OPEN_END_DATE = '2099-12-31';
export const DEFAULT_MAX_LENGTH = 2000;

export function fieldLabel(spec: FieldSpec): string {
  return spec.code ?? spec.nameZh;
}

export type CellResult<T> = { ok: true; value: T } | { ok: false; code: string; reason: string };

/** Accepts YYYY/MM/DD and YYYY-MM-DD (single-digit month/day too) and checks the date is real. */
export function parseDate(raw: string): CellResult<string> {
  const match = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(raw.trim());
  if (!match) {
    return {
      ok: false,
      code: 'DATE_FORMAT',
      reason: `"${raw}" is not a date in YYYY/MM/DD or YYYY-MM-DD form`,
    };
  }
  const [, y, m, d] = match as unknown as [string, string, string, string];
  const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso) {
    return { ok: false, code: 'DATE_INVALID', reason: `${iso} is not a real calendar date` };
  }
  return { ok: true, value: iso };
}

/** Amounts are in 万元 (ten-thousand yuan), decimals allowed, never negative. */
export function parseAmount(raw: string): CellResult<number> {
  const text = raw.trim().replace(/,/g, '');
  if (!/^\d+(\.\d{1,6})?$/.test(text)) {
    return {
      ok: false,
      code: 'AMOUNT_FORMAT',
      reason: `"${raw}" is not a non-negative decimal amount in 万元 (at most 6 decimal places)`,
    };
  }
  return { ok: true, value: Number(text) };
}

export function parseEnum(raw: string, values: readonly string[]): CellResult<string> {
  const text = raw.trim();
  if (values.includes(text)) return { ok: true, value: text };
  return { ok: false, code: 'ENUM', reason: `"${text}" is not one of: ${values.join(' / ')}` };
}

/** Multi-valued cells are separated by ';' (full-width '；' too; '、' is part of some values). */
export function splitMultiValue(raw: string): string[] {
  return raw
    .split(/[;；]/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

export function parseEnumList(raw: string, values: readonly string[]): CellResult<string[]> {
  const parts = splitMultiValue(raw);
  const unknown = parts.filter((part) => !values.includes(part));
  if (parts.length === 0) return { ok: false, code: 'REQUIRED', reason: 'no value given' };
  if (unknown.length > 0) {
    return {
      ok: false,
      code: 'ENUM',
      reason: `${unknown.map((u) => `"${u}"`).join(', ')} not among the allowed values (${values.join(' / ')})`,
    };
  }
  return { ok: true, value: parts };
}

export function parseText(raw: string, spec: FieldSpec): CellResult<string> {
  const text = raw.trim();
  const max = spec.maxLength ?? DEFAULT_MAX_LENGTH;
  if ([...text].length > max) {
    return { ok: false, code: 'TOO_LONG', reason: `${[...text].length} characters; at most ${max} allowed` };
  }
  return { ok: true, value: text };
}
