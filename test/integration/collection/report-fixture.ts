import { GetObjectCommand } from '@aws-sdk/client-s3';
import { bucketLayout } from '#lib/platform/resources';
import { putIncoming } from '../support/credit-fixtures';
import { type LocalStackHandle, waitFor } from '../support/local-stack';

/**
 * Drops a file and waits for its result report. Unlike credit-fixtures' ingestFile, a report read
 * while the emulator is still writing it (truncated JSON) counts as "not yet" and is read again.
 */
export async function ingestAndReport(
  stack: LocalStackHandle,
  agencyCode: string,
  dataset: string,
  fileName: string,
  body: string | Buffer,
): Promise<Record<string, any>> {
  await putIncoming(stack, agencyCode, dataset, fileName, body);
  const key = bucketLayout.reportKey(agencyCode, dataset, fileName);
  return waitFor(
    async () => {
      try {
        const result = await stack.clients.s3.send(
          new GetObjectCommand({ Bucket: stack.config.bucketName, Key: key }),
        );
        return JSON.parse(await result.Body!.transformToString('utf8')) as Record<string, any>;
      } catch (error) {
        if ((error as { name?: string }).name === 'NoSuchKey' || error instanceof SyntaxError)
          return undefined;
        throw error;
      }
    },
    { timeoutMs: 30_000, what: `the report of ${fileName}` },
  );
}
