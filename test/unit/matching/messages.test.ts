import { describe, expect, it } from 'vitest';
import { InvalidMatchMessageError, matchMessageFor, parseMatchMessage } from '#lib/matching/messages';

const maskedKey = 'MASKED#4407021975****4129#张三';

describe('Function: matchMessageFor', () => {
  it('queues a coded subject as subject-changed and a court’s masked-ID person as masked-subject-changed', () => {
    expect(matchMessageFor('ID#440702197501024129', 'list-entry', 'incoming/x.csv')).toEqual({
      kind: 'subject-changed',
      subjectKey: 'ID#440702197501024129',
      cause: 'list-entry',
      sourceKey: 'incoming/x.csv',
    });
    expect(matchMessageFor(maskedKey, 'expiry')).toEqual({
      kind: 'masked-subject-changed',
      subjectKey: maskedKey,
      cause: 'expiry',
    });
  });

  it('queues nothing for a subject no watch can fit: name only, or an organisation code', () => {
    expect(matchMessageFor('NAME#张三', 'list-entry')).toBeUndefined();
    expect(matchMessageFor('ORG#MA4W12346', 'list-entry')).toBeUndefined();
  });
});

describe('Function: parseMatchMessage', () => {
  it('reads both kinds and refuses a masked key under the coded kind (and the reverse)', () => {
    expect(
      parseMatchMessage(
        JSON.stringify({ kind: 'masked-subject-changed', subjectKey: maskedKey, cause: 'list-entry' }),
      ),
    ).toMatchObject({ kind: 'masked-subject-changed', subjectKey: maskedKey });
    expect(() =>
      parseMatchMessage(
        JSON.stringify({ kind: 'subject-changed', subjectKey: maskedKey, cause: 'list-entry' }),
      ),
    ).toThrow(InvalidMatchMessageError);
    expect(() =>
      parseMatchMessage(
        JSON.stringify({ kind: 'masked-subject-changed', subjectKey: 'ID#1', cause: 'list-entry' }),
      ),
    ).toThrow(InvalidMatchMessageError);
    expect(() => parseMatchMessage('not json')).toThrow(InvalidMatchMessageError);
  });
});
