import { readFileSync } from 'node:fs';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { FunctionName } from '#lib/platform/resources';
import { invokeHandler } from '#local/lambda/invoke';
import { penaltyCsv } from '#test/support/csv-fixtures';
import { readJson } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';

// The sample events in events/ are the ones `npm run invoke` takes; each must work against the stack.
const stack = useLocalStack({ loadDemo: true });

function sample(path: string): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`../../../events/${path}`, import.meta.url), 'utf8'));
}

function invoke(name: FunctionName, event: unknown): Promise<any> {
  return invokeHandler(name, stack().handlers[name], event, stack().config.region);
}

describe('Sample events: events/', () => {
  it('ingest/sqs-s3-object-created.json ingests the object it names (URL-encoded key with spaces and Chinese)', async () => {
    const event = sample('ingest/sqs-s3-object-created.json');
    const notification = JSON.parse(event.Records[0].body);
    notification.Records[0].s3.bucket.name = stack().config.bucketName;
    // The upload's own notification must not win the race against the sample event.
    await stack().pollers.ingest.stop();
    const uploaded = await stack().clients.s3.send(
      new PutObjectCommand({
        Bucket: stack().config.bucketName,
        Key: 'incoming/SCJG/admin-penalty/2026年11月 处罚.csv',
        Body: penaltyCsv([{ CF_WSH: 'SAMPLE-1' }]),
      }),
    );
    // Reads are pinned to the notified version: the event carries this upload's ETag, as S3's would.
    notification.Records[0].s3.object.eTag = uploaded.ETag?.replaceAll('"', '');
    event.Records[0].body = JSON.stringify(notification);
    const result = await invoke('ingest', event);
    expect(result).toEqual({ batchItemFailures: [] });
    const report = await readJson<Record<string, any>>(
      stack(),
      'reports/SCJG/admin-penalty/2026年11月 处罚.csv.result.json',
    );
    expect(report?.counts).toMatchObject({ accepted: 1 });
    stack().pollers.ingest.start();
  });

  it('match/sqs-subject-changed.json re-screens the demo company without failures', async () => {
    expect(await invoke('match', sample('match/sqs-subject-changed.json'))).toEqual({
      batchItemFailures: [],
    });
  });

  it('match/sqs-masked-subject-changed.json re-screens a court’s masked-ID person without failures', async () => {
    expect(await invoke('match', sample('match/sqs-masked-subject-changed.json'))).toEqual({
      batchItemFailures: [],
    });
  });

  it('deadlines/scheduled.json runs the deadlines check for the scheduled day in Asia/Shanghai', async () => {
    const report = await invoke('deadlines', sample('deadlines/scheduled.json'));
    expect(report).toMatchObject({ runDate: '2026-11-25', coveredDate: '2026-11-24' });
  });

  it('authorizer/request.json resolves the demo key to its agency', async () => {
    const result = await invoke('authorizer', sample('authorizer/request.json'));
    expect(result).toMatchObject({ context: { agencyCode: 'SCJG', roles: 'case-officer' } });
  });

  it('api/post-check.json returns a check with the demo black-list hit', async () => {
    const response = await invoke('api', sample('api/post-check.json'));
    expect(response.statusCode).toBe(201);
    expect(JSON.parse(response.body).hits[0]).toMatchObject({ listTypeCode: 'HMD-SW-ZDSSWF' });
  });

  it('api/get-health.json answers 200', async () => {
    expect((await invoke('api', sample('api/get-health.json'))).statusCode).toBe(200);
  });
});
