import { z } from 'zod';
import type { ObjectCreated } from './ingest-object';
import { decodeS3EventKey } from './object-key';

const s3EventRecord = z.object({
  eventName: z.string(),
  eventTime: z.string(),
  s3: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({
      key: z.string(),
      size: z.number().optional(),
      eTag: z.string().optional(),
      versionId: z.string().optional(),
    }),
  }),
});

const s3Notification = z.union([
  z.object({ Records: z.array(s3EventRecord) }),
  // S3 sends this once when a notification is configured; there is nothing to ingest.
  z.object({ Event: z.literal('s3:TestEvent') }),
]);

export class MalformedS3NotificationError extends Error {
  override name = 'MalformedS3NotificationError';
}

/** The objects created according to one S3 → SQS notification body. */
export function objectsCreatedIn(body: string): ObjectCreated[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new MalformedS3NotificationError('message body is not JSON');
  }
  const parsed = s3Notification.safeParse(json);
  if (!parsed.success)
    throw new MalformedS3NotificationError(`not an S3 notification: ${parsed.error.message}`);
  if (!('Records' in parsed.data)) return [];
  return parsed.data.Records.filter((record) => record.eventName.startsWith('ObjectCreated:')).map(
    (record) => ({
      bucket: record.s3.bucket.name,
      key: decodeS3EventKey(record.s3.object.key),
      eventTime: record.eventTime,
      ...(record.s3.object.versionId ? { versionId: record.s3.object.versionId } : {}),
      ...(record.s3.object.eTag ? { eTag: record.s3.object.eTag } : {}),
      ...(record.s3.object.size !== undefined ? { size: record.s3.object.size } : {}),
    }),
  );
}
