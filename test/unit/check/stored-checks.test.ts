import { describe, expect, it } from 'vitest';
import type { PersonalDataAccess } from '#lib/audit/types';
import {
  CheckNotFoundError,
  NoMeasuresError,
  PersonalDataNotAllowedError,
  UnknownMeasureError,
} from '#lib/check/errors';
import { performCheck } from '#lib/check/perform-check';
import type { AuditLog, CheckReader, FeedbackStore } from '#lib/check/ports';
import { giveFeedback, readCheck } from '#lib/check/stored-checks';
import type { Caller, StoredCheck, StoredFeedback } from '#lib/check/types';
import { fixedClock } from '#lib/clock/clock';
import type { WatchStore } from '#lib/push/ports';
import type { WatchRecord } from '#lib/push/types';

type StoredWatch = Omit<WatchRecord, 'status'> & { status: 'open' | 'closed' };

import { codes } from '#test/support/csv-fixtures';
import { catalogue, entry, MemoryStore, person } from './fixtures';

const clock = fixedClock('2026-11-24T02:00:00Z');
const officer: Caller = { agencyCode: 'SCJG', keyId: 'key-1', roles: ['case-officer'] };
const otherAgency: Caller = { agencyCode: 'SWJ', keyId: 'key-9', roles: ['case-officer'] };
const creditOffice: Caller = { agencyCode: 'SCJG', keyId: 'key-2', roles: ['credit-office'] };

/** Stored checks, feedback and watches in memory: the ports readCheck and giveFeedback use. */
class MemoryChecks implements CheckReader, FeedbackStore, AuditLog, WatchStore {
  readonly subjects = new MemoryStore();
  readonly feedback = new Map<string, StoredFeedback[]>();
  readonly accesses: PersonalDataAccess[] = [];
  readonly watches = new Map<string, StoredWatch>();

  async getCheck(checkId: string): Promise<StoredCheck | undefined> {
    return this.subjects.checks.find((check) => check.checkId === checkId);
  }
  async getFeedback(checkId: string) {
    return this.feedback.get(checkId)?.at(-1);
  }
  async feedbackHistory(checkId: string) {
    return this.feedback.get(checkId) ?? [];
  }
  async putFeedback(checkId: string, feedback: StoredFeedback) {
    this.feedback.set(checkId, [...(this.feedback.get(checkId) ?? []), feedback]);
  }
  async logPersonalDataAccess(entries: readonly PersonalDataAccess[]) {
    this.accesses.push(...entries);
  }
  async putWatch(watch: WatchRecord) {
    this.watches.set(`${watch.agencyCode}|${watch.watchId}|${watch.subjectKey}`, { ...watch });
  }
  async watchItems(agencyCode: string, watchId: string): Promise<Record<string, unknown>[]> {
    return [...this.watches.values()].filter((w) => w.agencyCode === agencyCode && w.watchId === watchId);
  }
  async closeWatchItem(watch: { agencyCode: string; watchId: string; subjectKey: string }) {
    const found = this.watches.get(`${watch.agencyCode}|${watch.watchId}|${watch.subjectKey}`);
    if (found?.status !== 'open') return false;
    found.status = 'closed';
    return true;
  }

  deps() {
    return { checks: this, feedback: this, audit: this, watches: this, clock };
  }

  check(caller: Caller, request: Parameters<typeof performCheck>[2]) {
    const ports = { ...this.subjects.ports(), watches: this, audit: this };
    return performCheck({ ...ports, catalogue: catalogue(), clock }, caller, request);
  }
}

function listedPerson() {
  const memory = new MemoryChecks();
  memory.subjects.addEntry('p', entry({ subject: person, listTypeCode: 'HMD-FY-SXBZXR' }));
  return memory;
}

describe('Function: readCheck', () => {
  it('answers another agency as if the check did not exist', async () => {
    const memory = listedPerson();
    const { checkId } = await memory.check(officer, { subject: { code: codes.personId } });
    await expect(readCheck(memory.deps(), otherAgency, checkId)).rejects.toBeInstanceOf(CheckNotFoundError);
    await expect(readCheck(memory.deps(), officer, 'chk-none')).rejects.toBeInstanceOf(CheckNotFoundError);
  });

  it('refuses a check shown in full to a caller who may not see it so, and logs every read', async () => {
    const memory = listedPerson();
    const full = await memory.check(creditOffice, { subject: { code: codes.personId }, purpose: '信用修复' });
    await expect(readCheck(memory.deps(), officer, full.checkId)).rejects.toBeInstanceOf(
      PersonalDataNotAllowedError,
    );
    const read = await readCheck(memory.deps(), creditOffice, full.checkId);
    expect(read).toMatchObject({ checkId: full.checkId, feedback: null, feedbackHistory: [] });
    expect(memory.accesses.map((access) => access.action)).toEqual(['check', 'read-check']);
  });
});

describe('Function: giveFeedback', () => {
  it('refuses feedback on a check without measures and on a measure it did not surface', async () => {
    const memory = listedPerson();
    const bare = await memory.check(officer, { subject: { code: codes.personId } });
    const feedback = { measures: [{ measureCode: 'S3', outcome: 'applied' as const, date: '2026-11-24' }] };
    await expect(giveFeedback(memory.deps(), officer, bare.checkId, feedback)).rejects.toBeInstanceOf(
      NoMeasuresError,
    );
    const withMatter = await memory.check(officer, {
      subject: { code: codes.personId },
      matterCode: 'MAT-1',
    });
    const unknown = { measures: [{ measureCode: 'Z9', outcome: 'applied' as const, date: '2026-11-24' }] };
    await expect(giveFeedback(memory.deps(), officer, withMatter.checkId, unknown)).rejects.toBeInstanceOf(
      UnknownMeasureError,
    );
  });

  it('closes the case watch the check opened once every measure has feedback', async () => {
    const memory = listedPerson();
    const check = await memory.check(officer, {
      subject: { code: codes.personId },
      matterCode: 'MAT-1',
      caseRef: 'JM-1',
    });
    expect([...memory.watches.values()]).toMatchObject([{ status: 'open', caseRef: 'JM-1' }]);
    const measures = check.measures.map((m) => ({
      measureCode: m.code,
      outcome: 'applied' as const,
      date: '2026-11-24',
    }));
    const state = await giveFeedback(memory.deps(), officer, check.checkId, { measures });
    expect(state).toMatchObject({ complete: true, watchClosed: true, version: 1 });
    expect([...memory.watches.values()]).toMatchObject([{ status: 'closed' }]);
  });
});
