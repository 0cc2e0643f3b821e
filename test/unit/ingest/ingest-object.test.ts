import { describe, expect, it } from 'vitest';
import { companyUscc, penaltyFile } from '#bench/support/penalty-file';
import { ingestChunk } from '#lib/ingest/chunking/ingest-chunk';
import {
  type FullReport,
  ingestObject,
  jobIdFor,
  type ObjectCreated,
  reportFailure,
} from '#lib/ingest/ingest-object';
import { bucketLayout } from '#lib/platform/resources';
import { codes, penaltyCsv } from '#test/support/csv-fixtures';
import { type InMemoryIngest, inMemoryIngest } from '#test/support/in-memory-ingest';

const SCJG = { code: 'SCJG', name: 'SCJG 测试机关', uscc: codes.agencyUscc, roles: ['case-officer'] };
const EVENT_TIME = '2026-11-20T02:00:00.000Z';

function upload(world: InMemoryIngest, key: string, body: Buffer | string): ObjectCreated {
  const { eTag } = world.bucket.put(key, body);
  return {
    bucket: 'data',
    key,
    eTag,
    size: typeof body === 'string' ? Buffer.byteLength(body) : body.length,
    eventTime: EVENT_TIME,
  };
}

/** Runs every chunk message the coordinator sent, as the ingest queue would deliver them. */
async function runChunks(world: InMemoryIngest): Promise<FullReport | undefined> {
  let report: FullReport | undefined;
  for (const message of world.chunks.sent.splice(0)) {
    const result = await ingestChunk(world.deps, message);
    if ('report' in result && result.report) report = result.report;
  }
  return report;
}

