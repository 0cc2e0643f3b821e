import { randomBytes } from 'node:crypto';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import type { ObjectCreated, ObjectCreatedOperation, S3Emulator } from './emulators/s3rver';
import { describeError, type LocalLogger } from './log';
import { arnPartition } from './naming';

/**
 * S3 → SQS event notification, as the cloud's bucket notification does it for `incoming/`: each
 * object created under the prefix becomes one message whose body is `{"Records":[<S3 event record>]}`.
 */

/**
 * The object key as S3 writes it into event records: form URL encoding (space → `+`, UTF-8 bytes
 * as upper-case `%XX`, only `A–Z a–z 0–9 . - _ *` kept) with `/` left as it is. Decode with
 * `decodeURIComponent(key.replace(/\+/g, ' '))`.
 */
export function encodeS3EventKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/[!'()~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
        .replace(/%20/g, '+'),
    )
    .join('/');
}

let lastSequencer = 0n;

/** S3's sequencer: hexadecimal, growing for successive events. */
function nextSequencer(): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  lastSequencer = now > lastSequencer ? now : lastSequencer + 1n;
  return lastSequencer.toString(16).toUpperCase().padStart(18, '0');
}

export interface S3EventRecordInput {
  region: string;
  bucket: string;
  key: string;
  size: number;
  eTag: string;
  operation: ObjectCreatedOperation;
  sourceIp: string;
  requestId: string;
  versionId?: string;
  configurationId?: string;
  eventTime?: Date;
}

/** Principal ids as S3 shows them for the local account's IAM user and bucket owner. */
const LOCAL_PRINCIPAL = 'AWS:AIDALOCALSTACKUSER00';
const LOCAL_OWNER = 'A1LOCALBUCKETOWNER';

export function createS3EventRecord(input: S3EventRecordInput): S3EventRecord {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: input.region,
    eventTime: (input.eventTime ?? new Date()).toISOString(),
    eventName: `ObjectCreated:${input.operation}`,
    userIdentity: { principalId: LOCAL_PRINCIPAL },
    requestParameters: { sourceIPAddress: input.sourceIp },
    responseElements: {
      'x-amz-request-id': input.requestId,
      'x-amz-id-2': randomBytes(48).toString('base64'),
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: input.configurationId ?? 'local-ingest-notification',
      bucket: {
        name: input.bucket,
        ownerIdentity: { principalId: LOCAL_OWNER },
        arn: `arn:${arnPartition(input.region)}:s3:::${input.bucket}`,
      },
      object: {
        key: encodeS3EventKey(input.key),
        size: input.size,
        eTag: input.eTag,
        ...(input.versionId ? { versionId: input.versionId } : {}),
        sequencer: nextSequencer(),
      },
    },
  };
}

export interface S3NotificationOptions {
  region: string;
  bucketName: string;
  /** Only keys starting with it are notified (bucketLayout.incomingPrefix). */
  prefix: string;
  queueUrl: string;
  sqs: SQSClient;
  s3: S3Client;
  logger: LocalLogger;
}

export interface S3NotificationForwarder {
  /** Messages sent so far. */
  readonly sent: number;
  /** Resolves when every notification started so far has been sent (or has failed). */
  flush(): Promise<void>;
}

export function forwardObjectCreatedEvents(
  emulator: S3Emulator,
  options: S3NotificationOptions,
): S3NotificationForwarder {
  const pending = new Set<Promise<void>>();
  let sent = 0;

  const send = async (created: ObjectCreated) => {
    let eTag = created.eTag;
    if (!eTag) {
      const head = await options.s3.send(new HeadObjectCommand({ Bucket: created.bucket, Key: created.key }));
      eTag = head.ETag?.replace(/"/g, '') ?? '';
    }
    const event: S3Event = {
      Records: [
        createS3EventRecord({
          region: options.region,
          bucket: created.bucket,
          key: created.key,
          size: created.size,
          eTag,
          operation: created.operation,
          sourceIp: created.sourceIp,
          requestId: created.requestId,
        }),
      ],
    };
    await options.sqs.send(
      new SendMessageCommand({ QueueUrl: options.queueUrl, MessageBody: JSON.stringify(event) }),
    );
    sent += 1;
  };

  emulator.onObjectCreated((created) => {
    if (created.bucket !== options.bucketName || !created.key.startsWith(options.prefix)) return;
    const promise = send(created)
      .catch((error) =>
        options.logger.error(`S3 notification for ${created.key} was not delivered`, describeError(error)),
      )
      .finally(() => pending.delete(promise));
    pending.add(promise);
  });

  return {
    get sent() {
      return sent;
    },
    flush: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
