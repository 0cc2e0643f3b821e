import { validateResidentId, validateUscc } from '../identifiers';
import { type FieldSpec, OPEN_END_DATE, type RowIssue } from './fields';
import { cell, type ParsedCells, type RowContext } from './schema';

/** Rules shared by the 双公示 datasets (行政处罚, 行政许可). */

export const field = (
  key: string,
  code: string | undefined,
  nameZh: string,
  alias: string,
  kind: FieldSpec['kind'],
  required: boolean,
  description: string,
  extra: Partial<FieldSpec> = {},
): FieldSpec => ({ key, ...(code ? { code } : {}), nameZh, alias, kind, required, description, ...extra });

/** The issuing body's USCC must itself be a valid code (allow-listed exceptions flagged). */
export function checkBodyCode(
  label: string,
  raw: string,
  context: RowContext,
): { ok: true; value: string; flags: string[] } | { ok: false; issue: RowIssue } {
  const result = validateUscc(raw, context.allowList ? { allowList: context.allowList } : {});
  if (!result.ok) {
    return {
      ok: false,
      issue: { field: label, value: raw, code: `USCC_${result.code}`, reason: result.message },
    };
  }
  return {
    ok: true,
    value: result.value,
    flags: [
      ...(result.allowListed ? ['ISSUER_USCC_ALLOW_LISTED'] : []),
      ...result.warnings.map((warning) => `ISSUER_USCC_${warning.code}`),
    ],
  };
}

/** 数据来源单位 must be the agency that uploaded the file. */
export function checkSource(
  label: string,
  raw: string,
  context: RowContext,
): { value: string; issue?: RowIssue } {
  const value = raw.replace(/\s+/g, '').toUpperCase();
  if (context.agency.uscc && value !== context.agency.uscc) {
    return {
      value,
      issue: {
        field: label,
        value: raw,
        code: 'SOURCE_MISMATCH',
        reason: `数据来源单位 ${value} is not the uploading agency ${context.agency.code} (${context.agency.uscc})`,
      },
    };
  }
  return { value };
}

/** A legal representative's resident ID (when the type is 身份证 or not given) is validated. */
function checkLegalRepresentativeId(
  label: string,
  idType: string | undefined,
  idNumber: string | undefined,
  context: RowContext,
): { value: string | undefined; issue?: RowIssue } {
  if (idNumber === undefined || (idType !== undefined && !/身份证/.test(idType))) return { value: idNumber };
  const id = validateResidentId(idNumber, { today: context.today });
  if (id.ok) return { value: id.value };
  return {
    value: idNumber,
    issue: { field: label, value: idNumber, code: `ID_${id.code}`, reason: id.message },
  };
}

/**
 * The row's 法定代表人证件号码, checked by its 证件类型 (a template without that column means a resident ID).
 * `label` is the dataset's column-label function, so a reason names the column the agency filled in.
 */
export function legalRepresentativeIdOf(
  cells: ParsedCells,
  context: RowContext,
  label: (key: string) => string,
): { value: string | undefined; issue?: RowIssue } {
  return checkLegalRepresentativeId(
    label('legalRepresentativeIdNumber'),
    cell.text(cells, 'legalRepresentativeIdType'),
    cell.text(cells, 'legalRepresentativeIdNumber'),
    context,
  );
}

export function checkNotFuture(
  label: string,
  nameZh: string,
  date: string,
  context: RowContext,
): RowIssue | undefined {
  if (date <= context.today) return undefined;
  return {
    field: label,
    value: date,
    code: 'DATE_IN_FUTURE',
    reason: `${nameZh} ${date} is after today (${context.today})`,
  };
}

export function checkOrder(
  label: string,
  laterName: string,
  later: string | undefined,
  earlierName: string,
  earlier: string,
): RowIssue | undefined {
  if (later === undefined || later >= earlier) return undefined;
  return {
    field: label,
    value: later,
    code: 'DATE_ORDER',
    reason: `${laterName} ${later} is before ${earlierName} ${earlier}`,
  };
}

/** The issues of a row's checks in the order they ran, without the checks that passed. */
export function issuesOf(...checks: readonly (RowIssue | undefined)[]): RowIssue[] {
  return checks.filter((issue): issue is RowIssue => issue !== undefined);
}

/** Optional fields of a record, leaving out those the row did not give (no `undefined` keys). */
export function given<T extends Record<string, unknown>>(
  fields: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** 2099/12/31 in a period's end means no end. */
export function openEndAsNull(date: string): string | null {
  return date === OPEN_END_DATE ? null : date;
}

export interface LegalRepresentative {
  readonly name: string;
  readonly idType?: string;
  readonly idNumber?: string;
}

/** The record's 法定代表人 part, when the row names one. */
export function legalRepresentativeOf(
  name: string | undefined,
  idType: string | undefined,
  idNumber: string | undefined,
): { legalRepresentative?: LegalRepresentative } {
  if (!name) return {};
  return {
    legalRepresentative: { name, ...(idType ? { idType } : {}), ...(idNumber ? { idNumber } : {}) },
  };
}
