import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ObjectBodyMissingError } from './ingest-objects';

/** Reads agency files and writes reports in the data bucket. */
export class ObjectStore {
  constructor(
    private readonly client: S3Client,
    readonly bucketName: string,
  ) {}

  async open(key: string, versionId?: string): Promise<{ body: Readable; size: number | undefined }> {
    const result = await this.client.send(
      new GetObjectCommand({
        Bucket: this.bucketName,
        Key: key,
        ...(versionId ? { VersionId: versionId } : {}),
      }),
    );
    if (!result.Body) throw new ObjectBodyMissingError(`Object ${key} has no body`);
    return { body: result.Body as Readable, size: result.ContentLength };
  }

  async putJson(key: string, value: unknown): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucketName,
        Key: key,
        Body: `${JSON.stringify(value, null, 2)}\n`,
        ContentType: 'application/json; charset=utf-8',
      }),
    );
  }

  async putText(key: string, text: string, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucketName, Key: key, Body: text, ContentType: contentType }),
    );
  }

  async getJson<T>(key: string): Promise<T> {
    const { body } = await this.open(key);
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
  }
}
