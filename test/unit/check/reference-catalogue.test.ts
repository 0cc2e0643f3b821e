import { describe, expect, it } from 'vitest';
import { consistencyReport, listTypesOfMeasure, measuresOfMatter } from '#lib/reference/catalogue';
import { referenceSubmissionRefusal } from '#lib/reference/submission';
import { catalogue } from './fixtures';

describe('Function: listTypesOfMeasure', () => {
  it("links a measure to list types through its memorandum's list or the list types naming the memorandum", () => {
    const c = catalogue();
    expect(listTypesOfMeasure(c, c.measures.get('S1')!)).toEqual(['HMD-SW-ZDSSWF']);
    expect(listTypesOfMeasure(c, c.measures.get('S3')!)).toEqual(['HMD-FY-SXBZXR']);
    expect(listTypesOfMeasure(c, c.measures.get('X1')!)).toEqual([]);
  });
});

describe('Function: measuresOfMatter', () => {
  it('keeps the order of the matter and skips unknown codes', () => {
    const c = catalogue();
    expect(measuresOfMatter(c, c.matters.get('MAT-1')!).map((m) => m.code)).toEqual(['S1', 'S2', 'S3', 'R1']);
    expect(measuresOfMatter(c, c.matters.get('MAT-EMPTY')!)).toEqual([]);
  });
});

describe('Function: consistencyReport', () => {
  it('lists every gap the source documents forbid', () => {
    const report = consistencyReport(catalogue());
    expect(report).toMatchObject({
      consistent: false,
      counts: { listTypes: 4, memoranda: 3, measures: 5, matters: 2 },
      mattersWithoutMeasures: [{ code: 'MAT-EMPTY' }],
      mattersWithUnknownMeasures: [{ code: 'MAT-EMPTY', unknownMeasureCodes: ['GONE'] }],
      measuresWithoutMatter: [{ code: 'X1' }],
      listTypesWithoutMemorandum: [{ code: 'HMD-UNUSED' }],
      measuresWithUnknownMemorandum: [{ code: 'X1', memorandumNumber: 'M-NONE' }],
      memorandaWithUnknownListTypes: [{ number: 'M-1467', unknownListTypeCodes: ['HMD-GHOST'] }],
    });
  });
});

describe('Function: referenceSubmissionRefusal', () => {
  it('accepts reference data only from the credit office and leaves other datasets alone', () => {
    expect(referenceSubmissionRefusal('measure', { code: 'XYB', roles: ['credit-office'] })).toBeUndefined();
    expect(referenceSubmissionRefusal('matter', { code: 'SCJG', roles: ['case-officer'] })).toMatchObject({
      code: 'REFERENCE_DATA_CREDIT_OFFICE_ONLY',
    });
    expect(referenceSubmissionRefusal('list-type', { code: 'SCJG' })?.reason).toContain('SCJG');
    expect(referenceSubmissionRefusal('admin-penalty', { code: 'SCJG' })).toBeUndefined();
  });
});
