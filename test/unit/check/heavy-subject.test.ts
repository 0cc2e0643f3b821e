import { describe, expect, it } from 'vitest';
import type { PersonalDataAccess } from '#lib/audit/types';
import { CheckNotFoundError, PersonalDataNotAllowedError } from '#lib/check/errors';
import { performCheck } from '#lib/check/perform-check';
import type { AuditLog, CheckReader } from '#lib/check/ports';
import { recordsOverview } from '#lib/check/record-overview';
import { isRecordItemInDisplay, RECORDS_IN_RESULT } from '#lib/check/records';
import { readCheckRecords } from '#lib/check/stored-checks';
import type { Caller, StoredCheck } from '#lib/check/types';
import { fixedClock } from '#lib/clock/clock';
import { InvalidCursorError } from '#lib/paging/cursor';
import { codes } from '#test/support/csv-fixtures';
import { catalogue, company, MemoryStore, person } from './fixtures';

const clock = fixedClock('2026-11-24T02:00:00Z');
const today = '2026-11-24';
const officer: Caller = { agencyCode: 'SCJG', keyId: 'key-1', roles: ['case-officer'] };

/** A penalty decided on day `n` (2026-01-01 + n days), in display unless `extra` says otherwise. */
function penalty(n: number, extra: Record<string, unknown> = {}, item: Record<string, unknown> = {}) {
  const decided = new Date(Date.UTC(2026, 0, 1 + (n % 300))).toISOString().slice(0, 10);
  return {
    type: 'admin-penalty',
    recordId: `p${String(n).padStart(5, '0')}`,
    ...item,
    record: {
      dataset: 'admin-penalty',
      subject: company,
      documentNumber: `罚${n}`,
      decisionDate: decided,
      categories: ['罚款'],
      content: '罚款',
      issuer: { name: '市场监管局' },
      validUntil: null,
      displayUntil: '2029-01-01',
      ...extra,
    },
  };
}

function heavyStore(count: number): MemoryStore {
  const store = new MemoryStore();
  for (let n = 0; n < count; n += 1) store.addItem(company.key, penalty(n));
  return store;
}

describe('Function: isRecordItemInDisplay', () => {
  it('keeps a shown penalty in its display period and a valid licence, nothing else', () => {
    const licence = (validUntil: string | null, item: Record<string, unknown> = {}) => ({
      type: 'admin-license',
      ...item,
      record: { validUntil },
    });

    expect(isRecordItemInDisplay(penalty(1), today)).toBe(true);
    expect(isRecordItemInDisplay(penalty(1, { displayUntil: '2026-11-23' }), today)).toBe(false);
    expect(isRecordItemInDisplay(penalty(1, { severity: '轻微' }), today)).toBe(false);
    expect(isRecordItemInDisplay(penalty(1, {}, { status: 'withdrawn' }), today)).toBe(false);
    expect(isRecordItemInDisplay(penalty(1, {}, { displayStatus: 'hidden' }), today)).toBe(false);
    expect(isRecordItemInDisplay(licence(null), today)).toBe(true);
    expect(isRecordItemInDisplay(licence('2026-11-24'), today)).toBe(true);
    expect(isRecordItemInDisplay(licence('2026-11-23'), today)).toBe(false);
    expect(isRecordItemInDisplay(licence(null, { status: 'withdrawn' }), today)).toBe(false);
    expect(isRecordItemInDisplay({ type: 'code-mapping', record: {} }, today)).toBe(false);
  });
});

describe('Function: recordsOverview', () => {
  it('counts every record in display from digests and reads only the newest 20 in full', async () => {
    const store = heavyStore(2_500)
      .addItem(company.key, penalty(9_001, {}, { status: 'withdrawn' }))
      .addItem(company.key, penalty(9_002, { displayUntil: '2026-01-01' }));

    const overview = await recordsOverview({ subjects: store, tallies: store }, [company.key], today);

    expect(overview.counts).toEqual({
      total: 2_500,
      byDataset: { 'admin-penalty': 2_500, 'admin-license': 0 },
    });
    expect(overview.newest).toHaveLength(RECORDS_IN_RESULT);
    expect(store.recordReads.flat()).toHaveLength(RECORDS_IN_RESULT);
    const dates = overview.newest.map((record) => record.decisionDate);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(dates[0]).toBe('2026-10-27'); // day 299, the latest decision date
    expect(overview.subject?.key).toBe(company.key);
  });

  it('names the subject from a shown record when none is in display', async () => {
    const store = new MemoryStore().addItem(company.key, penalty(1, { severity: '轻微' }));

    const overview = await recordsOverview({ subjects: store, tallies: store }, [company.key], today);

    expect(overview.counts.total).toBe(0);
    expect(overview.newest).toEqual([]);
    expect(overview.subject?.name).toBe(company.name);
  });
});

