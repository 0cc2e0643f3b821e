import { describe, expect, it } from 'vitest';
import {
  type FieldCorrections,
  reconcileWithCorrections,
  withCorrection,
} from '#lib/lifecycle/objection-corrections';

/** 罚款金额 8 万元 corrected to 0.8 by an objection; 违法事实 corrected by another. */
const corrections: FieldCorrections = {
  fineAmount: { objectionId: 'OBJ-1', sourceValue: 8, value: 0.8, correctedAt: '2026-05-12T02:00:00Z' },
  facts: {
    objectionId: 'OBJ-2',
    sourceValue: '销售抽检不合格的建筑用钢筋',
    value: '销售抽检不合格的建筑用钢管',
    correctedAt: '2026-05-13T02:00:00Z',
  },
};

const sent = { documentNumber: '江市监罚〔2026〕42号', fineAmount: 8, facts: '销售抽检不合格的建筑用钢筋' };

describe('Function: reconcileWithCorrections', () => {
  it('keeps every corrected field the source sends with the value found wrong, and names them', () => {
    const result = reconcileWithCorrections(sent, corrections);

    expect(result.record).toEqual({ ...sent, fineAmount: 0.8, facts: '销售抽检不合格的建筑用钢管' });
    expect(result.kept).toEqual([
      { field: 'fineAmount', objectionId: 'OBJ-1' },
      { field: 'facts', objectionId: 'OBJ-2' },
    ]);
    expect(result.corrections).toEqual(corrections);
  });

  it('applies a new value (neither the wrong nor the corrected one) and ends that correction only', () => {
    const result = reconcileWithCorrections({ ...sent, fineAmount: 1.2 }, corrections);

    expect(result.record).toMatchObject({ fineAmount: 1.2, facts: '销售抽检不合格的建筑用钢管' });
    expect(result.kept).toEqual([{ field: 'facts', objectionId: 'OBJ-2' }]);
    expect(result.corrections).toEqual({ facts: corrections.facts });
  });

  it('takes the corrected value from the source silently, and the correction stays in force', () => {
    const result = reconcileWithCorrections(
      { ...sent, fineAmount: 0.8, facts: '销售抽检不合格的建筑用钢管' },
      corrections,
    );

    expect(result.kept).toEqual([]);
    expect(result.corrections).toEqual(corrections);
  });

  it('leaves no correction in force once the source has sent new values for every corrected field', () => {
    const result = reconcileWithCorrections({ ...sent, fineAmount: 1.2, facts: '另一事实' }, corrections);

    expect(result).toEqual({
      record: { ...sent, fineAmount: 1.2, facts: '另一事实' },
      corrections: undefined,
      kept: [],
    });
  });

  it('treats a field the source leaves empty as the empty value corrected', () => {
    const remarks: FieldCorrections = {
      remarks: {
        objectionId: 'OBJ-3',
        sourceValue: null,
        value: '已缴清',
        correctedAt: '2026-05-14T02:00:00Z',
      },
    };

    expect(reconcileWithCorrections(sent, remarks).record).toMatchObject({ remarks: '已缴清' });
  });

  it('changes nothing on a record without corrections', () => {
    expect(reconcileWithCorrections(sent, undefined)).toEqual({
      record: sent,
      corrections: undefined,
      kept: [],
    });
  });
});

describe('Function: withCorrection', () => {
  it('adds a correction beside those in force', () => {
    const added = withCorrection({ facts: corrections.facts! }, 'fineAmount', corrections.fineAmount!);

    expect(added).toEqual(corrections);
  });

  it('keeps the value the source sent when a corrected field is corrected again', () => {
    const again = withCorrection(corrections, 'fineAmount', {
      objectionId: 'OBJ-4',
      sourceValue: 0.8,
      value: 0.08,
      correctedAt: '2026-06-01T02:00:00Z',
    });

    expect(again.fineAmount).toEqual({
      objectionId: 'OBJ-4',
      sourceValue: 8,
      value: 0.08,
      correctedAt: '2026-06-01T02:00:00Z',
    });
    expect(reconcileWithCorrections(sent, again).record).toMatchObject({ fineAmount: 0.08 });
  });
});
