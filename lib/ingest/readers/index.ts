import type { Readable } from 'node:stream';
import { csvRows } from './csv';
import { detectFormat, peek } from './detect';
import { jsonlRows } from './jsonl';
import { FileFormatError, type RowSource } from './types';
import { xlsxRows } from './xlsx';

export { detectFormat, peek } from './detect';
export { type FileFormat, FileFormatError, limits, type RowSource, type SourceRow } from './types';
export { cellText, sheetFromFileName } from './xlsx';

/** Opens a file of any supported format as a row source, the format decided from its first bytes. */
export async function openRowSource(
  body: Readable,
  options: { sheet?: string | undefined } = {},
): Promise<RowSource & { bytes(): number }> {
  const { head, stream, bytesRead } = await peek(body);
  const detection = detectFormat(head);
  if (!detection.ok) {
    body.destroy();
    throw new FileFormatError(detection.code, detection.reason);
  }
  const source =
    detection.format === 'xlsx'
      ? xlsxRows(stream, options)
      : detection.format === 'jsonl'
        ? jsonlRows(stream)
        : csvRows(stream);
  return { ...source, bytes: bytesRead };
}
