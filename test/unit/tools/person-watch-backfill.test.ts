import { describe, expect, it } from 'vitest';
import { segmentLine } from '#tools/person-watch-backfill';
import { wholeNumberOption } from '#tools/whole-number-option';

const counts = { scanned: 40, watches: 4, indexed: 1, alreadyIndexed: 1, skippedClosed: 1, skippedNoName: 1 };

describe('Function: segmentLine', () => {
  it('prints the counts and the segment to resume from, until the last segment', () => {
    expect(segmentLine(0, 2, counts)).toBe(
      'segment 1/2: scanned 40, person watches 4, indexed 1, already indexed 1, skipped closed/expired 1, skipped no known name 1; resume with --from-segment 1',
    );
    expect(segmentLine(1, 2, counts)).not.toContain('resume');
  });
});

describe('Function: wholeNumberOption', () => {
  const range = { min: 0, max: 7, default: 0 };
  it('takes the default when absent and a whole number in range', () => {
    expect(wholeNumberOption('from-segment', undefined, range)).toBe(0);
    expect(wholeNumberOption('from-segment', '7', range)).toBe(7);
  });

  it('refuses a number out of range or not whole, naming the option', () => {
    for (const value of ['8', '-1', '1.5', 'x', ''])
      expect(() => wholeNumberOption('from-segment', value, range)).toThrow(
        '--from-segment must be a whole number from 0 to 7',
      );
  });
});
