/**
 * Where the command-line tools (upload, admin) send their requests:
 *   1. `--stack <path>` or STACK_FILE: the stack.json of a running local stack (tests point it at a
 *      temporary file written from their own stack);
 *   2. TABLE_NAME (and BUCKET_NAME for uploads) set: AWS, with the usual credentials and region;
 *   3. otherwise the running local stack's .local/stack.json (npm start).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createS3Client } from '#lib/aws/clients';
import { env } from '#lib/platform/resources';
import { NoRunningStackError, readRunningStack, stackFilePath } from '#local/cli/running-stack';

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface StackTarget {
  readonly documentClient: DynamoDBDocumentClient;
  readonly s3: S3Client;
  readonly tableName: string;
  /** Empty when the target was given by TABLE_NAME alone (admin against AWS). */
  readonly bucketName: string;
  /** The S3 endpoint of a local stack (path-style URLs); undefined in AWS. */
  readonly s3Endpoint?: string;
  /** The local stack's API server (its gateway and ops routes); undefined in AWS. */
  readonly apiBaseUrl?: string;
  /** For messages: "the local stack (…/stack.json)" or "AWS". */
  readonly description: string;
  destroy(): void;
}

export async function resolveTarget(options: { stack?: string; needBucket: boolean }): Promise<StackTarget> {
  const stackFile = options.stack ?? process.env.STACK_FILE;
  if (!stackFile && process.env[env.tableName]) {
    const bucketName = process.env[env.bucketName] ?? '';
    if (options.needBucket && !bucketName)
      throw new UsageError(`set ${env.bucketName} as well as ${env.tableName} to upload to AWS`);
    const documentClient = createDocumentClient();
    const s3 = createS3Client();
    return {
      documentClient,
      s3,
      tableName: process.env[env.tableName]!,
      bucketName,
      description: 'AWS',
      destroy: () => {
        documentClient.destroy();
        s3.destroy();
      },
    };
  }
  const { stack, path } = await runningLocalStack(
    stackFile,
    `set ${env.tableName}/${env.bucketName} to use AWS`,
  );
  const endpoints = { ...stack.endpoints, region: stack.region };
  const documentClient = createDocumentClient(endpoints);
  const s3 = createS3Client(endpoints);
  return {
    documentClient,
    s3,
    tableName: stack.tableName,
    bucketName: stack.bucketName,
    s3Endpoint: stack.endpoints.s3,
    apiBaseUrl: stack.apiBaseUrl,
    description: `the local stack (${path})`,
    destroy: () => {
      documentClient.destroy();
      s3.destroy();
    },
  };
}

/**
 * The running local stack (its stack file), with the placeholder credentials its emulators accept
 * (without some the SDK would search for real ones). Without one: a usage error naming `awsHint`.
 */
export async function runningLocalStack(stackFile: string | undefined, awsHint: string) {
  const path = stackFile ?? stackFilePath;
  try {
    const stack = await readRunningStack(path);
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
    return { stack, path };
  } catch (error) {
    if (error instanceof NoRunningStackError) throw new UsageError(`${error.message} (or ${awsHint})`);
    throw error;
  }
}
