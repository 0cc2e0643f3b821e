import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ObjectVersion, SourceObjects } from '../ingest/ports';

export class ObjectBodyMissingError extends Error {
  override name = 'ObjectBodyMissingError';
}

function versionOf(version: ObjectVersion | undefined): { VersionId?: string } {
  return version?.versionId ? { VersionId: version.versionId } : {};
}

/**
 * The S3 operations of ingestion: HEAD, whole and ranged reads of one object version, and a
 * streamed PUT of known length (the rejected-rows CSV, assembled chunk by chunk without holding it
 * in memory).
 */
export class IngestObjects implements SourceObjects {
  constructor(
    private readonly client: S3Client,
    readonly bucketName: string,
  ) {}

  async head(key: string, version?: ObjectVersion): Promise<{ size: number; eTag?: string }> {
    const result = await this.client.send(
      new HeadObjectCommand({ Bucket: this.bucketName, Key: key, ...versionOf(version) }),
    );
    return { size: result.ContentLength ?? 0, ...(result.ETag ? { eTag: result.ETag } : {}) };
  }

  /** Bytes [start, end) of one object version, streamed. An empty range is an empty stream. */
  async openRange(
    key: string,
    version: ObjectVersion | undefined,
    start: number,
    end: number,
  ): Promise<Readable> {
    if (end <= start) return Readable.from([]);
    return this.get(key, version, `bytes=${start}-${end - 1}`);
  }

  async open(key: string, version?: ObjectVersion): Promise<Readable> {
    return this.get(key, version);
  }

  private async get(key: string, version: ObjectVersion | undefined, range?: string): Promise<Readable> {
    const result = await this.client.send(
      new GetObjectCommand({
        Bucket: this.bucketName,
        Key: key,
        ...(range ? { Range: range } : {}),
        ...versionOf(version),
      }),
    );
    if (!result.Body) throw new ObjectBodyMissingError(`Object ${key} has no body`);
    return result.Body as Readable;
  }

  async readRange(
    key: string,
    version: ObjectVersion | undefined,
    start: number,
    end: number,
  ): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.openRange(key, version, start, end)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async readAll(key: string, version?: ObjectVersion): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.open(key, version)) chunks.push(chunk as Buffer);
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