describe('Use case: ingestObject (in-memory ports)', () => {
  it('stores the valid rows of a small file, writes its report and rejected-rows CSV, and finishes the job', async () => {
    // Prepare
    const world = inMemoryIngest({ agencies: [SCJG] });
    const key = bucketLayout.incomingKey('SCJG', 'admin-penalty', '2026-11.csv');
    const object = upload(
      world,
      key,
      penaltyCsv([{}, { CF_WSH: 'A-2', CF_XDR_SHXYM: '91440703MA4W12346X' }, { CF_WSH: 'A-3' }]),
    );
    // Act
    const result = await ingestObject(world.deps, object);
    // Assess
    expect(result.status).toBe('ingested');
    const report = world.bucket.json<FullReport>(
      bucketLayout.reportKey('SCJG', 'admin-penalty', '2026-11.csv'),
    );
    expect(report).toMatchObject({
      status: 'completed',
      jobId: jobIdFor(object),
      counts: { rows: 3, accepted: 2, rejected: 1, duplicate: 0 },
      rejectedRows: [{ row: 3, issues: [{ code: 'USCC_CHECK_CHARACTER' }] }],
      startedAt: '2026-11-20T02:05:00.000Z',
    });
    expect(world.records.current.size).toBe(2);
    expect(world.bucket.text(report.rejectedRowsCsvKey!)).toContain('USCC_CHECK_CHARACTER');
    expect(world.jobs.jobs.get(jobIdFor(object))).toMatchObject({
      status: 'completed',
      counts: report.counts,
    });
    expect(world.subjects.sent).toEqual([
      { kind: 'subject-changed', subjectKey: `USCC#${codes.companyUscc}`, cause: 'record', sourceKey: key },
    ]);
  });

  it('skips a redelivered event of a finished job and stores nothing again', async () => {
    // Prepare
    const world = inMemoryIngest({ agencies: [SCJG] });
    const object = upload(
      world,
      bucketLayout.incomingKey('SCJG', 'admin-penalty', 'a.csv'),
      penaltyCsv([{}]),
    );
    await ingestObject(world.deps, object);
    const writes = world.records.writes;
    // Act
    const again = await ingestObject(world.deps, object);
    // Assess
    expect(again).toEqual({ status: 'duplicate-delivery', jobId: jobIdFor(object) });
    expect(world.records.writes).toBe(writes);
  });

  it.each([
    ['a key outside the convention', 'uploads/SCJG/a.csv', 'KEY_OUTSIDE_CONVENTION'],
    ['an unregistered agency', 'incoming/NOBODY/admin-penalty/a.csv', 'UNKNOWN_AGENCY'],
    ['an unknown dataset', 'incoming/SCJG/recipes/a.csv', 'UNKNOWN_DATASET'],
    [
      'reference data from an agency without the office role',
      'incoming/SCJG/list-type/a.csv',
      'REFERENCE_DATA_CREDIT_OFFICE_ONLY',
    ],
  ])('refuses %s with a report and reads no row', async (_case, key, code) => {
    // Prepare
    const world = inMemoryIngest({ agencies: [SCJG] });
    const object = upload(world, key, penaltyCsv([{}]));
    // Act
    const result = await ingestObject(world.deps, object);
    // Assess
    expect(result.status).toBe('ingested');
    if (result.status !== 'ingested') return;
    expect(result.report).toMatchObject({ status: 'rejected', fileErrors: [{ code }] });
    expect(world.records.writes).toBe(0);
  });

  it('reports the same bytes uploaded again under another name as a duplicate upload', async () => {
    // Prepare
    const world = inMemoryIngest({ agencies: [SCJG] });
    const body = penaltyCsv([{}]);
    await ingestObject(
      world.deps,
      upload(world, bucketLayout.incomingKey('SCJG', 'admin-penalty', 'a.csv'), body),
    );
    const writes = world.records.writes;
    // Act
    const result = await ingestObject(
      world.deps,
      upload(world, bucketLayout.incomingKey('SCJG', 'admin-penalty', 'b.csv'), body),
    );
    // Assess
    if (result.status !== 'ingested') throw new Error(result.status);
    expect(result.report.fileErrors[0]).toMatchObject({ code: 'DUPLICATE_UPLOAD' });
    expect(result.report.fileErrors[0]!.reason).toContain('incoming/SCJG/admin-penalty/a.csv');
    expect(world.records.writes).toBe(writes);
  });

  it('cuts a large file into chunks whose assembled report equals a single pass, cross-chunk duplicates included', async () => {
    // Prepare: 600 rows (30 invalid) and a repeat of row 6's business key at the end
    const lines = penaltyFile({ rows: 600, subjects: 50 }).toString('utf8');
    const repeat = penaltyCsv([
      {
        CF_XDR_MC: '江门市第5号建材有限公司',
        CF_XDR_SHXYM: companyUscc(5),
        CF_WSH: '江市监罚〔2026〕5号',
        CF_JDRQ: '2026/06/06',
      },
    ]).split('\r\n')[1];
    const body = Buffer.from(`${lines}${repeat}\r\n`, 'utf8');
    const chunked = inMemoryIngest({ agencies: [SCJG], chunked: true, chunkBytes: 32 * 1024 });
    const single = inMemoryIngest({ agencies: [SCJG] });
    const key = bucketLayout.incomingKey('SCJG', 'admin-penalty', 'large.csv');
    // Act
    const planned = await ingestObject(chunked.deps, upload(chunked, key, body));
    const chunkCount = chunked.chunks.sent.length;
    const report = await runChunks(chunked);
    const reference = await ingestObject(single.deps, upload(single, key, body));
    // Assess
    expect(planned.status).toBe('chunked');
    expect(chunkCount).toBeGreaterThan(2);
    if (reference.status !== 'ingested' || !report) throw new Error('no report');
    expect(report.chunks).toBe(chunkCount);
    expect(report.counts).toEqual(reference.report.counts);
    expect(report.counts).toMatchObject({ rows: 601, accepted: 570, rejected: 30, duplicate: 1 });
    expect(report.rejectedRows).toEqual(reference.report.rejectedRows);
    expect(report.duplicateRows).toEqual([{ row: 602, duplicateOf: 6 }]);
    // The duplicate's history version was removed; the original (row 6) is the stored version.
    expect(chunked.records.versions.size).toBe(570);
    expect([...chunked.records.current.values()].find((stored) => stored.row === 602)).toBeUndefined();
    expect(chunked.jobs.jobs.get(report.jobId)).toMatchObject({ status: 'completed', counts: report.counts });
  });

  it('marks a job failed with a report that says which chunk could not be ingested', async () => {
    // Prepare
    const world = inMemoryIngest({ agencies: [SCJG], chunked: true, chunkBytes: 32 * 1024 });
    const key = bucketLayout.incomingKey('SCJG', 'admin-penalty', 'large.csv');
    await ingestObject(world.deps, upload(world, key, penaltyFile({ rows: 300 })));
    const chunk = world.chunks.sent[1]!;
    // Act
    await reportFailure(world.deps, { chunk }, new Error('store down'));
    // Assess
    const report = world.bucket.json(bucketLayout.reportKey('SCJG', 'admin-penalty', 'large.csv'));
    expect(report).toMatchObject({ status: 'failed', fileErrors: [{ code: 'INGESTION_FAILED' }] });
    expect(String((report.fileErrors as { reason: string }[])[0]!.reason)).toContain('chunk 2 of');
    expect(world.jobs.jobs.get(chunk.jobId)).toMatchObject({ status: 'failed' });
  });
});

describe('Use case: ingestObject — unsafe keys', () => {
  it('refuses a key with .. segments and writes its report into the uploader’s own folder, not another agency’s', async () => {
    // Prepare
    const world = inMemoryIngest({
      agencies: [SCJG, { code: 'ZYFY', name: 'ZYFY', uscc: codes.agencyUscc }],
    });
    const object = upload(
      world,
      'incoming/SCJG/admin-penalty/../../ZYFY/court-dishonest/evil.csv',
      penaltyCsv([{}]),
    );
    // Act
    const result = await ingestObject(world.deps, object);
    // Assess
    if (result.status !== 'ingested') throw new Error(result.status);
    expect(result.report).toMatchObject({
      status: 'rejected',
      agencyCode: 'SCJG',
      fileErrors: [{ code: 'KEY_UNSAFE' }],
    });
    const written = [...world.bucket.objects.keys()].filter((key) => key.startsWith('reports/'));
    expect(written).toHaveLength(1);
    expect(written[0]!.startsWith('reports/SCJG/_rejected/')).toBe(true);
    expect(written[0]!.split('/')).not.toContain('..');
    expect(written[0]!.split('/')).toHaveLength(4);
    expect(world.records.writes).toBe(0);
    expect(world.jobs.jobs.get(jobIdFor(object))).toMatchObject({ agencyCode: 'SCJG', status: 'rejected' });
  });
});

