import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { S3Event, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { bucketLayout } from '#lib/platform/resources';
import { encodeS3EventKey } from '#local/s3-notifications';
import { capturingSqsHandler, useLocalStack, waitFor } from '../support/local-stack';

const ingest = capturingSqsHandler();

function s3RecordOf(record: SQSRecord) {
  const event = JSON.parse(record.body) as S3Event;
  expect(event.Records).toHaveLength(1);
  return event.Records[0]!;
}

function decodeKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

async function notificationFor(key: string) {
  const record = await waitFor(
    () => ingest.records.find((candidate) => s3RecordOf(candidate).s3.object.key === encodeS3EventKey(key)),
    {
      what: `the notification for ${key}`,
    },
  );
  return { sqsRecord: record, s3Record: s3RecordOf(record) };
}

describe('Local stack: S3 → ingest queue notifications', () => {
  const stack = useLocalStack({ handlers: { ingest: ingest.handler } });

  describe('Function: encodeS3EventKey', () => {
    it('encodes like S3 event records: form encoding, space as +, slashes kept', () => {
      expect(encodeS3EventKey('incoming/A1/subjects/红 名单.csv')).toBe(
        'incoming/A1/subjects/%E7%BA%A2+%E5%90%8D%E5%8D%95.csv',
      );
      expect(encodeS3EventKey('a+b c/d(1)~!*_-.csv')).toBe('a%2Bb+c/d%281%29%7E%21*_-.csv');
    });
  });

  describe('Event: ObjectCreated:Put', () => {
    it('sends an S3 event record of the real shape, with the key URL-encoded, to the ingest queue', async () => {
      // Prepare
      const key = bucketLayout.incomingKey('A1000001', 'subjects', '2024 年度 失信名单 (1).csv');
      const body = 'uscc,name\n91110000100000000X,某公司\n';

      // Act
      await stack().clients.s3.send(
        new PutObjectCommand({ Bucket: stack().config.bucketName, Key: key, Body: body }),
      );
      const { sqsRecord, s3Record } = await notificationFor(key);

      // Assess
      expect(sqsRecord).toMatchObject({
        eventSource: 'aws:sqs',
        eventSourceARN: stack().queues.ingest.arn,
        awsRegion: stack().config.region,
      });
      expect(sqsRecord.attributes.ApproximateReceiveCount).toBe('1');
      expect(sqsRecord.md5OfBody).toBe(createHash('md5').update(sqsRecord.body).digest('hex'));
      expect(s3Record).toMatchObject({
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: stack().config.region,
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: expect.any(String) },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': expect.any(String), 'x-amz-id-2': expect.any(String) },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: expect.any(String),
          bucket: {
            name: stack().config.bucketName,
            ownerIdentity: { principalId: expect.any(String) },
            arn: `arn:aws-cn:s3:::${stack().config.bucketName}`,
          },
          object: {
            key: 'incoming/A1000001/subjects/2024+%E5%B9%B4%E5%BA%A6+%E5%A4%B1%E4%BF%A1%E5%90%8D%E5%8D%95+%281%29.csv',
            size: Buffer.byteLength(body),
            eTag: createHash('md5').update(body).digest('hex'),
            sequencer: expect.stringMatching(/^[0-9A-F]+$/),
          },
        },
      });
      expect(new Date(s3Record.eventTime).toISOString()).toBe(s3Record.eventTime);
      const stored = await stack().clients.s3.send(
        new GetObjectCommand({ Bucket: s3Record.s3.bucket.name, Key: decodeKey(s3Record.s3.object.key) }),
      );
      expect(await stored.Body?.transformToString()).toBe(body);
    });

    it('stores a streamed upload intact (clients from the factory avoid the s3rver checksum corruption)', async () => {
      // Prepare
      const key = bucketLayout.incomingKey('A1000001', 'subjects', 'streamed.csv');
      const content = Buffer.from('x'.repeat(200_000));

      // Act
      await stack().clients.s3.send(
        new PutObjectCommand({
          Bucket: stack().config.bucketName,
          Key: key,
          Body: Readable.from([content.subarray(0, 100_000), content.subarray(100_000)]),
          ContentLength: content.length,
        }),
      );
      const { s3Record } = await notificationFor(key);

      // Assess
      expect(s3Record.s3.object.size).toBe(content.length);
      const stored = await stack().clients.s3.send(
        new GetObjectCommand({ Bucket: stack().config.bucketName, Key: key }),
      );
      expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(content)).toBe(true);
    });

    it('sends nothing for keys outside incoming/', async () => {
      // Prepare
      const outside = bucketLayout.reportKey('A1000001', 'subjects', 'x.csv');
      const inside = bucketLayout.incomingKey('A1000001', 'subjects', 'after-report.csv');

      // Act
      await stack().clients.s3.send(
        new PutObjectCommand({ Bucket: stack().config.bucketName, Key: outside, Body: '{}' }),
      );
      await stack().clients.s3.send(
        new PutObjectCommand({ Bucket: stack().config.bucketName, Key: inside, Body: 'a' }),
      );
      await notificationFor(inside);
      await stack().s3Notifications.flush();

      // Assess
      expect(ingest.records.map((record) => decodeKey(s3RecordOf(record).s3.object.key))).not.toContain(
        outside,
      );
    });
  });

  describe('Event: ObjectCreated:CompleteMultipartUpload', () => {
    it('names multipart uploads as S3 does', async () => {
      // Prepare
      const { bucketName } = stack().config;
      const key = bucketLayout.incomingKey('A1000001', 'records', 'multipart.csv');
      const parts = [Buffer.alloc(5 * 1024 * 1024, 'a'), Buffer.from('tail')];
      const { UploadId } = await stack().clients.s3.send(
        new CreateMultipartUploadCommand({ Bucket: bucketName, Key: key }),
      );

      // Act
      const uploaded = [];
      for (const [index, part] of parts.entries()) {
        const result = await stack().clients.s3.send(
          new UploadPartCommand({
            Bucket: bucketName,
            Key: key,
            UploadId,
            PartNumber: index + 1,
            Body: part,
          }),
        );
        uploaded.push({ ETag: result.ETag, PartNumber: index + 1 });
      }
      await stack().clients.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucketName,
          Key: key,
          UploadId,
          MultipartUpload: { Parts: uploaded },
        }),
      );
      const { s3Record } = await notificationFor(key);

      // Assess
      expect(s3Record.eventName).toBe('ObjectCreated:CompleteMultipartUpload');
      expect(s3Record.s3.object.size).toBe(parts[0]!.length + parts[1]!.length);
    });
  });

  describe('Event: ObjectCreated:Copy', () => {
    it('names copies as S3 does, with the eTag', async () => {
      // Prepare
      const { bucketName } = stack().config;
      await stack().clients.s3.send(
        new PutObjectCommand({ Bucket: bucketName, Key: 'staging/source.csv', Body: 'copied' }),
      );
      const key = bucketLayout.incomingKey('A1000001', 'subjects', 'copied.csv');

      // Act
      await stack().clients.s3.send(
        new CopyObjectCommand({
          Bucket: bucketName,
          Key: key,
          CopySource: `${bucketName}/staging/source.csv`,
        }),
      );
      const { s3Record } = await notificationFor(key);

      // Assess
      expect(s3Record.eventName).toBe('ObjectCreated:Copy');
      expect(s3Record.s3.object.eTag).toBe(createHash('md5').update('copied').digest('hex'));
      expect(s3Record.s3.object.size).toBe(6);
    });
  });
});
