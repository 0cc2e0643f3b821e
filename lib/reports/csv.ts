/**
 * CSV the platform writes back to people. UTF-8 with a BOM so that Excel opens it, and cells that
 * a spreadsheet would run as a formula (=, +, -, @, tab, CR) prefixed with an apostrophe.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

function quote(value: string): string {
  const safe = neutraliseCell(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | null | undefined)[])[],
): string {
  const lines = [header, ...rows].map((row) =>
    row.map((cell) => quote(cell === null || cell === undefined ? '' : String(cell))).join(','),
  );
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
