import { describe, expect, it } from 'vitest';
import { auditDays } from '#lib/audit/personal-data-log';
import { auditItem } from '#lib/aws/check-store';
import {
  IdempotencyKeyInProgressError,
  IdempotencyKeyReusedError,
  UnknownMeasureError,
} from '#lib/check/errors';
import { mergeFeedback } from '#lib/check/feedback';
import {
  bodyHash,
  type IdempotencyClaim,
  type IdempotencyScope,
  type IdempotencyStore,
  withIdempotency,
} from '#lib/check/idempotency';
import type { StoredCheck } from '#lib/check/types';
import { personalDataAccess } from '#lib/privacy/access';

describe('Function: personalDataAccess', () => {
  it('shows personal data in full only to the credit office with an allowed purpose', () => {
    expect(personalDataAccess(['credit-office'], '信用修复')).toMatchObject({ reveal: true });
    expect(personalDataAccess(['credit-office'], 'Objection')).toMatchObject({ reveal: true });
    expect(personalDataAccess(['credit-office'], '统计').reveal).toBe(false);
    expect(personalDataAccess(['credit-office'], undefined).reason).toContain('(none)');
    expect(personalDataAccess(['case-officer'], '信用修复').reason).toContain('only the credit-office role');
    expect(personalDataAccess(['auditor'], '异议处理').reveal).toBe(false);
  });
});

