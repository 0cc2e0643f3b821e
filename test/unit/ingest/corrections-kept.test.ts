import { describe, expect, it } from 'vitest';
import { CORRECTED_BY_OBJECTION_KEPT, withCorrectionsKept } from '#lib/ingest/chunking/common';
import type { IngestFileOutcome } from '#lib/ingest/ingest-file';
import { emptyOutcome } from '#lib/ingest/report';

const outcome = (flaggedRows: IngestFileOutcome['flaggedRows']): IngestFileOutcome => ({
  ...emptyOutcome(),
  format: 'csv',
  warnings: [],
  flaggedRows,
});

describe('Function: withCorrectionsKept', () => {
  it('flags each row whose record kept a correction, naming the fields as the file does, beside its other flags', () => {
    const before = outcome([
      { row: 2, flags: ['SOURCE_END_CAPPED'] },
      { row: 5, flags: ['DUE_DATE_PENDING_CALENDAR'] },
    ]);

    const after = withCorrectionsKept(
      before,
      [
        { row: 3, corrections: [{ field: 'fineAmount', objectionId: 'YY-1' }] },
        { row: 2, corrections: [{ field: 'facts', objectionId: 'YY-2' }] },
      ],
      'admin-penalty',
    );

    expect(after.flaggedRows).toEqual([
      {
        row: 2,
        flags: ['SOURCE_END_CAPPED', CORRECTED_BY_OBJECTION_KEPT],
        correctionsKept: [{ field: 'CF_SY', name: '违法事实', objectionId: 'YY-2' }],
      },
      {
        row: 3,
        flags: [CORRECTED_BY_OBJECTION_KEPT],
        correctionsKept: [{ field: 'CF_NR_FK', name: expect.stringContaining('罚款'), objectionId: 'YY-1' }],
      },
      { row: 5, flags: ['DUE_DATE_PENDING_CALENDAR'] },
    ]);
  });

  it('names a list entry field by its Chinese column, and leaves an outcome without kept corrections as it was', () => {
    const before = outcome([]);

    expect(
      withCorrectionsKept(
        before,
        [{ row: 2, corrections: [{ field: 'reason', objectionId: 'YY-3' }] }],
        'list-entry',
      ).flaggedRows[0]?.correctionsKept,
    ).toEqual([{ field: '列入原因', name: '列入原因', objectionId: 'YY-3' }]);
    expect(withCorrectionsKept(before, [], 'list-entry')).toBe(before);
  });
});
