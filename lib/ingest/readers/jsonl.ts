import type { Readable } from 'node:stream';
import { DecodeToText } from '../decode';
import { limits, type RowSource, type SourceRow } from './types';

/**
 * JSON Lines: one object per line, keys being field codes, Chinese names or English aliases. Strings
 * are taken as received, numbers and booleans as their JSON text, null as empty. A line that is not a
 * JSON object, or is longer than the bound, becomes an error row; the next line is read as usual.
 * Lines are split while streaming, so an oversized line is skipped without being held in memory.
 */
export function jsonlRows(body: Readable): RowSource {
  const decoder = new DecodeToText();
  body.on('error', (error) => decoder.destroy(error));
  body.pipe(decoder);

  async function* lines(): AsyncGenerator<{ line: number; text: string | null }> {
    let buffer = '';
    let oversized = false;
    let line = 0;
    for await (const chunk of decoder as AsyncIterable<Buffer | string>) {
      let text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      while (text.length > 0) {
        const newline = text.indexOf('\n');
        const piece = newline === -1 ? text : text.slice(0, newline);
        text = newline === -1 ? '' : text.slice(newline + 1);
        if (!oversized) {
          buffer += piece;
          if (buffer.length > limits.maxRecordCharacters) {
            oversized = true;
            buffer = '';
          }
        }
        if (newline === -1) break;
        line += 1;
        yield { line, text: oversized ? null : buffer };
        buffer = '';
        oversized = false;
      }
    }
    if (buffer !== '' || oversized) {
      line += 1;
      yield { line, text: oversized ? null : buffer };
    }
  }

  async function* rows(): AsyncGenerator<SourceRow> {
    for await (const { line, text } of lines()) {
      if (text === null) {
        yield {
          kind: 'error',
          row: line,
          code: 'RECORD_TOO_LONG',
          reason: `line ${line} is longer than ${limits.maxRecordCharacters} characters and was not read`,
        };
        continue;
      }
      const trimmed = text.replace(/^\uFEFF/, '').trim();
      if (trimmed === '') continue;
      yield parseLine(line, trimmed);
    }
  }

  return { format: 'jsonl', encoding: () => decoder.encoding, rows: rows() };
}

function parseLine(line: number, text: string): SourceRow {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return {
      kind: 'error',
      row: line,
      code: 'JSON_SYNTAX',
      reason: `line ${line} is not valid JSON: ${(error as Error).message}`,
    };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { kind: 'error', row: line, code: 'JSON_NOT_OBJECT', reason: `line ${line} is not a JSON object` };
  }
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length > limits.maxColumns) {
    return {
      kind: 'error',
      row: line,
      code: 'TOO_MANY_COLUMNS',
      reason: `line ${line} has ${entries.length} keys; at most ${limits.maxColumns} allowed`,
    };
  }
  const values: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (value === null || value === undefined) values[key] = '';
    else if (typeof value === 'string') values[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') values[key] = String(value);
    else {
      return {
        kind: 'error',
        row: line,
        code: 'JSON_VALUE',
        reason: `line ${line}: the value of "${key}" is an ${Array.isArray(value) ? 'array' : 'object'}; give text (several values joined by ";")`,
      };
    }
  }
  return { kind: 'object', row: line, values };
}
