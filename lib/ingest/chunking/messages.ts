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
  /**
   * How the range is read, decided once from the start of the file: a chunk of JSON Lines may begin
   * with a line that is not an object, which must not make it CSV. Absent in messages queued before
   * JSON Lines were chunked, which were all CSV.
   */
  format: z.enum(['csv', 'jsonl']).default('csv'),
  /** CSV: the header record, bytes [0, headerEnd) of the file, BOM included. JSON Lines: 0. */
  headerEnd: z.number().int().nonnegative(),
  encoding: z.enum(['utf-8', 'gb18030']),
  chunk: z.number().int().nonnegative(),
  chunkCount: z.number().int().positive(),
  /** Bytes [start, end) of the file: whole records (CSV: cut outside quotes; JSON Lines: lines). */
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  /**
   * Row number of the chunk's first record: for CSV its spreadsheet row (the header is row 1), for
   * JSON Lines its line.
   */
  firstRow: z.number().int().min(1),
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
