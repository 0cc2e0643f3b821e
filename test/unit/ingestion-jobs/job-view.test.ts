import { describe, expect, it } from 'vitest';
import { isFinished, toJobView } from '#lib/ingestion-jobs/job-view';

const partition = 'AGENCY#SCJG#JOB';
const lastKey = {
  pk: 'JOB#job-1',
  sk: 'JOB',
  gsi1pk: partition,
  gsi1sk: '2026-11-24T01:00:00.000Z#job-1',
};

describe('Function: toJobView', () => {
  const running = {
    ...lastKey,
    type: 'job',
    jobId: 'job-1',
    agencyCode: 'SCJG',
    dataset: 'admin-penalty',
    sourceKey: 'incoming/SCJG/admin-penalty/f.csv',
    status: 'running',
    attempts: 2,
    size: 1234,
    eTag: 'abc',
    chunkCount: 4,
    chunksDone: new Set([0, 2]),
    counts: { rows: 10, accepted: 8, rejected: 2, duplicate: 0, late: 1 },
    receivedAt: '2026-11-24T01:00:00.000Z',
    startedAt: '2026-11-24T01:00:01.000Z',
    contentSha256: 'ff',
  };

  it('shows a running job with its progress, chunks and the report it will write, and no internals', () => {
    // Act
    const view = toJobView(running);
    // Assess
    expect(view).toEqual({
      jobId: 'job-1',
      agencyCode: 'SCJG',
      dataset: 'admin-penalty',
      sourceKey: 'incoming/SCJG/admin-penalty/f.csv',
      status: 'running',
      counts: { rows: 10, accepted: 8, rejected: 2, duplicate: 0, late: 1 },
      attempts: 2,
      size: 1234,
      chunks: { total: 4, done: 2 },
      receivedAt: '2026-11-24T01:00:00.000Z',
      startedAt: '2026-11-24T01:00:01.000Z',
      report: { key: 'reports/SCJG/admin-penalty/f.csv.result.json', ready: false },
    });
    expect(isFinished(view)).toBe(false);
  });

  it('shows a finished job with its report ready', () => {
    const view = toJobView({
      ...running,
      status: 'partial',
      finishedAt: '2026-11-24T01:00:09.000Z',
      reportKey: 'reports/SCJG/admin-penalty/f.csv.result.json',
    });
    expect(view).toMatchObject({
      status: 'partial',
      finishedAt: '2026-11-24T01:00:09.000Z',
      report: { ready: true },
    });
    expect(isFinished(view)).toBe(true);
  });

  it('shows a failed job with the reason it was given up', () => {
    const view = toJobView({
      ...running,
      status: 'failed',
      failure: 'unreadable',
      failedAt: '2026-11-24T01:00:05.000Z',
    });
    expect(view).toMatchObject({
      status: 'failed',
      failure: 'unreadable',
      finishedAt: '2026-11-24T01:00:05.000Z',
    });
    expect(isFinished(view)).toBe(true);
  });

  it('shows zero counts for a job that has not reported any yet', () => {
    const { counts: _counts, ...withoutCounts } = running;
    expect(toJobView(withoutCounts).counts).toEqual({
      rows: 0,
      accepted: 0,
      rejected: 0,
      duplicate: 0,
      late: 0,
    });
  });
});
