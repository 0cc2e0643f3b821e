import { type DatasetId, schemaFor } from '#lib/datasets/index';
import { type AcceptedRow, type IngestFileInput, ingestFile } from '#lib/ingest/ingest-file';
import { codes, streamOf, testListTypeRules } from '#test/support/csv-fixtures';

export const agency = { code: 'SCJG', name: '江门市市场监督管理局', uscc: codes.agencyUscc };

/** Runs a file through ingestFile with an in-memory sink; today is 2026-11-24 (Asia/Shanghai), the test list types. */
export async function ingestText(
  dataset: DatasetId,
  body: string | Buffer,
  options: Partial<Omit<IngestFileInput, 'body' | 'schema' | 'sink'>> = {},
) {
  const stored: AcceptedRow[] = [];
  const outcome = await ingestFile({
    schema: schemaFor(dataset),
    body: streamOf(body, 64),
    context: { agency, today: '2026-11-24', listTypes: testListTypeRules },
    receivedDate: '2026-11-20',
    sink: { write: async (rows) => void stored.push(...rows) },
    batchSize: 2,
    ...options,
  });
  return { outcome, stored, record: stored[0]?.record as Record<string, any> | undefined };
}
