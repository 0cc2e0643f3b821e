import { toCsv } from '#lib/reports/csv';
import type { IngestionOutcome } from '../report';

/** Columns of the rejected-rows CSV: one line per problem, so a row with two problems has two lines. */
export const REJECTED_CSV_HEADER = [
  '行号 row',
  '字段 field',
  '收到的值 value',
  '代码 code',
  '原因 reason',
] as const;

type RejectedRows = IngestionOutcome['rejectedRows'];

function lines(rejected: RejectedRows): (string | number)[][] {
  return rejected.flatMap((entry) =>
    entry.issues.map((issue) => [entry.row, issue.field, issue.value, issue.code, issue.reason]),
  );
}

/** The whole file: UTF-8 BOM, header, rows (cells neutralised against formula injection). */
export function rejectedRowsCsv(rejected: RejectedRows): string {
  return toCsv(REJECTED_CSV_HEADER, lines(rejected));
}

/** BOM and header only: the start of a CSV assembled from fragments. */
export function rejectedCsvHead(): string {
  return toCsv(REJECTED_CSV_HEADER, []);
}

/** Rows only (no BOM, no header), to be appended after rejectedCsvHead(). */
export function rejectedCsvFragment(rejected: RejectedRows): string {
  if (rejected.length === 0) return '';
  const whole = toCsv(REJECTED_CSV_HEADER, lines(rejected));
  return whole.slice(whole.indexOf('\r\n') + 2);
}
