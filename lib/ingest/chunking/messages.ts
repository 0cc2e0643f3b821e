import { z } from 'zod';

/** One byte range of a large file, fanned out through the ingest queue to a worker. */
export const chunkMessage = z.object({
  kind: z.literal('ingest-chunk'),
  jobId: z.string(),
  bucket: z.string(),
  key: z.string(),
  versionId: z.string().optional(),
  eTag: z.string().optional(),
  eventTime: z.string(),
  size: z.number().int().nonnegative(),
  /** The header record: bytes [0, headerEnd) of the file, BOM included. */
  headerEnd: z.number().int().nonnegative(),
  encoding: z.enum(['utf-8', 'gb18030']),
  chunk: z.number().int().nonnegative(),
  chunkCount: z.number().int().positive(),
  /** Bytes [start, end) of the file: whole records, cut outside quotes. */
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  /** Spreadsheet row number of the chunk's first record (the header is row 1). */
  firstRow: z.number().int().min(2),
});

export type ChunkMessage = z.infer<typeof chunkMessage>;

/** The chunk message in an SQS body, or undefined when the body is something else (an S3 notification). */
export function chunkMessageIn(body: string): ChunkMessage | undefined {
  if (!body.includes('"ingest-chunk"')) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = chunkMessage.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
