import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import {
  type ObjectVersion,
  type ObjectWriter,
  SourceChangedError,
  type SourceObjects,
} from '../ingest/ports';

export class ObjectBodyMissingError extends Error {
  override name = 'ObjectBodyMissingError';
}

/**
 * Pins a read to one version: its VersionId (a versioned bucket keeps the version after an
 * overwrite) and If-Match on its ETag (S3 events carry it unquoted; the header wants it quoted), so
 * that an unversioned bucket answers 412 rather than the newer bytes.
 */
function versionOf(version: ObjectVersion | undefined): { VersionId?: string; IfMatch?: string } {
  return {
    ...(version?.versionId ? { VersionId: version.versionId } : {}),
    ...(version?.eTag ? { IfMatch: version.eTag.startsWith('"') ? version.eTag : `"${version.eTag}"` } : {}),
  };
}

/** 412 (If-Match failed) or a version that is gone: the pinned version is no longer readable. */
function pinnedVersionGone(error: unknown): boolean {
  const failure = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    failure?.$metadata?.httpStatusCode === 412 ||
    failure?.name === 'PreconditionFailed' ||
    failure?.name === 'NoSuchVersion'
  );
}

async function pinned<T>(
  key: string,
  version: ObjectVersion | undefined,
  read: () => Promise<T>,
): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (version && pinnedVersionGone(error)) throw new SourceChangedError(key, version);
    throw error;
  }
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
    const result = await pinned(key, version, () =>
      this.client.send(new HeadObjectCommand({ Bucket: this.bucketName, Key: key, ...versionOf(version) })),
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
    const result = await pinned(key, version, () =>
      this.client.send(
        new GetObjectCommand({
          Bucket: this.bucketName,
          Key: key,
          ...(range ? { Range: range } : {}),
          ...versionOf(version),
        }),
      ),
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

  createWriter(key: string, contentType: string): ObjectWriter {
    return new S3ObjectWriter(this.client, this.bucketName, key, contentType);
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

/** S3's smallest part but the last: parts are buffered to this size before they are sent. */
export const MULTIPART_PART_BYTES = 5 * 1024 * 1024;

/**
 * An object written part by part: the bytes are buffered up to one part (5 MiB) and sent with
 * UploadPart; an object smaller than one part is sent with one PutObject when it is closed.
 */
export class S3ObjectWriter implements ObjectWriter {
  #buffered: Buffer[] = [];
  #bufferedBytes = 0;
  #uploadId: string | undefined;
  readonly #parts: { ETag: string; PartNumber: number }[] = [];

  constructor(
    private readonly client: S3Client,
    private readonly bucketName: string,
    private readonly key: string,
    private readonly contentType: string,
    private readonly partBytes = MULTIPART_PART_BYTES,
  ) {}

  async write(bytes: Buffer): Promise<void> {
    this.#buffered.push(bytes);
    this.#bufferedBytes += bytes.length;
    if (this.#bufferedBytes >= this.partBytes) await this.#sendPart();
  }

  async #sendPart(): Promise<void> {
    const body = Buffer.concat(this.#buffered);
    this.#buffered = [];
    this.#bufferedBytes = 0;
    if (!this.#uploadId) {
      const created = await this.client.send(
        new CreateMultipartUploadCommand({
          Bucket: this.bucketName,
          Key: this.key,
          ContentType: this.contentType,
        }),
      );
      this.#uploadId = created.UploadId;
    }
    const PartNumber = this.#parts.length + 1;
    const part = await this.client.send(
      new UploadPartCommand({
        Bucket: this.bucketName,
        Key: this.key,
        UploadId: this.#uploadId,
        PartNumber,
        Body: body,
        ContentLength: body.length,
      }),
    );
    this.#parts.push({ ETag: part.ETag ?? '', PartNumber });
  }

  async close(): Promise<void> {
    if (!this.#uploadId) {
      const body = Buffer.concat(this.#buffered);
      this.#buffered = [];
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucketName,
          Key: this.key,
          Body: body,
          ContentLength: body.length,
          ContentType: this.contentType,
        }),
      );
      return;
    }
    if (this.#bufferedBytes > 0) await this.#sendPart();
    await this.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.bucketName,
        Key: this.key,
        UploadId: this.#uploadId,
        MultipartUpload: { Parts: this.#parts },
      }),
    );
  }

  async abort(): Promise<void> {
    this.#buffered = [];
    if (!this.#uploadId) return;
    // Best effort: an upload never completed is never visible, and an abort that fails (s3rver has
    // no AbortMultipartUpload) must not hide the error that made the caller abort; the parts left
    // behind are removed by the bucket's abort-incomplete-multipart-upload lifecycle rule.
    await this.client
      .send(
        new AbortMultipartUploadCommand({ Bucket: this.bucketName, Key: this.key, UploadId: this.#uploadId }),
      )
      .catch(() => undefined);
  }
}
