import { readFileSync } from 'node:fs';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { bucketLayout } from '#lib/platform/resources';
import { codes, csv, listEntryHeader, listEntryRow, penaltyCsv } from '#test/support/csv-fixtures';
import {
  ingestFile,
  loadListTypes,
  readJson,
  registerAgency,
  subjectPartition,
} from '../support/credit-fixtures';
import { useLocalStack, waitFor } from '../support/local-stack';

const stack = useLocalStack();

async function alertsFor(agencyCode: string) {
  const result = await stack().clients.documentClient.send(
    new QueryCommand({
      TableName: stack().config.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': `AGENCY#${agencyCode}#ALERT` },
    }),
  );
  return result.Items ?? [];
}

describe('Function: match (SQS)', () => {
  it('sends a poison message to the DLQ after maxReceiveCount while its batch siblings succeed', async () => {
    // Prepare
    const queue = stack().config.queues.match;
    const good = [`USCC#${codes.companyUscc}`, `USCC#${codes.otherCompanyUscc}`, `ID#${codes.personId}`];
    // Act: one batch, one poison message among valid ones
    await stack().clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: [
          ...good.map((subjectKey, i) => ({
            Id: `ok${i}`,
            MessageBody: JSON.stringify({ kind: 'subject-changed', subjectKey, cause: 'list-entry' }),
          })),
          { Id: 'poison', MessageBody: '{"kind":"subject-changed","subjectKey":"not a key"}' },
        ],
      }),
    );
    // Assess: the poison message reaches the DLQ...
    const dead = await waitFor(
      async () => {
        const received = await stack().clients.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queue.dlqUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }),
        );
        return received.Messages?.length ? received.Messages : undefined;
      },
      { timeoutMs: 45_000, what: 'the poison message in the DLQ' },
    );
    expect(dead.map((message) => message.Body)).toEqual([
      '{"kind":"subject-changed","subjectKey":"not a key"}',
    ]);
    // ...and every sibling was screened (each wrote its first snapshot)
    for (const subjectKey of good) {
      const snapshot = await stack().clients.dynamodb.send(
        new GetItemCommand({
          TableName: stack().config.tableName,
          Key: { pk: { S: `SUBJECT#${subjectKey}` }, sk: { S: 'SCREENING' } },
        }),
      );
      expect(snapshot.Item, subjectKey).toBeDefined();
    }
  });

  it('alerts a watching agency once when a subject is listed, even when the change is delivered twice', async () => {
    // Prepare: SCJG checks a clean company on an open case, which opens a watch
    const apiKey = await registerAgency(stack(), 'SCJG');
    await registerAgency(stack(), 'SWJ', '11440700MB2C123480');
    await loadListTypes(stack());
    const response = await fetch(`${stack().config.apiBaseUrl}/v1/checks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ subject: { code: '91440705MA53R7T18N' }, caseRef: 'JM-2026-0099' }),
    });
    expect(response.status).toBe(201);
    const subjectKey = 'USCC#91440705MA53R7T18N';
    expect((await subjectPartition(stack(), subjectKey)).some((item) => item.type === 'watch')).toBe(true);

    // Act: the tax office lists it; the change then reaches the match queue a second time
    const row = listEntryRow({
      主体名称: '江门市新会区顺达物流有限公司',
      统一社会信用代码: '91440705MA53R7T18N',
      法定代表人: '',
      法定代表人证件号码: '',
    });
    await ingestFile(stack(), 'SWJ', 'list-entry', 'new-listing.csv', csv([listEntryHeader, row]));
    await waitFor(async () => (await alertsFor('SCJG')).length > 0, { timeoutMs: 20_000, what: 'an alert' });
    const processed = stack().pollers.match.stats.succeeded;
    await stack().clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack().config.queues.match.url,
        MessageBody: JSON.stringify({ kind: 'subject-changed', subjectKey, cause: 'list-entry' }),
      }),
    );
    await waitFor(() => stack().pollers.match.stats.succeeded > processed, {
      what: 'the second change to be screened',
    });

    // Assess
    const alerts = await alertsFor('SCJG');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      agencyCode: 'SCJG',
      subjectKey,
      change: 'hit-started',
      listTypeCode: 'HMD-SW-ZDSSWF',
    });
  });
});

describe('Function: deadlines (schedule)', () => {
  it('writes the dated report, and a second run for the same date leaves the same state', async () => {
    // Prepare
    const runDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const key = bucketLayout.deadlinesReportKey(runDate, 'json');
    // Act
    const first = await stack().fireSchedule('deadlines');
    const stored = await readJson(stack(), key);
    const second = await stack().fireSchedule('deadlines');
    // Assess
    expect(stored).toMatchObject({ reportVersion: 1, runDate });
    expect(second).toEqual(first);
    expect(await readJson(stack(), key)).toEqual(stored);
  });

  it('lists, the next day, each record that arrived after its 7-working-day due date, per agency', async () => {
    // Prepare: decided 2026-11-12, due 2026-11-23, arriving today
    await registerAgency(stack(), 'SCJG');
    const report = await ingestFile(
      stack(),
      'SCJG',
      'admin-penalty',
      'late.csv',
      penaltyCsv([{ CF_WSH: 'LATE-1' }]),
    );
    expect(report.counts.late).toBe(1);
    const tomorrow = new Date(Date.now() + 86_400_000);
    const event = JSON.parse(
      readFileSync(new URL('../../../events/deadlines/scheduled.json', import.meta.url), 'utf8'),
    );
    // Act
    const result = (await stack().handlers.deadlines(
      { ...event, time: tomorrow.toISOString() },
      {} as never,
    )) as Record<string, any>;
    // Assess
    expect(result.latePerAgency).toEqual({ SCJG: 1 });
    expect(result.lateRecords).toMatchObject([
      { agencyCode: 'SCJG', documentNumber: 'LATE-1', decisionDate: '2026-11-12', dueDate: '2026-11-23' },
    ]);
    const csvKey = bucketLayout.deadlinesReportKey(result.runDate, 'csv');
    const csvText = await (
      await stack().clients.s3.send(new GetObjectCommand({ Bucket: stack().config.bucketName, Key: csvKey }))
    ).Body!.transformToString('utf8');
    expect(csvText).toContain('SCJG,admin-penalty,');
    expect(csvText).toContain(',LATE-1,2026-11-12,2026-11-23,');
  });
});
