import { Readable } from 'node:stream';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchPutItems } from '#lib/aws/batch-write';
import { type Item, itemsForRow } from '#lib/aws/items/items';
import { schemaFor } from '#lib/datasets/index';
import { listTypeRulesOf } from '#lib/datasets/list-authority';
import { type AcceptedRow, ingestCsv } from '#lib/ingest/ingest-file';
import { codes, listEntryHeader, listEntryRow } from '#test/support/csv-fixtures';
import { companyUscc, penaltyLines } from './penalty-file';

/**
 * Data for the check benchmark, made by the real ingestion core (CSV parsing, validation, subject
 * identification) and stored as the real items (lib/aws/items/items.ts itemsForRow), but written with
 * BatchWriteItem directly: loading a million rows through S3 and the ingest function would measure
 * ingestion, which bench:ingest does.
 *
 * Company numbers (companyUscc(n)): penalties use 0 … subjects-1, list entries
 * subjects … subjects+entries-1, so every subject has exactly one record or one list entry.
 */
export const listingAgency = { code: 'SWJ', name: '国家税务总局江门市税务局', uscc: '11440700MB2C123480' };
export const penaltyAgency = { code: 'SCJG', name: '江门市市场监督管理局', uscc: codes.agencyUscc };

/**
 * The list type the benchmark's entries are put on, as the credit office's reference data would hold
 * it: list authority rejects an entry on a list type ingestion is not given, or from an agency the
 * list type does not name.
 */
export const benchListTypes = listTypeRulesOf([
  { code: 'HMD-SW-ZDSSWF', nature: '黑名单', decidingAgencyCodes: [listingAgency.code] },
]);

export function listedName(n: number): string {
  return `江门市第${n}号贸易有限公司`;
}

export function penaltyName(n: number): string {
  // penaltyLines (rows = subjects) gives row i company i % subjects and this name.
  return `江门市第${n}号建材有限公司`;
}

function quote(cell: string): string {
  return /[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

export function* listEntryLines(first: number, count: number, listedOn = '2026/03/18'): Generator<string> {
  yield `${listEntryHeader.join(',')}\r\n`;
  for (let n = first; n < first + count; n += 1) {
    const row = listEntryRow({
      主体名称: listedName(n),
      统一社会信用代码: companyUscc(n),
      法定代表人: '',
      法定代表人证件号码: '',
      列入日期: listedOn,
    });
    yield `${row.map(quote).join(',')}\r\n`;
  }
}

export type LoadProgress = (written: number) => void;

/**
 * Streams CSV lines through the ingestion core and writes each accepted row's items, a few
 * BatchWriteItem calls in flight. Returns rows accepted and items written.
 */
export async function loadRows(
  client: DynamoDBDocumentClient,
  tableName: string,
  options: {
    dataset: 'list-entry' | 'admin-penalty' | 'list-type';
    lines: Iterable<string>;
    agency: { code: string; name: string; uscc: string };
    onProgress?: LoadProgress;
  },
): Promise<{ rows: number; items: number; rejected: number }> {
  const receivedAt = new Date().toISOString();
  const provenance = {
    agencyCode: options.agency.code,
    jobId: `bench-${options.dataset}`,
    sourceKey: `bench/${options.dataset}.csv`,
    receivedAt,
    receivedDate: receivedAt.slice(0, 10),
  };
  let rows = 0;
  let items = 0;
  const inFlight = new Set<Promise<void>>();
  const failures: unknown[] = [];
  const write = (batch: Item[]) => {
    const pending: Promise<void> = batchPutItems(client, tableName, batch, { concurrency: 4 })
      .catch((error: unknown) => void failures.push(error))
      .finally(() => inFlight.delete(pending));
    inFlight.add(pending);
  };
  const outcome = await ingestCsv({
    schema: schemaFor(options.dataset),
    body: Readable.from(options.lines),
    context: { agency: options.agency, today: '2026-11-24', listTypes: benchListTypes },
    receivedDate: '2026-03-20',
    batchSize: 500,
    sink: {
      write: async (accepted: readonly AcceptedRow[]) => {
        const batch = accepted.flatMap((row) => itemsForRow(row, provenance));
        rows += accepted.length;
        items += batch.length;
        write(batch);
        if (inFlight.size >= 4) await Promise.race(inFlight);
        if (failures.length > 0) throw failures[0];
        options.onProgress?.(rows);
      },
    },
  });
  await Promise.all(inFlight);
  if (failures.length > 0) throw failures[0];
  return { rows, items, rejected: outcome.counts.rejected };
}

export { companyUscc, penaltyLines };
