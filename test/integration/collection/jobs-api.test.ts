import { PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { jobPageSchema } from '#functions/api/routes/ingestion';
import { PROBLEM_CONTENT_TYPE } from '#lib/http/problem';
import type { JobView } from '#lib/ingestion-jobs/job-view';
import { bucketLayout } from '#lib/platform/resources';
import { codes, csv, listEntryHeader, listEntryRow, penaltyCsv } from '#test/support/csv-fixtures';
import { ingestFile, loadListTypes, readJson, registerAgency } from '../support/credit-fixtures';
import { useLocalStack, waitFor } from '../support/local-stack';

const stack = useLocalStack({ authorizerCacheSeconds: 0 });

interface JobPage {
  agencyCode: string;
  jobs: JobView[];
  nextCursor?: string;
}

async function get(apiKey: string, path: string) {
  const response = await stack().api.request('GET', path, { headers: { authorization: `Bearer ${apiKey}` } });
  return { ...response, json: JSON.parse(response.body || 'null') };
}

describe('Route: GET /v1/ingestion/jobs', () => {
  let scjgKey: string;
  let swjKey: string;
  let officeKey: string;
  /** SCJG's job ids, newest first. */
  const scjgJobs: string[] = [];
  let swjJob: string;

  beforeAll(async () => {
    scjgKey = await registerAgency(stack(), 'SCJG');
    swjKey = await registerAgency(stack(), 'SWJ');
    officeKey = await registerAgency(stack(), 'XYB', codes.agencyUscc, ['credit-office']);
    await loadListTypes(stack());
    // Three SCJG files one after the other (receivedAt orders the listing), one SWJ file.
    for (const [index, name] of ['penalties-1.csv', 'penalties-2.csv', 'penalties-3.csv'].entries()) {
      const report = await ingestFile(
        stack(),
        'SCJG',
        'admin-penalty',
        name,
        penaltyCsv([{ CF_WSH: `J-${index}` }, { CF_WSH: `J-${index}-bad`, CF_XDR_MC: '' }]),
      );
      scjgJobs.unshift(report.jobId);
    }
    const swjReport = await ingestFile(
      stack(),
      'SWJ',
      'list-entry',
      'lists.csv',
      csv([listEntryHeader, listEntryRow()]),
    );
    swjJob = swjReport.jobId;
  }, 120_000);

  it("lists the caller's own jobs newest first, each with status, counts and report location", async () => {
    // Act
    const response = await get(scjgKey, '/v1/ingestion/jobs');
    // Assess
    expect(response.status).toBe(200);
    const page = response.json as JobPage;
    expect(page.agencyCode).toBe('SCJG');
    expect(page.jobs.map((job) => job.jobId)).toEqual(scjgJobs);
    expect(page.nextCursor).toBeUndefined();
    expect(page.jobs[0]).toMatchObject({
      agencyCode: 'SCJG',
      dataset: 'admin-penalty',
      sourceKey: 'incoming/SCJG/admin-penalty/penalties-3.csv',
      status: 'completed',
      counts: { rows: 2, accepted: 1, rejected: 1, duplicate: 0 },
      report: { key: bucketLayout.reportKey('SCJG', 'admin-penalty', 'penalties-3.csv'), ready: true },
    });
    // The documented response schema (OpenAPI) describes exactly what is returned: parsing strips nothing.
    expect(jobPageSchema.parse(page)).toEqual(page);
    expect(page.jobs[0]).not.toHaveProperty('pk');
    expect(page.jobs[0]).not.toHaveProperty('gsi1pk');
    // The report the job points to is the one the ingest path wrote.
    const report = await readJson(stack(), page.jobs[0]!.report.key);
    expect(report).toMatchObject({ jobId: scjgJobs[0], counts: page.jobs[0]!.counts });
  });

  it('pages with an opaque cursor until every job has been seen once', async () => {
    // Act
    const first = await get(scjgKey, '/v1/ingestion/jobs?limit=2');
    const second = await get(
      scjgKey,
      `/v1/ingestion/jobs?limit=2&cursor=${encodeURIComponent((first.json as JobPage).nextCursor ?? '')}`,
    );
    // Assess
    expect(first.status).toBe(200);
    expect((first.json as JobPage).jobs.map((job) => job.jobId)).toEqual(scjgJobs.slice(0, 2));
    expect((first.json as JobPage).nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(second.status).toBe(200);
    expect((second.json as JobPage).jobs.map((job) => job.jobId)).toEqual(scjgJobs.slice(2));
    // The last page is shorter than the limit, so DynamoDB returns no LastEvaluatedKey.
    expect((second.json as JobPage).nextCursor).toBeUndefined();
  });

  it('refuses a cursor issued for another agency with 400 INVALID_CURSOR', async () => {
    // Prepare: a cursor from the credit office's listing of SCJG, replayed by SWJ against its own listing
    const office = await get(officeKey, '/v1/ingestion/jobs?agency=SCJG&limit=1');
    const cursor = (office.json as JobPage).nextCursor;
    expect(cursor).toBeDefined();
    // Act
    const replayed = await get(swjKey, `/v1/ingestion/jobs?cursor=${cursor}`);
    const garbage = await get(swjKey, '/v1/ingestion/jobs?cursor=bm90LWpzb24');
    // Assess
    expect(replayed.status).toBe(400);
    expect(replayed.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(replayed.json).toMatchObject({ code: 'INVALID_CURSOR' });
    expect(garbage.status).toBe(400);
    expect(garbage.json).toMatchObject({ code: 'INVALID_CURSOR' });
  });

  it("answers 403 FORBIDDEN when an agency asks for another agency's jobs", async () => {
    // Act
    const response = await get(swjKey, '/v1/ingestion/jobs?agency=SCJG');
    // Assess
    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(response.json).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it("lets the credit office list any agency's jobs", async () => {
    // Act
    const response = await get(officeKey, '/v1/ingestion/jobs?agency=SWJ');
    // Assess
    expect(response.status).toBe(200);
    expect((response.json as JobPage).jobs.map((job) => job.jobId)).toEqual([swjJob]);
  });

  it('validates the query with 400 VALIDATION_FAILED', async () => {
    // Act
    const tooMany = await get(scjgKey, '/v1/ingestion/jobs?limit=1000');
    const unknown = await get(scjgKey, '/v1/ingestion/jobs?status=running');
    // Assess
    expect(tooMany.status).toBe(400);
    expect(tooMany.json).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'query.limit' }] });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('answers 401 without a key', async () => {
    const response = await stack().api.request('GET', '/v1/ingestion/jobs');
    expect(response.status).toBe(401);
  });

  describe('Route: GET /v1/ingestion/jobs/{jobId}', () => {
    it('returns an own job', async () => {
      // Act
      const response = await get(swjKey, `/v1/ingestion/jobs/${swjJob}`);
      // Assess
      expect(response.status).toBe(200);
      expect(response.json).toMatchObject({
        jobId: swjJob,
        agencyCode: 'SWJ',
        dataset: 'list-entry',
        status: 'completed',
        counts: { rows: 1, accepted: 1, rejected: 0 },
        report: { key: bucketLayout.reportKey('SWJ', 'list-entry', 'lists.csv'), ready: true },
      });
    });

    it("answers someone else's job exactly as a job that does not exist: 404 JOB_NOT_FOUND", async () => {
      // Act
      const foreign = await get(swjKey, `/v1/ingestion/jobs/${scjgJobs[0]}`);
      const missing = await get(swjKey, '/v1/ingestion/jobs/job-doesnotexist');
      // Assess
      expect(foreign.status).toBe(404);
      expect(foreign.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
      expect(foreign.json).toMatchObject({ code: 'JOB_NOT_FOUND' });
      expect(missing.status).toBe(404);
      expect({ ...foreign.json, detail: '', instance: '' }).toEqual({
        ...missing.json,
        detail: '',
        instance: '',
      });
      expect(foreign.json.detail).not.toContain('SCJG');
    });

    it("lets the credit office read any agency's job", async () => {
      const response = await get(officeKey, `/v1/ingestion/jobs/${scjgJobs[1]}`);
      expect(response.status).toBe(200);
      expect(response.json).toMatchObject({ jobId: scjgJobs[1], agencyCode: 'SCJG' });
    });
  });
});

describe('Path: an object key outside incoming/<agency>/<dataset>/<file>', () => {
  it('is rejected with a report under reports/_rejected/ and never processed', async () => {
    // Prepare
    const officeKey = await registerAgency(stack(), 'XYB2', codes.agencyUscc, ['credit-office']);
    const key = 'incoming/stray.csv';
    // Act
    await stack().clients.s3.send(
      new PutObjectCommand({
        Bucket: stack().config.bucketName,
        Key: key,
        Body: penaltyCsv([{ CF_WSH: 'S-1' }]),
      }),
    );
    const report = await waitFor(
      () => readJson<{ jobId: string }>(stack(), 'reports/_rejected/incoming/stray.csv.result.json'),
      { timeoutMs: 30_000, what: 'the rejection report of the stray key' },
    );
    // Assess
    expect(report).toMatchObject({
      status: 'rejected',
      source: { key },
      fileErrors: [{ code: 'KEY_OUTSIDE_CONVENTION' }],
      counts: { rows: 0, accepted: 0, rejected: 0 },
      appliedRows: null,
    });
    // The office sees it among the jobs of no agency.
    const listing = await get(officeKey, '/v1/ingestion/jobs?agency=_unknown');
    expect((listing.json as JobPage).jobs).toEqual([
      expect.objectContaining({ jobId: report.jobId, sourceKey: key, status: 'rejected' }),
    ]);
  });
});
