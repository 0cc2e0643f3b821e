import {
  type AliasBackfillPage,
  aliasBackfillPageSize,
  backfillOrgNameAliasPage,
} from '#lib/aws/name-alias-backfill';
import type { StackTarget } from './stack-target';
import { wholeNumberOption } from './whole-number-option';

export interface AliasBackfillOptions {
  /** Items a scan page reads (1 to 1000). */
  readonly pageSize: number;
  /** The `next` token a previous run printed: resume there. */
  readonly from?: string;
  /** Stop after this many pages (printing where to resume). */
  readonly maxPages?: number;
}

export interface AliasBackfillTotals {
  pages: number;
  scanned: number;
  records: number;
  created: number;
  existing: number;
  next: string | null;
}

/**
 * `admin alias backfill`: the ALIAS#ORGNAME items of subjects stored before the public name search
 * existed, page by page, printing each page's counts and the token to resume from.
 */
export async function runAliasBackfill(
  target: Pick<StackTarget, 'documentClient' | 'tableName'>,
  options: AliasBackfillOptions,
  print: (line: string) => void,
): Promise<AliasBackfillTotals> {
  const totals: AliasBackfillTotals = {
    pages: 0,
    scanned: 0,
    records: 0,
    created: 0,
    existing: 0,
    next: null,
  };
  let from = options.from;
  do {
    const page: AliasBackfillPage = await backfillOrgNameAliasPage(target.documentClient, target.tableName, {
      pageSize: options.pageSize,
      ...(from ? { from } : {}),
    });
    totals.pages += 1;
    totals.scanned += page.scanned;
    totals.records += page.records;
    totals.created += page.created;
    totals.existing += page.existing;
    totals.next = page.next;
    print(
      `page ${totals.pages}: scanned ${page.scanned}, records ${page.records}, aliases created ${page.created}, already there ${page.existing}${page.next ? `; resume with --from ${page.next}` : ''}`,
    );
    from = page.next ?? undefined;
  } while (from && (options.maxPages === undefined || totals.pages < options.maxPages));
  return totals;
}

export function pageSizeOf(value: string | undefined): number {
  return wholeNumberOption('page-size', value, {
    min: 1,
    max: aliasBackfillPageSize.max,
    default: aliasBackfillPageSize.default,
  });
}
