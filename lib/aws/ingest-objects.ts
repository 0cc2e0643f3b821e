import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * The S3 operations of chunked ingestion that ObjectStore does not have: HEAD, ranged reads of one
 * object version, and a streamed PUT of known length (the rejected-rows CSV, assembled chunk by
 * chunk without holding it in memory).
 */
export class IngestObjects {
  constructor(
    private readonly client: S3Client,
    readonly bucketName: string,
  ) {}

  async head(key: string, versionId?: string): Promise<{ size: number; eTag?: string }> {
    const result = await this.client.send(
      new HeadObjectCommand({
        Bucket: this.bucketName,
        Key: key,
        ...(versionId ? { VersionId: versionId } : {}),
      }),
    );
    return { size: result.ContentLength ?? 0, ...(result.ETag ? { eTag: result.ETag } : {}) };
  }

  /** Bytes [start, end) of one object version, streamed. An empty range is an empty stream. */
  async openRange(key: string, versionId: string | undefined, start: number, end: number): Promise<Readable> {
    if (end <= start) return Readable.from([]);
    const result = await this.client.send(
      new GetObjectCommand({
        Bucket: this.bucketName,
        Key: key,
        Range: `bytes=${start}-${end - 1}`,
        ...(versionId ? { VersionId: versionId } : {}),
      }),
    );
    if (!result.Body) throw new Error(`Object ${key} has no body`);
    return result.Body as Readable;
  }

  async open(key: string, versionId?: string): Promise<Readable> {
    const result = await this.client.send(
      new GetObjectCommand({
        Bucket: this.bucketName,
        Key: key,
        ...(versionId ? { VersionId: versionId } : {}),
      }),
    );
    if (!result.Body) throw new Error(`Object ${key} has no body`);
    return result.Body as Readable;
  }

  async readRange(key: string, versionId: string | undefined, start: number, end: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.openRange(key, versionId, start, end)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async readAll(key: string, versionId?: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.open(key, versionId)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** Writes an object from parts produced one after another; contentLength must be their total byte length. */
  async putStream(
    key: string,
    parts: AsyncIterable<Buffer>,
    contentLength: number,
    contentType: string,
  ): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucketName,
        Key: key,
        Body: Readable.from(parts),
        ContentLength: contentLength,
        ContentType: contentType,
      }),
    );
  }
}
