import iconv from 'iconv-lite';
import { computeOrganisationCheckCharacter, computeUsccCheckCharacter } from '#lib/identifiers/index';
import { codes, penaltyHeader, penaltyRow } from '#test/support/csv-fixtures';

/** A valid USCC (embedded organisation code included) for company number n. */
export function companyUscc(n: number): string {
  const body8 = String(10_000_000 + (n % 89_999_999)).slice(-8);
  const first17 = `91440703${body8}${computeOrganisationCheckCharacter(body8)}`;
  return `${first17}${computeUsccCheckCharacter(first17)}`;
}

export interface PenaltyFileOptions {
  readonly rows: number;
  /** Every n-th row is invalid (default 20: 5 %). */
  readonly invalidEvery?: number;
  /** Distinct subjects the rows are spread over (default min(rows, 50 000)). */
  readonly subjects?: number;
  /** Prefix of the document numbers, so that two files do not share business keys. */
  readonly documentPrefix?: string;
}

export interface PenaltyFileShape {
  readonly rows: number;
  readonly invalid: number;
  readonly valid: number;
}

/** Which rows are invalid and why: three kinds in turn, each with a precise expected reason. */
function invalidOverrides(kind: number): Record<string, string> {
  switch (kind % 3) {
    case 0:
      return { CF_XDR_SHXYM: '91440703MA4W12346X' }; // wrong check character
    case 1:
      return { CF_XDR_MC: '' }; // required name missing
    default:
      return { CF_NR_FK: '' }; // 罚款 without the amount
  }
}

export function shapeOf(options: PenaltyFileOptions): PenaltyFileShape {
  const every = options.invalidEvery ?? 20;
  const invalid = every > 0 ? Math.floor(options.rows / every) : 0;
  return { rows: options.rows, invalid, valid: options.rows - invalid };
}

function quote(cell: string): string {
  return /[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/**
 * A realistic 行政处罚 CSV as text lines (header first): distinct document numbers, subjects spread
 * over a pool of valid USCCs, decision dates through 2026, amounts, and every `invalidEvery`-th row
 * invalid. Some 事由 cells carry commas, quotes and line breaks, so chunk cuts must respect quotes.
 */
export function* penaltyLines(options: PenaltyFileOptions): Generator<string> {
  const every = options.invalidEvery ?? 20;
  const subjects = options.subjects ?? Math.min(options.rows, 50_000);
  const prefix = options.documentPrefix ?? '江市监罚';
  yield `${penaltyHeader.join(',')}\r\n`;
  for (let i = 1; i <= options.rows; i += 1) {
    const month = 1 + (i % 10);
    const day = 1 + (i % 28);
    const overrides: Record<string, string> = {
      CF_XDR_MC: `江门市第${i % subjects}号建材有限公司`,
      CF_XDR_SHXYM: companyUscc(i % subjects),
      CF_WSH: `${prefix}〔2026〕${i}号`,
      CF_SY: i % 7 === 0 ? `销售不合格产品，"抽检"批次\n第${i}批` : '销售抽检不合格的建筑用钢筋',
      CF_NR: `罚款人民币${(i % 50) + 1}万元`,
      CF_NR_FK: String((i % 50) + 1),
      CF_JDRQ: `2026/${String(month).padStart(2, '0')}/${String(day).padStart(2, '0')}`,
      ...(every > 0 && i % every === 0 ? invalidOverrides(i / every) : {}),
    };
    yield `${penaltyRow(overrides).map(quote).join(',')}\r\n`;
  }
}

/** The whole file in memory (tests: a few thousand rows). */
export function penaltyFile(options: PenaltyFileOptions, encoding: 'utf-8' | 'gbk' = 'utf-8'): Buffer {
  const text = [...penaltyLines(options)].join('');
  return encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8');
}

export { codes };