/** Stored checks and the access log in memory, beside the subjects. */
class MemoryChecks implements CheckReader, AuditLog {
  readonly accesses: PersonalDataAccess[] = [];
  constructor(readonly store: MemoryStore) {}
  async getCheck(checkId: string): Promise<StoredCheck | undefined> {
    return this.store.checks.find((check) => check.checkId === checkId);
  }
  async logPersonalDataAccess(entries: readonly PersonalDataAccess[]) {
    this.accesses.push(...entries);
  }
  deps() {
    return { checks: this, records: this.store, audit: this, clock };
  }
}

async function checked(store: MemoryStore) {
  const result = await performCheck({ ...store.ports(), catalogue: catalogue(), clock }, officer, {
    subject: { code: codes.companyUscc },
  });
  return { memory: new MemoryChecks(store), checkId: result.checkId, result };
}

describe('Function: readCheckRecords', () => {
  it('pages every record of a heavy check exactly once; the stored check keeps counts and 20', async () => {
    const { memory, checkId, result } = await checked(heavyStore(1_234));
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await readCheckRecords(memory.deps(), officer, checkId, {
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      expect(page.total).toBe(1_234);
      ids.push(...page.items.map((record) => record.recordId));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);

    expect(result.summary.records).toBe(1_234);
    expect(result.records).toHaveLength(RECORDS_IN_RESULT);
    expect(result.recordsInDisplay).toMatchObject({ total: 1_234, inResult: RECORDS_IN_RESULT });
    expect(ids).toHaveLength(1_234);
    expect(new Set(ids).size).toBe(1_234);
    expect(pages).toBe(13);
  });

  it('skips records out of display on the day of the check', async () => {
    const store = heavyStore(3).addItem(company.key, penalty(7, { displayUntil: '2026-11-23' }));
    const { memory, checkId } = await checked(store);

    const page = await readCheckRecords(memory.deps(), officer, checkId, { limit: 10 });

    expect(page.items.map((record) => record.recordId)).toEqual(['p00000', 'p00001', 'p00002']);
    expect(page.nextCursor).toBeUndefined();
  });

  it('answers another agency as if the check did not exist, and passes a bad cursor on as InvalidCursorError', async () => {
    const { memory, checkId } = await checked(heavyStore(3));
    const other: Caller = { agencyCode: 'SWJ', keyId: 'key-9', roles: ['case-officer'] };

    await expect(readCheckRecords(memory.deps(), other, checkId, { limit: 10 })).rejects.toBeInstanceOf(
      CheckNotFoundError,
    );
    await expect(
      readCheckRecords(memory.deps(), officer, checkId, { limit: 10, cursor: 'forged' }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('applies the access rule of GET /v1/checks/{id} and logs the read of a person', async () => {
    const store = new MemoryStore().addItem(person.key, {
      ...penalty(1),
      record: { ...penalty(1).record, subject: person },
    });
    const creditOffice: Caller = { agencyCode: 'SCJG', keyId: 'key-2', roles: ['credit-office'] };
    const result = await performCheck({ ...store.ports(), catalogue: catalogue(), clock }, creditOffice, {
      subject: { code: codes.personId },
      purpose: '信用修复',
    });
    const memory = new MemoryChecks(store);

    await expect(
      readCheckRecords(memory.deps(), officer, result.checkId, { limit: 10 }),
    ).rejects.toBeInstanceOf(PersonalDataNotAllowedError);
    const page = await readCheckRecords(memory.deps(), creditOffice, result.checkId, { limit: 10 });

    expect(page.items).toHaveLength(1);
    expect(memory.accesses).toMatchObject([
      { action: 'read-check', checkId: result.checkId, keyId: 'key-2', fullView: true },
    ]);
  });

  it('masks a person in the records it pages, as the check was masked', async () => {
    const store = new MemoryStore().addItem(person.key, {
      ...penalty(1),
      record: { ...penalty(1).record, subject: person, content: `${person.name}罚款` },
    });
    const result = await performCheck({ ...store.ports(), catalogue: catalogue(), clock }, officer, {
      subject: { code: codes.personId },
    });

    const page = await readCheckRecords(new MemoryChecks(store).deps(), officer, result.checkId, {
      limit: 10,
    });

    expect(page.items).toHaveLength(1);
    expect(JSON.stringify(page.items)).not.toContain(person.name);
  });
});

describe('Function: recordsOverview with a record tally', () => {
  const overviewOn = (store: MemoryStore, day: string) =>
    recordsOverview({ subjects: store, tallies: store }, [company.key], day);

  it('stores a tally after reading the digests and answers the next check from it alone, with the same result', async () => {
    const store = heavyStore(500).addItem(company.key, penalty(9_001, { severity: '轻微' }));

    const first = await overviewOn(store, today);
    const second = await overviewOn(store, today);

    expect(store.digestReads).toEqual([company.key]);
    expect(store.tallies.get(company.key)?.basedOn).toBe(store.changed.get(company.key));
    expect(second).toEqual(first);
    expect(second.counts.total).toBe(500);
  });

  it('reads the digests again once a writer has left a new records-changed token', async () => {
    const store = heavyStore(50);
    await overviewOn(store, today);

    store.addItem(company.key, penalty(299, {}, { recordId: 'newest' }));
    const after = await overviewOn(store, today);

    expect(store.digestReads).toHaveLength(2);
    expect(after.counts.total).toBe(51);
    expect(after.newest[0]?.recordId).toBe('newest');
  });

  it('counts on a later day from the end days it keeps: records whose display ended drop out without a read', async () => {
    const store = new MemoryStore();
    for (let n = 0; n < 30; n += 1) store.addItem(company.key, penalty(n, { displayUntil: '2026-12-31' }));
    for (let n = 30; n < 60; n += 1) store.addItem(company.key, penalty(n, { displayUntil: '2027-06-30' }));
    await overviewOn(store, today);

    const later = await overviewOn(store, '2027-01-15');

    expect(store.digestReads).toHaveLength(1);
    expect(later.counts.total).toBe(30);
    expect(later.newest.map((record) => record.recordId)).not.toContain('p00029');
  });

  it('reads the digests when the tally cannot fill the page: its newest records left display and others remain', async () => {
    const store = new MemoryStore();
    // The 150 newest end in 2026; 50 older ones stay in display: a tally keeps only the newest 100.
    for (let n = 0; n < 50; n += 1) store.addItem(company.key, penalty(n, { displayUntil: '2028-01-01' }));
    for (let n = 100; n < 250; n += 1) store.addItem(company.key, penalty(n, { displayUntil: '2026-12-31' }));
    await overviewOn(store, today);

    const later = await overviewOn(store, '2027-01-15');

    expect(store.digestReads).toHaveLength(2);
    expect(later.counts.total).toBe(50);
    expect(later.newest).toHaveLength(RECORDS_IN_RESULT);
  });

  it('stores no tally when a record changed between the token read and the digest read (a concurrent writer)', async () => {
    /** A writer's token lands after the token was read, before the digests come back. */
    class RacingStore extends MemoryStore {
      override async recordDigests(subjectKey: string) {
        const digests = await super.recordDigests(subjectKey);
        this.recordsChanged(subjectKey);
        return digests;
      }
    }
    const racing = new RacingStore();
    for (let n = 0; n < 10; n += 1) racing.addItem(company.key, penalty(n));

    await recordsOverview({ subjects: racing, tallies: racing }, [company.key], today);

    expect(racing.tallies.has(company.key)).toBe(false);
  });

  it('does not use a tally computed for a later day', async () => {
    const store = heavyStore(10);
    await overviewOn(store, '2026-12-01');

    const earlier = await overviewOn(store, today);

    expect(store.digestReads).toHaveLength(2);
    expect(earlier.counts.total).toBe(10);
  });
});
