import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import S3rver, { type KoaMiddleware } from 's3rver';
import { asPortError } from './ports';

/**
 * s3rver 3.7 on 127.0.0.1, in our own http server (its `run()` turns EADDRINUSE into an uncaught
 * error). Three fixes make it behave like S3 for this project:
 * - any access key is accepted (s3rver only knows `S3RVER`; signatures v4 are not verified anyway);
 * - path-style only, so a host name is never mistaken for a bucket;
 * - every response carries an `x-amz-request-id`, and object-created events are reported with the
 *   operation that really created the object (s3rver reports CompleteMultipartUpload as `Post` and
 *   leaves the eTag out of copies);
 * - `If-Match` on GET and HEAD of an object is honoured (s3rver ignores it): another ETag is answered
 *   with S3's 412 PreconditionFailed, ranged reads included, so a read pinned to the version a job
 *   started from fails when the object was overwritten.
 *
 * Uploads must come from clients made by lib/aws/clients.ts: with the SDK's default checksum mode,
 * s3rver silently stores streamed uploads corrupted.
 */
export type ObjectCreatedOperation = 'Put' | 'Post' | 'Copy' | 'CompleteMultipartUpload';

export interface ObjectCreated {
  bucket: string;
  /** The key as stored (not URL-encoded). */
  key: string;
  size: number;
  /** Without quotes; undefined for copies (s3rver does not report it). */
  eTag?: string;
  operation: ObjectCreatedOperation;
  sourceIp: string;
  requestId: string;
}

export interface S3Emulator {
  readonly endpoint: string;
  readonly port: number;
  readonly directory: string;
  onObjectCreated(listener: (created: ObjectCreated) => void): void;
  stop(): Promise<void>;
}

export interface S3EmulatorOptions {
  port: number;
  directory: string;
  /** s3rver's own request log. */
  verbose?: boolean;
}

interface RequestInfo {
  method: string;
  uploadId: boolean;
  requestId: string;
  sourceIp: string;
}

let anyAccessKeyAccepted = false;

/** Query parameters that make a GET/HEAD on an object path another operation than reading the object. */
const objectSubresources = [
  'acl',
  'tagging',
  'legal-hold',
  'retention',
  'torrent',
  'uploadId',
  'uploads',
  'select',
];

/** Entity tags of an If-Match header, without quotes or weak prefixes. */
function entityTags(header: string): string[] {
  return header.split(',').map((tag) => tag.trim().replace(/^W\//, '').replace(/"/g, ''));
}

/** Bucket and key of a path-style object path, or undefined for the service or a bucket. */
function objectOfPath(path: string): { bucket: string; key: string } | undefined {
  const [, bucket, ...rest] = path.split('/');
  const key = rest.join('/');
  if (!bucket || !key) return undefined;
  try {
    return { bucket: decodeURIComponent(bucket), key: decodeURIComponent(key) };
  } catch {
    return undefined;
  }
}

/**
 * S3's If-Match on reads: 412 PreconditionFailed unless the object's current ETag is one of the
 * tags (or `*`). A missing object falls through to s3rver, which answers NoSuchKey.
 */
function honourIfMatch(s3rver: S3rver): KoaMiddleware {
  const require = createRequire(import.meta.url);
  const S3Error = require('s3rver/lib/models/error.js') as typeof import('s3rver/lib/models/error.js');
  return async (ctx, next) => {
    const header = ctx.headers['if-match'];
    const object = objectOfPath(ctx.path);
    const read = ctx.method === 'GET' || ctx.method === 'HEAD';
    if (
      typeof header !== 'string' ||
      !read ||
      !object ||
      objectSubresources.some((name) => name in ctx.query)
    )
      return next();
    const metadata = await s3rver.store.getMetadata(object.bucket, object.key).catch(() => undefined);
    const current = String(metadata?.etag ?? '').replace(/"/g, '');
    const tags = entityTags(header);
    if (metadata && !tags.includes('*') && !tags.includes(current))
      throw new S3Error(
        'PreconditionFailed',
        'At least one of the pre-conditions you specified did not hold',
        {
          Condition: 'If-Match',
        },
      );
    return next();
  };
}

/** s3rver rejects every access key but `S3RVER`: answer every other key with its dummy account. */
function acceptAnyAccessKey(): void {
  if (anyAccessKeyAccepted) return;
  const require = createRequire(import.meta.url);
  const account = require('s3rver/lib/models/account.js') as typeof import('s3rver/lib/models/account.js');
  const registry = account.registry;
  const get = registry.get.bind(registry);
  registry.get = (accessKeyId: string) => get(accessKeyId) ?? account.DUMMY_ACCOUNT;
  anyAccessKeyAccepted = true;
}

export async function startS3Emulator(options: S3EmulatorOptions): Promise<S3Emulator> {
  acceptAnyAccessKey();
  await mkdir(options.directory, { recursive: true });
  const s3rver = new S3rver({
    directory: options.directory,
    silent: !options.verbose,
    allowMismatchedSignatures: true,
    vhostBuckets: false,
  });
  const requests = new AsyncLocalStorage<RequestInfo>();
  // Runs first: S3's request id on every response, and the request kept for the event listener
  // (s3rver emits its events synchronously inside the request's async context).
  s3rver.middleware.unshift(async (ctx, next) => {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    ctx.set('x-amz-request-id', requestId);
    const sourceIp = ctx.ip.replace(/^::ffff:/, '');
    await requests.run(
      { method: ctx.method, uploadId: ctx.query.uploadId !== undefined, requestId, sourceIp },
      next,
    );
  });
  s3rver.middleware.splice(1, 0, honourIfMatch(s3rver));
  s3rver.on('error', () => {
    // Request errors are answered as S3 XML errors; Koa would also print them to stderr.
  });

  const listeners: ((created: ObjectCreated) => void)[] = [];
  s3rver.on('event', (event) => {
    const request = requests.getStore();
    for (const record of event.Records) {
      const kind = record.eventName.split(':')[1];
      if (!record.eventName.startsWith('ObjectCreated:') || !kind) continue;
      const operation: ObjectCreatedOperation =
        kind === 'Post' && request?.uploadId ? 'CompleteMultipartUpload' : (kind as ObjectCreatedOperation);
      const created: ObjectCreated = {
        bucket: record.s3.bucket.name,
        key: record.s3.object.key,
        size: Number(record.s3.object.size ?? 0),
        eTag: record.s3.object.eTag?.replace(/"/g, ''),
        operation,
        sourceIp: request?.sourceIp ?? '127.0.0.1',
        requestId: request?.requestId ?? randomBytes(8).toString('hex').toUpperCase(),
      };
      for (const listener of listeners) listener(created);
    }
  });

  const server: Server = createServer(s3rver.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(asPortError('s3', options.port, error)));
    server.listen({ port: options.port, host: '127.0.0.1', exclusive: true }, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;

  let stopped = false;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    directory: options.directory,
    onObjectCreated: (listener) => {
      listeners.push(listener);
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      s3rver.logger.exceptions.unhandle();
      s3rver.logger.close();
    },
  };
}
