import { describe, expect, it } from 'vitest';
import { packageDueDates } from '#lib/deadlines/due-dates';
import {
  publicationOfArrival,
  publicationOnArrival,
  publicationTimeliness,
} from '#lib/disclosure/publication';
import { licence, penalty, person, shop } from './fixtures';

/** A penalty decided 2026-11-12 (Thu): 7 working days later is 2026-11-23 (Mon). */
const due = packageDueDates.dueDate('2026-11-12', 7);
const arrival = (date: string, time = '02:00:00.000Z') => ({ at: `${date}T${time}`, date });
const active = 'active' as const;

describe('Function: publicationOnArrival', () => {
  it('publishes an organisation’s penalty at the instant its arrival is written', () => {
    // Act
    const published = publicationOnArrival(
      { record: penalty(), lifecycle: active },
      '2026-11-20T02:00:00.000Z',
      '2026-11-20',
    );
    // Assess
    expect(published).toEqual({ at: '2026-11-20T02:00:00.000Z', date: '2026-11-20' });
  });

  it('publishes nothing the public view withholds', () => {
    // Act
    const withheld = [
      { record: penalty({ subject: person }), lifecycle: active },
      { record: penalty(), lifecycle: 'withdrawn' as const },
      { record: penalty({ publishable: false }), lifecycle: active },
      { record: penalty({ severity: '轻微' }), lifecycle: active },
      { record: penalty({ displayUntil: '2026-11-19' }), lifecycle: active },
      { record: licence({ validUntil: '2026-11-19' }), lifecycle: active },
    ].map((arriving) => publicationOnArrival(arriving, '2026-11-20T02:00:00.000Z', '2026-11-20'));
    // Assess
    expect(withheld).toEqual([null, null, null, null, null, null]);
  });

  it('publishes a licence not yet valid from the start of 有效期自, Beijing time', () => {
    // Act
    const published = publicationOnArrival(
      { record: licence({ subject: shop, validFrom: '2026-12-01' }), lifecycle: active },
      '2026-11-20T02:00:00.000Z',
      '2026-11-20',
    );
    // Assess
    expect(published).toEqual({ at: '2026-11-30T16:00:00.000Z', date: '2026-12-01' });
  });
});

describe('Function: publicationTimeliness', () => {
  it('counts to the day the record became public, on the due date on time, the day after late', () => {
    // Assess
    expect(due).toBe('2026-11-23');
    expect(publicationTimeliness(due, { date: '2026-11-23' })).toBe('on-time');
    expect(publicationTimeliness(due, { date: '2026-11-24' })).toBe('late');
    expect(publicationTimeliness(null, { date: '2026-11-24' })).toBe('pending-calendar');
  });
});

describe('Function: publicationOfArrival', () => {
  it('counts a record received on time but withheld, then published late by a correction, once each', () => {
    // Prepare: first arrival on time with publishable false; the correction arrives after the due date
    const first = arrival('2026-11-20');
    const correction = arrival('2026-11-25');
    // Act
    const atFirst = publicationOfArrival(
      { record: penalty({ publishable: false }), lifecycle: active, dueDate: due },
      first,
    );
    const atCorrection = publicationOfArrival(
      { record: penalty(), lifecycle: active, dueDate: due, firstArrival: { receivedAt: first.at } },
      correction,
    );
    // Assess
    expect(atFirst).toEqual({ publication: null, count: 'not-publishable' });
    expect(atCorrection).toEqual({
      publication: { at: correction.at, date: '2026-11-25', by: correction.at },
      count: 'late',
    });
  });

  it('keeps the first publication through later arrivals and counts it only for the arrival that made it', () => {
    // Prepare
    const first = arrival('2026-11-20');
    const publication = { at: first.at, date: first.date, by: first.at };
    const again = {
      record: penalty(),
      lifecycle: active,
      dueDate: due,
      firstArrival: { receivedAt: first.at, publication },
    };
    // Act
    const redelivered = publicationOfArrival(again, first);
    const resubmitted = publicationOfArrival(again, arrival('2026-11-30'));
    const withdrawn = publicationOfArrival({ ...again, lifecycle: 'withdrawn' }, arrival('2026-12-01'));
    // Assess
    expect(redelivered).toEqual({ publication, count: 'on-time' });
    expect(resubmitted).toEqual({ publication, count: null });
    expect(withdrawn).toEqual({ publication, count: null });
  });

  it('does not count a withheld record again when it is re-submitted still withheld', () => {
    // Prepare
    const first = arrival('2026-11-20');
    // Act
    const resubmitted = publicationOfArrival(
      {
        record: penalty({ severity: '轻微' }),
        lifecycle: active,
        dueDate: due,
        firstArrival: { receivedAt: first.at },
      },
      arrival('2026-11-21'),
    );
    // Assess
    expect(resubmitted).toEqual({ publication: null, count: null });
  });
});
