import { describe, expect, it } from 'vitest';
import { cursorCodec, InvalidCursorError } from '#lib/paging/cursor';

const codec = cursorCodec(['pk', 'sk', 'gsi1pk', 'gsi1sk'], 'gsi1pk');
const partition = 'AGENCY#SCJG#JOB';
const lastKey = {
  pk: 'JOB#job-1',
  sk: 'JOB',
  gsi1pk: partition,
  gsi1sk: '2026-11-24T01:00:00.000Z#job-1',
};
const base64url = (value: unknown): string =>
  Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

describe('Function: cursorCodec', () => {
  describe('Method: encode / decode', () => {
    it('round-trips a LastEvaluatedKey as base64url', () => {
      // Act
      const cursor = codec.encode(lastKey);
      // Assess
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(codec.decode(cursor, partition)).toEqual(lastKey);
    });

    it('keeps only the key attributes', () => {
      const cursor = codec.encode({ ...lastKey, secret: 'x' });
      expect(codec.decode(cursor, partition)).toEqual(lastKey);
    });

    it("refuses a cursor of another agency's listing", () => {
      const cursor = codec.encode({ ...lastKey, gsi1pk: 'AGENCY#SWJ#JOB' });
      expect(() => codec.decode(cursor, partition)).toThrow(InvalidCursorError);
      expect(() => codec.decode(cursor, partition)).toThrow('another listing');
    });

    it.each([
      ['not base64url', 'a+b/c='],
      ['not JSON', Buffer.from('{', 'utf8').toString('base64url')],
      ['an array', base64url([])],
      ['JSON null', base64url(null)],
      ['only the partition (a forged cursor)', base64url({ gsi1pk: partition })],
      ['missing attributes', base64url({ pk: 'x' })],
      ['extra attributes', base64url({ ...lastKey, type: 'job' })],
      ['a non-string attribute', base64url({ ...lastKey, sk: 1 })],
      ['too long', 'a'.repeat(2049)],
    ])('refuses a cursor that is %s', (_what, cursor) => {
      expect(() => codec.decode(cursor, partition)).toThrow(InvalidCursorError);
    });
  });
});
