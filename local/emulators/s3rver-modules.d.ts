/** The parts of s3rver 3.7 (CommonJS, untyped) that the local stack uses. */
declare module 's3rver' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    serviceEndpoint?: string;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }

  interface S3rverEventRecord {
    eventName: string;
    s3: {
      bucket: { name: string };
      object: { key: string; size?: number; eTag?: string; sequencer: string };
    };
  }

  interface KoaContext {
    method: string;
    /** The request path, percent-encoded as received. */
    path: string;
    headers: Record<string, string | string[] | undefined>;
    query: Record<string, string | string[] | undefined>;
    ip: string;
    set(field: string, value: string): void;
  }

  export type KoaMiddleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

  class S3rver {
    constructor(options?: S3rverOptions);
    middleware: KoaMiddleware[];
    store: {
      /** The object's metadata (etag quoted); rejects with code ENOENT when there is no such object. */
      getMetadata(bucket: string, key: string): Promise<Record<string, string | number | undefined>>;
    };
    logger: { exceptions: { unhandle(): void }; close(): void };
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    configureBuckets(): Promise<void>;
    on(event: 'event', listener: (event: { Records: S3rverEventRecord[] }) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
  }

  export default S3rver;
}

declare module 's3rver/lib/models/account.js' {
  interface AWSAccount {
    createKeyPair(accessKeyId: string, secretAccessKey: string): void;
  }
  const account: {
    registry: Map<string, AWSAccount>;
    DUMMY_ACCOUNT: AWSAccount;
  };
  export = account;
}

declare module 's3rver/lib/models/error.js' {
  class S3Error extends Error {
    constructor(code: string, message: string, detail?: Record<string, string>);
  }
  export = S3Error;
}