describe('Function: auditDays / auditItem', () => {
  it('lists the days of a range, refusing reversed and over-long ranges', () => {
    expect(auditDays('2026-02-27', '2026-03-02')).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
    expect(auditDays('2026-03-02', '2026-03-01')).toEqual({
      error: 'to (2026-03-01) is before from (2026-03-02)',
    });
    expect(auditDays('2026-01-01', '2026-03-01')).toMatchObject({ error: expect.stringContaining('31') });
  });

  it('files an access under its Asia/Shanghai day', () => {
    const item = auditItem({
      at: '2026-11-24T17:30:00.000Z',
      agencyCode: 'SCJG',
      keyId: 'key-1',
      roles: ['case-officer'],
      action: 'check',
      subject: '4407021975****4129',
      subjectRef: 'sub-1',
      purpose: null,
      fullView: false,
    });
    expect(item.pk).toBe('AUDIT#2026-11-25');
    expect(item.sk).toMatch(/^2026-11-24T17:30:00.000Z#/);
  });
});

describe('Function: mergeFeedback', () => {
  const meta = { checkId: 'chk-1', agencyCode: 'SCJG', keyId: 'k', givenAt: '2026-11-24T01:00:00Z' };
  const measures = [{ code: 'S1' }, { code: 'S2' }];

  it('replaces a measure given again, keeps the others and says what is outstanding', () => {
    const first = mergeFeedback(
      measures,
      undefined,
      {
        measures: [{ measureCode: 'S1', outcome: 'not-applied', reason: '核实中', date: '2026-11-24' }],
      },
      meta,
    );
    expect(first).toMatchObject({ version: 1, complete: false, outstanding: ['S2'] });
    const second = mergeFeedback(
      measures,
      first,
      {
        measures: [
          { measureCode: 's1', outcome: 'applied', result: '不予许可', date: '2026-11-25' },
          { measureCode: 'S2', outcome: 'not-applicable', date: '2026-11-25' },
        ],
      },
      meta,
    );
    expect(second).toMatchObject({ version: 2, complete: true, outstanding: [] });
    expect(second.measures).toMatchObject([{ measureCode: 'S1', outcome: 'applied' }, { measureCode: 'S2' }]);
  });

  it('refuses feedback on a measure the check did not surface (422 UNKNOWN_MEASURE)', () => {
    expect(() =>
      mergeFeedback(
        measures,
        undefined,
        { measures: [{ measureCode: 'Z9', outcome: 'applied', date: '2026-11-24' }] },
        meta,
      ),
    ).toThrow(UnknownMeasureError);
  });
});

describe('Function: withIdempotency', () => {
  class Store implements IdempotencyStore {
    claims = new Map<string, IdempotencyClaim>();
    checks = new Map<string, StoredCheck>();
    async claimIdempotencyKey(scope: IdempotencyScope, key: string, claim: IdempotencyClaim) {
      const agency = `${scope.agencyCode}#${scope.keyId}`;
      const existing = this.claims.get(`${agency}|${key}`);
      if (existing) return { claimed: false as const, existing };
      this.claims.set(`${agency}|${key}`, claim);
      return { claimed: true as const };
    }
    async getCheck(checkId: string) {
      return this.checks.get(checkId);
    }
    /** Stores a check that found nothing (only its id matters to withIdempotency). */
    store(checkId: string) {
      const checkedAt = '2026-11-24T00:00:00.000Z';
      const empty = { listHits: 0, confirmedHits: 0, possibleHits: 0, redListHits: 0, blackListHits: 0 };
      this.checks.set(checkId, {
        checkId,
        checkedAt,
        caller: { agencyCode: 'A', keyId: 'key-1', roles: ['case-officer'] },
        purpose: null,
        watchedSubjectKeys: [],
        result: {
          checkId,
          checkedAt,
          agencyCode: 'A',
          request: { interpretedAs: [] },
          matter: null,
          subject: null,
          personalData: { reveal: false, reason: 'masked' },
          hits: [],
          measures: [],
          conveniences: [],
          records: [],
          summary: { ...empty, measures: 0, mandatoryMeasures: 0, records: 0 },
        },
      });
    }
    async releaseIdempotencyKey(scope: IdempotencyScope, key: string, checkId: string) {
      const agency = `${scope.agencyCode}#${scope.keyId}`;
      if (this.claims.get(`${agency}|${key}`)?.checkId === checkId) this.claims.delete(`${agency}|${key}`);
    }
  }
  const now = new Date('2026-11-24T00:00:00Z');

  it('runs once per agency and key and returns the first result to a retry', async () => {
    const store = new Store();
    let runs = 0;
    const run = {
      perform: async (checkId: string) => {
        runs += 1;
        store.store(checkId);
        return { checkId };
      },
      replay: async (stored: StoredCheck) => ({ checkId: stored.checkId }),
    };
    const input = {
      scope: { agencyCode: 'A', keyId: 'key-1' },
      key: 'k1',
      body: { a: 1, b: 2 },
      now,
      newCheckId: 'chk-1',
    };
    expect(await withIdempotency(store, input, run)).toEqual({
      result: { checkId: 'chk-1' },
      replayed: false,
    });
    const retry = await withIdempotency(store, { ...input, body: { b: 2, a: 1 }, newCheckId: 'chk-2' }, run);
    expect(retry).toEqual({ result: { checkId: 'chk-1' }, replayed: true });
    expect(runs).toBe(1);
    await expect(
      withIdempotency(store, { ...input, body: { a: 2 }, newCheckId: 'chk-3' }, run),
    ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it('releases the key when the check fails, so a corrected retry runs', async () => {
    const store = new Store();
    const input = {
      scope: { agencyCode: 'A', keyId: 'key-1' },
      key: 'k',
      body: { a: 1 },
      now,
      newCheckId: 'chk-1',
    };
    const replay = async (stored: StoredCheck) => ({ id: stored.checkId });
    const failing = async (): Promise<{ id: string }> => {
      throw new Error('matter not found');
    };
    await expect(withIdempotency(store, input, { perform: failing, replay })).rejects.toThrow(
      'matter not found',
    );
    expect(store.claims.size).toBe(0);
    const perform = async (id: string) => ({ id });
    expect(await withIdempotency(store, { ...input, newCheckId: 'chk-2' }, { perform, replay })).toEqual({
      result: { id: 'chk-2' },
      replayed: false,
    });
  });

  it('answers 409 while the first call is in progress and takes over a stale claim with the same id', async () => {
    const store = new Store();
    store.claims.set('A#key-1|k', {
      checkId: 'chk-old',
      bodyHash: bodyHash({ a: 1 }),
      createdAt: now.toISOString(),
    });
    const run = {
      perform: async (checkId: string) => ({ checkId }),
      replay: async (stored: StoredCheck) => ({ checkId: stored.checkId }),
    };
    const input = {
      scope: { agencyCode: 'A', keyId: 'key-1' },
      key: 'k',
      body: { a: 1 },
      newCheckId: 'chk-new',
    };
    await expect(withIdempotency(store, { ...input, now }, run)).rejects.toBeInstanceOf(
      IdempotencyKeyInProgressError,
    );
    const later = new Date(now.getTime() + 60_000);
    expect(await withIdempotency(store, { ...input, now: later }, run)).toEqual({
      result: { checkId: 'chk-old' },
      replayed: false,
    });
  });
});
