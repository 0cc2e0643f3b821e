import { GetObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { IngestObjects } from '#lib/aws/ingest-objects';
import { useLocalStack } from '../support/local-stack';

const stack = useLocalStack({ startPollers: false });

async function bytesOf(key: string): Promise<Buffer> {
  const result = await stack().clients.s3.send(
    new GetObjectCommand({ Bucket: stack().config.bucketName, Key: key }),
  );
  return Buffer.from(await result.Body!.transformToByteArray());
}

describe('Class: S3ObjectWriter (through IngestObjects.createWriter)', () => {
  it('writes an object larger than one part as a multipart upload, byte for byte', async () => {
    // Prepare: 12 MiB in 64 KiB writes, each write distinct
    const files = new IngestObjects(stack().clients.s3, stack().config.bucketName);
    const writer = files.createWriter('reports/TEST/big.rejected.csv', 'text/csv; charset=utf-8');
    const written: Buffer[] = [];
    // Act
    for (let n = 0; n < 192; n += 1) {
      const piece = Buffer.alloc(64 * 1024, n % 251);
      written.push(piece);
      await writer.write(piece);
    }
    await writer.close();
    // Assess
    expect((await bytesOf('reports/TEST/big.rejected.csv')).equals(Buffer.concat(written))).toBe(true);
  });

  it('writes a small object with one PUT, and an aborted one leaves nothing', async () => {
    // Prepare
    const files = new IngestObjects(stack().clients.s3, stack().config.bucketName);
    const small = files.createWriter('reports/TEST/small.csv', 'text/csv; charset=utf-8');
    const aborted = files.createWriter('reports/TEST/aborted.csv', 'text/csv; charset=utf-8');
    // Act
    await small.write(Buffer.from('a,b\r\n'));
    await small.close();
    await aborted.write(Buffer.alloc(6 * 1024 * 1024, 1));
    await aborted.abort();
    // Assess
    expect((await bytesOf('reports/TEST/small.csv')).toString()).toBe('a,b\r\n');
    await expect(bytesOf('reports/TEST/aborted.csv')).rejects.toMatchObject({ name: 'NoSuchKey' });
  });
});