describe('Use case: ingestObject — a file whose every row is rejected', () => {
  it('reports it rejected, with a file-level error, and the job says so', async () => {
    // Prepare
    const world = inMemoryIngest({ agencies: [SCJG] });
    const object = upload(
      world,
      bucketLayout.incomingKey('SCJG', 'admin-penalty', 'bad.csv'),
      penaltyCsv([{ CF_XDR_MC: '' }, { CF_WSH: 'B-2', CF_XDR_SHXYM: '91440703MA4W12346X' }]),
    );
    // Act
    const result = await ingestObject(world.deps, object);
    // Assess
    if (result.status !== 'ingested') throw new Error(result.status);
    expect(result.report).toMatchObject({
      status: 'rejected',
      counts: { rows: 2, accepted: 0, rejected: 2 },
      fileErrors: [{ code: 'NO_ROWS_ACCEPTED' }],
    });
    expect(result.report.rejectedRows).toHaveLength(2);
    expect(world.jobs.jobs.get(jobIdFor(object))).toMatchObject({ status: 'rejected' });
  });

  it('reports a chunked file rejected when no chunk accepted a row, and completed when only one chunk did not', async () => {
    // Prepare: every row invalid (invalidEvery 1), and a file whose first ~600 rows only are invalid
    const allBad = inMemoryIngest({ agencies: [SCJG], chunked: true, chunkBytes: 16 * 1024 });
    const someBad = inMemoryIngest({ agencies: [SCJG], chunked: true, chunkBytes: 16 * 1024 });
    const key = bucketLayout.incomingKey('SCJG', 'admin-penalty', 'large.csv');
    const bad = penaltyFile({ rows: 200, invalidEvery: 1 });
    const good = penaltyFile({ rows: 200, invalidEvery: 0, documentPrefix: 'G' }).toString('utf8');
    const mixed = Buffer.concat([bad, Buffer.from(good.slice(good.indexOf('\r\n') + 2), 'utf8')]);
    // Act
    await ingestObject(allBad.deps, upload(allBad, key, bad));
    const rejected = await runChunks(allBad);
    await ingestObject(someBad.deps, upload(someBad, key, mixed));
    const completed = await runChunks(someBad);
    // Assess
    expect(rejected).toMatchObject({
      status: 'rejected',
      counts: { rows: 200, accepted: 0, rejected: 200 },
      fileErrors: [{ code: 'NO_ROWS_ACCEPTED' }],
    });
    expect(rejected!.chunks).toBeGreaterThan(1);
    expect(allBad.jobs.jobs.get(rejected!.jobId)).toMatchObject({ status: 'rejected' });
    expect(completed).toMatchObject({ status: 'completed', counts: { accepted: 200, rejected: 200 } });
    expect(completed!.fileErrors).toEqual([]);
  });
});

describe('Use case: ingestObject — memory bounded with every rejected row', () => {
  it('streams every rejected row into the CSV and keeps only the first 1,000 in memory and in the report', async () => {
    // Prepare: a valid header, then 20,000 rows of "x"
    const world = inMemoryIngest({ agencies: [SCJG] });
    const body = `${penaltyCsv([]).trimEnd()}\r\n${'x\r\n'.repeat(20_000)}`;
    const object = upload(world, bucketLayout.incomingKey('SCJG', 'admin-penalty', 'x.csv'), body);
    // Act
    const result = await ingestObject(world.deps, object);
    // Assess
    if (result.status !== 'ingested') throw new Error(result.status);
    const { report } = result;
    expect(report).toMatchObject({ status: 'rejected', counts: { rows: 20_000, rejected: 20_000 } });
    expect(report.rejectedRows).toHaveLength(1000);
    expect(report.truncated).toEqual({ rejectedRows: 19_000, duplicateRows: 0, flaggedRows: 0 });
    // Every rejected row is in the CSV, which was written as the rows came, not built at the end.
    const writer = world.bucket.writers.find((w) => w.key === report.rejectedRowsCsvKey);
    expect(writer?.closed).toBe(true);
    expect(writer!.writes).toBeGreaterThan(20_000);
    const csvRows = new Set(
      world.bucket
        .text(report.rejectedRowsCsvKey!)
        .split('\r\n')
        .slice(1, -1)
        .map((line) => line.split(',')[0]),
    );
    expect(csvRows.size).toBe(20_000);
  });
});
