import { describe, expect, it } from 'vitest';
import { crossChunkDuplicates, KeyDigests } from '#lib/ingest/chunking/key-digests';
import { rejectedCsvFragment, rejectedCsvHead, rejectedRowsCsv } from '#lib/ingest/chunking/rejected-csv';
import { WritePipeline } from '#lib/ingest/chunking/write-pipeline';
import type { AcceptedRow } from '#lib/ingest/ingest-file';

const row = (n: number, businessKey: string, late = false) => ({ row: n, businessKey, late }) as AcceptedRow;

function digestsOf(rows: AcceptedRow[]): Buffer {
  const keys = new KeyDigests();
  keys.add(rows);
  return Buffer.from(keys.toBase64(), 'base64');
}

describe('Function: crossChunkDuplicates', () => {
  it('keeps the lowest row of a business key as the original, whichever chunk finished first', () => {
    // Prepare: key A in chunks 0, 1 and 2; key B only in chunk 1
    const chunks = [
      { chunk: 2, keys: digestsOf([row(30, 'A', true)]) },
      { chunk: 0, keys: digestsOf([row(3, 'A'), row(4, 'C')]) },
      { chunk: 1, keys: digestsOf([row(12, 'B'), row(15, 'A')]) },
    ];
    // Act
    const { duplicates, originals } = crossChunkDuplicates(chunks);
    // Assess
    expect(duplicates).toEqual([
      { row: 15, duplicateOf: 3, late: false, chunk: 1 },
      { row: 30, duplicateOf: 3, late: true, chunk: 2 },
    ]);
    expect([...originals]).toEqual([[0, new Set([3])]]);
  });

  it('finds nothing when every key is accepted once', () => {
    const { duplicates, originals } = crossChunkDuplicates([
      { chunk: 0, keys: digestsOf([row(2, 'A')]) },
      { chunk: 1, keys: digestsOf([row(9, 'B')]) },
    ]);
    expect(duplicates).toEqual([]);
    expect(originals.size).toBe(0);
  });
});

describe('Function: rejected-rows CSV', () => {
  it('writes one line per problem, UTF-8 BOM first, formula cells neutralised, and assembles from fragments', () => {
    // Prepare
    const rejected = [
      {
        row: 3,
        issues: [{ field: 'CF_XDR_SHXYM', value: '=cmd|"/c calc"!A1', code: 'USCC_LENGTH', reason: 'bad' }],
      },
      {
        row: 9,
        issues: [
          { field: 'CF_XDR_MC', value: '', code: 'REQUIRED', reason: '必填' },
          { field: 'CF_NR_FK', value: '+1', code: 'AMOUNT', reason: 'x, y' },
        ],
      },
    ];
    // Act
    const whole = rejectedRowsCsv(rejected);
    const assembled =
      rejectedCsvHead() + rejectedCsvFragment(rejected.slice(0, 1)) + rejectedCsvFragment(rejected.slice(1));
    // Assess
    expect(whole).toBe(assembled);
    expect(whole.split('\r\n')).toEqual([
      '\uFEFF行号 row,字段 field,收到的值 value,代码 code,原因 reason',
      `3,CF_XDR_SHXYM,"'=cmd|""/c calc""!A1",USCC_LENGTH,bad`,
      '9,CF_XDR_MC,,REQUIRED,必填',
      `9,CF_NR_FK,'+1,AMOUNT,"x, y"`,
      '',
    ]);
    expect(rejectedCsvFragment([])).toBe('');
  });
});

describe('Function: WritePipeline', () => {
  it('keeps at most `depth` writes in flight and waits for all of them on drain', async () => {
    // Prepare
    let inFlight = 0;
    let most = 0;
    const done: number[] = [];
    const pipeline = new WritePipeline(async (rows) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      done.push(rows[0]!.row);
    }, 2);
    // Act
    for (let n = 1; n <= 6; n += 1) await pipeline.write([row(n, String(n))]);
    await pipeline.drain();
    // Assess
    expect(most).toBe(2);
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('surfaces a failed write on the next write or on drain', async () => {
    // Prepare
    const pipeline = new WritePipeline(async (rows) => {
      if (rows[0]!.row === 2) throw new Error('store down');
    }, 4);
    // Act
    await pipeline.write([row(1, 'a')]);
    await pipeline.write([row(2, 'b')]);
    // Assess
    await expect(pipeline.drain()).rejects.toThrow('store down');
  });
});
