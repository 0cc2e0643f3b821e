import { describe, expect, it } from 'vitest';
import { readSubjectFor } from '#lib/check/subject-view';
import type { Caller } from '#lib/check/types';
import { fixedClock } from '#lib/clock/clock';
import { codes } from '#test/support/csv-fixtures';
import { catalogue, entry, MemoryStore, person, referencer } from './fixtures';

const clock = fixedClock('2026-11-24T02:00:00Z');
const officer: Caller = { agencyCode: 'SCJG', keyId: 'k-officer', roles: ['case-officer'] };
const office: Caller = { agencyCode: 'XYB', keyId: 'k-office', roles: ['credit-office'] };

function read(store: MemoryStore, caller: Caller, code: string, purpose?: string) {
  return readSubjectFor(
    { subjects: store, tallies: store, catalogue: catalogue(), clock, audit: store, referencer },
    caller,
    code,
    purpose,
  );
}

const listedPerson = () => new MemoryStore().addEntry('p1', entry({ subject: person }));

describe('Function: readSubjectFor', () => {
  it('masks the code, the subject and the memberships for a case officer', async () => {
    const view = await read(listedPerson(), officer, codes.personId);
    expect(view.code).toBe('4407021975****4129');
    expect(view.subject).toEqual({ name: '王**', kind: 'person', idNumber: '4407021975****4129' });
    expect(JSON.stringify(view)).not.toContain(codes.personId);
    expect(JSON.stringify(view)).not.toContain('王小明');
  });

  it('shows the credit office the person in full with an allowed purpose, and logs the ID masked all the same', async () => {
    // Prepare
    const store = listedPerson();
    // Act
    const view = await read(store, office, codes.personId, 'judicial-assistance');
    // Assess
    expect(view.code).toBe(codes.personId);
    expect(view.personalData.reveal).toBe(true);
    expect(store.accesses).toEqual([
      {
        at: '2026-11-24T02:00:00.000Z',
        agencyCode: 'XYB',
        keyId: 'k-office',
        roles: ['credit-office'],
        action: 'read-subject',
        subject: '4407021975****4129',
        subjectRef: await referencer.reference(`ID#${codes.personId}`),
        purpose: 'judicial-assistance',
        fullView: true,
      },
    ]);
  });

  it('logs no read of an organisation', async () => {
    const store = new MemoryStore().addEntry('c1', entry());
    const view = await read(store, officer, codes.companyUscc);
    expect(view.code).toBe(codes.companyUscc);
    expect(store.accesses).toEqual([]);
  });
});
