import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { codes, csv, listEntryHeader, listEntryRow, penaltyCsv } from '#test/support/csv-fixtures';
import {
  ingestFile,
  loadListTypes,
  registerAgency,
  storeOf,
  subjectPartition,
} from '../support/credit-fixtures';
import { useLocalStack, waitFor } from '../support/local-stack';

const stack = useLocalStack();

describe('Path: a 行政处罚 file dropped under incoming/', () => {
  it('stores valid rows, reports invalid rows with row, field, value and reason, and writes the report', async () => {
    // Prepare
    await registerAgency(stack(), 'SCJG');
    const body = penaltyCsv([
      {},
      { CF_WSH: 'B-2', CF_XDR_SHXYM: '91440703MA4W12346X' },
      { CF_WSH: 'B-3', CF_XDR_MC: '' },
    ]);
    // Act
    const report = await ingestFile(stack(), 'SCJG', 'admin-penalty', '2026年11月 处罚.csv', body);
    // Assess
    expect(report).toMatchObject({
      agencyCode: 'SCJG',
      dataset: 'admin-penalty',
      status: 'completed',
      counts: { rows: 3, accepted: 1, rejected: 2, duplicate: 0 },
      source: { key: 'incoming/SCJG/admin-penalty/2026年11月 处罚.csv' },
    });
    expect(report.rejectedRows).toEqual([
      {
        row: 3,
        issues: [
          expect.objectContaining({
            field: 'CF_XDR_SHXYM',
            value: '91440703MA4W12346X',
            code: 'USCC_CHECK_CHARACTER',
          }),
        ],
      },
      {
        row: 4,
        issues: [{ field: 'CF_XDR_MC', value: '', code: 'REQUIRED', reason: '行政相对人名称 is required' }],
      },
    ]);
    const items = await subjectPartition(stack(), `USCC#${codes.companyUscc}`);
    const records = items.filter((item) => item.type === 'admin-penalty');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      agencyCode: 'SCJG',
      record: { documentNumber: '江市监罚〔2026〕118号', fineAmount: 8 },
    });
  });

  it('stores nothing twice when the same S3 event is delivered again', async () => {
    // Prepare: capture the notification S3 sent, as it sits on the ingest queue, by re-reading the job's source
    await registerAgency(stack(), 'SWJ');
    await loadListTypes(stack());
    const body = csv([
      listEntryHeader,
      listEntryRow(),
      listEntryRow({
        主体名称: '王小明',
        主体类别: '自然人',
        统一社会信用代码: '',
        证件号码: codes.personId,
        法定代表人: '',
        法定代表人证件号码: '',
      }),
    ]);
    const first = await ingestFile(stack(), 'SWJ', 'list-entry', 'tax-lists.csv', body);
    expect(first.counts).toMatchObject({ accepted: 2, rejected: 0 });
    const before = await subjectPartition(stack(), `USCC#${codes.companyUscc}`);
    const processedBefore = stack().pollers.ingest.stats.succeeded;

    // Act: the notification delivered a second time (S3 and SQS are at-least-once)
    const notification = {
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: stack().config.region,
          eventTime: first.receivedAt,
          eventName: 'ObjectCreated:Put',
          s3: {
            s3SchemaVersion: '1.0',
            bucket: { name: stack().config.bucketName, arn: `arn:aws:s3:::${stack().config.bucketName}` },
            object: {
              key: 'incoming/SWJ/list-entry/tax-lists.csv',
              eTag: first.source.eTag,
              size: first.source.size,
              ...(first.source.versionId ? { versionId: first.source.versionId } : {}),
            },
          },
        },
      ],
    };
    await stack().clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack().config.queues.ingest.url,
        MessageBody: JSON.stringify(notification),
      }),
    );
    await waitFor(() => stack().pollers.ingest.stats.succeeded > processedBefore, {
      what: 'the redelivery to be processed',
    });

    // Assess
    const after = await subjectPartition(stack(), `USCC#${codes.companyUscc}`);
    expect(after.filter((item) => item.type === 'list-entry')).toHaveLength(1);
    // The match function may add its screening snapshot meanwhile; the stored data must not change.
    const stored = (items: typeof after) =>
      items
        .filter((item) => item.type !== 'screening')
        .map((item) => item.sk)
        .sort();
    expect(stored(after)).toEqual(stored(before));
    const dlq = await stack().clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: stack().config.queues.ingest.dlqUrl, WaitTimeSeconds: 0 }),
    );
    expect(dlq.Messages ?? []).toEqual([]);
  });

  it('rejects a file from an unregistered agency with a report, storing nothing', async () => {
    const report = await ingestFile(
      stack(),
      'NOBODY',
      'admin-penalty',
      'x.csv',
      penaltyCsv([{ CF_WSH: 'N-1' }]),
    );
    expect(report).toMatchObject({
      status: 'rejected',
      fileErrors: [{ code: 'UNKNOWN_AGENCY' }],
      counts: { accepted: 0 },
    });
  });

  it('rejects a dataset the registry does not allow the agency, storing nothing', async () => {
    await storeOf(stack()).putAgency({
      code: 'JTJ',
      name: '江门市交通运输局',
      uscc: codes.agencyUscc,
      datasets: ['admin-penalty'],
    });
    const report = await ingestFile(
      stack(),
      'JTJ',
      'list-entry',
      'x.csv',
      csv([listEntryHeader, listEntryRow()]),
    );
    expect(report).toMatchObject({
      status: 'rejected',
      fileErrors: [{ code: 'DATASET_NOT_ALLOWED' }],
      counts: { accepted: 0 },
    });
  });

  it('rejects an unknown dataset folder with a report', async () => {
    await registerAgency(stack(), 'HBJ');
    const report = await ingestFile(stack(), 'HBJ', 'weather', 'x.csv', 'a,b\n1,2\n');
    expect(report).toMatchObject({ status: 'rejected', fileErrors: [{ code: 'UNKNOWN_DATASET' }] });
  });
});
