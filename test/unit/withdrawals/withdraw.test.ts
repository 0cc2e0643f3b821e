import { beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '#lib/check/types';
import { fixedClock } from '#lib/clock/clock';
import type { WithdrawalStore } from '#lib/withdrawals/ports';
import type { DecisionRef, PublishedDecision, Withdrawal, WithdrawalLine } from '#lib/withdrawals/types';
import {
  DecisionNotFoundError,
  RevokedInFutureError,
  withdrawalDeadlines,
  withdrawDecision,
} from '#lib/withdrawals/withdraw';
import { codes } from '#test/support/csv-fixtures';
import { MemoryCalendar } from '../objections/memory-store';

class MemoryWithdrawals implements WithdrawalStore {
  readonly decisions = new Map<string, PublishedDecision>();
  readonly lines: WithdrawalLine[] = [];

  add(decision: PublishedDecision): this {
    this.decisions.set(`${decision.subjectKey}|${decision.ref.recordId}`, decision);
    return this;
  }

  async decision(subjectKey: string, ref: DecisionRef) {
    return this.decisions.get(`${subjectKey}|${ref.recordId}`);
  }

  async withdraw(decision: PublishedDecision, withdrawal: Withdrawal) {
    const key = `${decision.subjectKey}|${decision.ref.recordId}`;
    if (this.decisions.get(key)?.status === 'withdrawn') return false;
    this.decisions.set(key, { ...decision, status: 'withdrawn', withdrawal });
    this.lines.push({ agencyCode: decision.agencyCode, ref: decision.ref, withdrawal });
    return true;
  }

  async withdrawnOn(date: string) {
    return this.lines.filter((line) => line.withdrawal.withdrawnOn === date);
  }
}

const ref: DecisionRef = { dataset: 'admin-penalty', recordId: 'rec-1' };
const scjg: Caller = { agencyCode: 'SCJG', keyId: 'key-scjg', roles: ['case-officer'] };
const swj: Caller = { agencyCode: 'SWJ', keyId: 'key-swj', roles: ['case-officer'] };
const request = (revokedOn: string) => ({ subjectCode: codes.companyUscc, revokedOn, reason: '撤销决定书' });

let store: MemoryWithdrawals;
const depsOn = (day: string) => ({
  store,
  calendar: new MemoryCalendar(),
  clock: fixedClock(`${day}T02:00:00Z`),
});

beforeEach(() => {
  store = new MemoryWithdrawals().add({
    subjectKey: `USCC#${codes.companyUscc}`,
    ref,
    agencyCode: 'SCJG',
    status: 'active',
  });
});

describe('Function: withdrawDecision', () => {
  it('withdraws at once; revoked 2026-04-30 it may stay public until 2026-05-08 (劳动节), so 05-07 is on time', async () => {
    const result = await withdrawDecision(depsOn('2026-05-07'), scjg, ref, request('2026-04-30'));

    expect(result).toMatchObject({
      changed: true,
      status: 'withdrawn',
      withdrawal: { revokedOn: '2026-04-30', withdrawnOn: '2026-05-07', dueDate: '2026-05-08', late: false },
    });
  });

  it('marks a withdrawal after its limit late, and the deadlines run reports it for the agency', async () => {
    await withdrawDecision(depsOn('2026-05-11'), scjg, ref, request('2026-05-06'));

    const items = await withdrawalDeadlines(store).overdueOn('2026-05-11');

    expect(items).toEqual([
      {
        type: 'withdrawal-late',
        agencyCode: 'SCJG',
        reference: 'admin-penalty/rec-1',
        dueDate: '2026-05-09',
        detail: 'revoked 2026-05-06, withdrawn from public view 2026-05-11',
      },
    ]);
  });

  it('is a no-op the second time, keeping the first withdrawal', async () => {
    const first = await withdrawDecision(depsOn('2026-05-07'), scjg, ref, request('2026-04-30'));
    const second = await withdrawDecision(depsOn('2026-05-12'), scjg, ref, request('2026-05-11'));

    expect(second).toEqual({ changed: false, status: 'withdrawn', withdrawal: first.withdrawal });
    expect(store.lines).toHaveLength(1);
  });

  it("refuses another agency's decision and a revocation dated in the future", async () => {
    await expect(withdrawDecision(depsOn('2026-05-07'), swj, ref, request('2026-04-30'))).rejects.toThrow(
      DecisionNotFoundError,
    );
    await expect(withdrawDecision(depsOn('2026-05-07'), scjg, ref, request('2026-05-08'))).rejects.toThrow(
      RevokedInFutureError,
    );
    expect(store.lines).toEqual([]);
  });
});
