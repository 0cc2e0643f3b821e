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

  async function* lines(): AsyncGenerator<SplitLine> {
    const splitter = new BoundedLineSplitter(limits.maxRecordCharacters);
    for await (const chunk of decoder as AsyncIterable<Buffer | string>) {
      yield* splitter.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    }
    yield* splitter.end();
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

/** A line's number and text; null text for a line longer than the bound, which was not kept. */
interface SplitLine {
  readonly line: number;
  readonly text: string | null;
}

/** Splits streamed text into lines; a line over the bound is dropped as it streams, not held. */
class BoundedLineSplitter {
  private buffer = '';
  private oversized = false;
  private line = 0;

  constructor(private readonly maxCharacters: number) {}

  /** The lines `text` completes; what follows its last newline waits for the next piece. */
  *push(text: string): Generator<SplitLine> {
    let rest = text;
    while (rest.length > 0) {
      const newline = rest.indexOf('\n');
      this.append(newline === -1 ? rest : rest.slice(0, newline));
      if (newline === -1) return;
      rest = rest.slice(newline + 1);
      yield this.take();
    }
  }

  /** The last line, when the text does not end with a newline. */
  *end(): Generator<SplitLine> {
    if (this.buffer !== '' || this.oversized) yield this.take();
  }

  private append(piece: string): void {
    if (this.oversized) return;
    this.buffer += piece;
    if (this.buffer.length <= this.maxCharacters) return;
    this.oversized = true;
    this.buffer = '';
  }

  private take(): SplitLine {
    this.line += 1;
    const split = { line: this.line, text: this.oversized ? null : this.buffer };
    this.buffer = '';
    this.oversized = false;
    return split;
  }
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
  return lineValues(line, entries);
}

/** The object's values as text: strings as received, numbers and booleans as JSON text, null as empty. */
function lineValues(line: number, entries: [string, unknown][]): SourceRow {
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
