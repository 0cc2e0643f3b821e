import { describe, expect, it } from 'vitest';
import { selectMeasures, targetsReachedBy } from '#lib/check/measures';
import type { ListHit } from '#lib/matching/screen';
import { catalogue } from './fixtures';

function hit(overrides: Partial<ListHit> = {}): ListHit {
  return {
    status: 'confirmed',
    entryId: 'e1',
    listTypeCode: 'HMD-SW-ZDSSWF',
    subjectKey: 'USCC#91440703MA4W12346G',
    subjectKind: 'organisation',
    matchedBy: { identifier: 'uscc', value: '91440703MA4W12346G' },
    listedOn: '2026-03-18',
    validUntil: null,
    decidingDepartment: '税务',
    basis: '依据',
    reason: '原因',
    reportedBy: 'SWJ',
    explanation: '…',
    ...overrides,
  };
}

const matter = () => catalogue().matters.get('MAT-1')!;

describe('Function: targetsReachedBy', () => {
  it('makes a listed organisation the 主体, a listed person 主体 and 自然人, a representative 法定代表人', () => {
    expect(targetsReachedBy(hit())).toEqual(['主体']);
    expect(targetsReachedBy(hit({ subjectKind: 'person', subjectKey: 'ID#x' }))).toEqual(['主体', '自然人']);
    expect(
      targetsReachedBy(
        hit({ matchedBy: { identifier: 'resident-id', value: 'x', relation: 'legal-representative' } }),
      ),
    ).toEqual(['法定代表人']);
  });
});

describe('Function: selectMeasures', () => {
  it('keeps the measures whose list types are hit and whose target the hit reaches', () => {
    const { measures, conveniences } = selectMeasures(catalogue(), matter(), [hit()]);
    expect(measures.map((m) => m.code)).toEqual(['S1']);
    expect(measures[0]).toMatchObject({
      nature: '惩戒',
      binding: '必须',
      mandatory: true,
      confidence: 'confirmed',
      target: ['主体'],
      memorandum: { number: 'M-1580', name: '税收惩戒备忘录' },
      triggeredBy: [{ entryId: 'e1', listTypeCode: 'HMD-SW-ZDSSWF', status: 'confirmed' }],
    });
    expect(conveniences).toEqual([]);
  });

  it('gives the legal representative of a listed company the measures aimed at 法定代表人 only', () => {
    const related = hit({
      matchedBy: { identifier: 'resident-id', value: 'x', relation: 'legal-representative' },
    });
    expect(selectMeasures(catalogue(), matter(), [related]).measures.map((m) => [m.code, m.target])).toEqual([
      ['S2', ['法定代表人']],
    ]);
  });

  it('applies measures aimed at 自然人 to a listed person', () => {
    const personHit = hit({ listTypeCode: 'HMD-FY-SXBZXR', subjectKind: 'person', subjectKey: 'ID#x' });
    expect(selectMeasures(catalogue(), matter(), [personHit]).measures).toMatchObject([
      { code: 'S3', target: ['自然人', '主体'] },
    ]);
  });

  it('never makes a measure binding on a possible (name-only) hit alone', () => {
    const possible = hit({ status: 'possible', possibleReason: 'name only' });
    const [measure] = selectMeasures(catalogue(), matter(), [possible]).measures;
    expect(measure).toMatchObject({ code: 'S1', binding: '必须', mandatory: false, confidence: 'possible' });
    expect(measure!.note).toContain('verify the identity');
    const both = selectMeasures(catalogue(), matter(), [possible, hit({ entryId: 'e2' })]).measures[0];
    expect(both).toMatchObject({ mandatory: true, confidence: 'confirmed' });
  });

  it('offers a confirmed red-list subject its conveniences', () => {
    const red = hit({ listTypeCode: 'HONG-SW-A' });
    const { measures, conveniences } = selectMeasures(catalogue(), matter(), [red]);
    expect(measures.map((m) => [m.code, m.nature, m.mandatory])).toEqual([['R1', '激励', false]]);
    expect(conveniences).toEqual([
      { code: 'R1', category: '便利', content: '绿色通道', implementingDepartment: '市场监管' },
    ]);
    expect(selectMeasures(catalogue(), matter(), [{ ...red, status: 'possible' }]).conveniences).toEqual([]);
  });

  it('selects nothing for a subject without hits', () => {
    expect(selectMeasures(catalogue(), matter(), [])).toEqual({ measures: [], conveniences: [] });
  });
});
