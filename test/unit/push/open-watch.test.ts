import { describe, expect, it } from 'vitest';
import { InvalidSubjectCodeError } from '#lib/check/errors';
import type { Caller } from '#lib/check/types';
import { fixedClock } from '#lib/clock/clock';
import { PastUntilDateError, UnknownSubjectError, WatchNotFoundError } from '#lib/push/errors';
import { closeOwnWatch, openWatch } from '#lib/push/open-watch';
import type { WatchStore } from '#lib/push/ports';
import type { WatchRecord } from '#lib/push/types';

type StoredWatch = Omit<WatchRecord, 'status'> & { status: 'open' | 'closed' };

import { codes } from '#test/support/csv-fixtures';
import { company, entry, MemoryStore } from '../check/fixtures';

const clock = fixedClock('2026-11-24T02:00:00Z');
const officer: Caller = { agencyCode: 'SCJG', keyId: 'key-1', roles: ['case-officer'] };

class MemoryWatches implements WatchStore {
  readonly items = new Map<string, StoredWatch>();
  async putWatch(watch: WatchRecord) {
    this.items.set(`${watch.agencyCode}|${watch.watchId}|${watch.subjectKey}`, { ...watch });
  }
  async watchItems(agencyCode: string, watchId: string): Promise<Record<string, unknown>[]> {
    return [...this.items.values()].filter((w) => w.agencyCode === agencyCode && w.watchId === watchId);
  }
  async closeWatchItem(watch: { agencyCode: string; watchId: string; subjectKey: string }) {
    const found = this.items.get(`${watch.agencyCode}|${watch.watchId}|${watch.subjectKey}`);
    if (found?.status !== 'open') return false;
    found.status = 'closed';
    return true;
  }
}

function deps() {
  const subjects = new MemoryStore().addEntry('e1', entry()).alias('ORG', 'MA4W12346', company.key);
  return { subjects, tallies: subjects, watches: new MemoryWatches(), clock };
}

describe('Function: openWatch', () => {
  it('watches every subject the code leads to, named as the subject is stored', async () => {
    const memory = deps();
    const watch = await openWatch(memory, officer, { subject: { code: 'MA4W1234-6' }, caseRef: 'JM-1' });
    expect(watch.items).toMatchObject([
      { caseRef: 'JM-1', status: 'open', openedBy: 'request', subject: { name: company.name } },
    ]);
    expect([...memory.watches.items.values()].map((w) => w.subjectKey)).toEqual([company.key]);
  });

  it('keeps the name given for a person, for court entries published with a masked ID, and shows it masked', async () => {
    // Prepare
    const memory = deps();
    // Act
    const watch = await openWatch(memory, officer, {
      subject: { code: '440702197501024129', name: '张三' },
      caseRef: 'JM-P',
    });
    // Assess
    expect([...memory.watches.items.values()]).toEqual([
      expect.objectContaining({ subjectKey: 'ID#440702197501024129', personName: '张三' }),
    ]);
    expect(JSON.stringify(watch)).not.toContain('张三');
  });

  it('refuses a past until-date, an invalid code and a code that leads nowhere', async () => {
    const memory = deps();
    const request = { subject: { code: codes.companyUscc }, caseRef: 'JM-1' };
    await expect(openWatch(memory, officer, { ...request, until: '2026-11-23' })).rejects.toBeInstanceOf(
      PastUntilDateError,
    );
    await expect(openWatch(memory, officer, { ...request, subject: { code: 'x' } })).rejects.toBeInstanceOf(
      InvalidSubjectCodeError,
    );
    await expect(
      openWatch(memory, officer, { ...request, subject: { code: 'MA4W1235-4' } }),
    ).rejects.toBeInstanceOf(UnknownSubjectError);
  });
});

describe('Function: closeOwnWatch', () => {
  it('closes the caller’s watch once and answers an unknown id with WatchNotFoundError', async () => {
    const memory = deps();
    const { watchId } = await openWatch(memory, officer, {
      subject: { code: codes.companyUscc },
      caseRef: 'JM-1',
    });
    expect(await closeOwnWatch(memory, officer, watchId)).toEqual({ watchId, closed: 1, items: 1 });
    expect(await closeOwnWatch(memory, officer, watchId)).toEqual({ watchId, closed: 0, items: 1 });
    await expect(closeOwnWatch(memory, { ...officer, agencyCode: 'SWJ' }, watchId)).rejects.toBeInstanceOf(
      WatchNotFoundError,
    );
  });
});
