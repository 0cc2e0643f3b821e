import { z } from 'zod';
import type { CalendarDaySource } from '../calendar/stored-calendar';
import { loadWorkingCalendar } from '../calendar/stored-calendar';
import { DomainError } from '../check/errors';
import { classifyCode } from '../check/subject-lookup';
import type { Caller } from '../check/types';
import type { Clock } from '../clock/clock';
import type { WorkflowDeadlineSource } from '../deadlines/ports';
import { objectionRules, withdrawalDueDate } from '../objections/rules';
import type { WithdrawalStore } from './ports';
import { type PublishedDecision, type Withdrawal, withdrawableDatasets } from './types';

/**
 * The source agency withdraws one of its published decisions from public view, saying when it was
 * revoked or changed. The record stays for audit with `status: withdrawn` (as a 撤销 row leaves
 * it); public pages and checks stop showing it at once. Withdrawing twice changes nothing. A
 * withdrawal later than its limit is reported by the deadlines run.
 */

export const withdrawalSchema = z.object({
  subjectCode: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .describe('The subject of the decision: USCC, 工商注册号 or ID'),
  revokedOn: z.iso.date().describe('The day the decision was revoked, changed or found void (YYYY-MM-DD)'),
  reason: z.string().trim().min(1).max(2000).describe('撤销 / 变更 / 确认违法 / 确认无效, with the document'),
});
export type WithdrawalRequest = z.infer<typeof withdrawalSchema>;
export const withdrawalDatasetSchema = z.enum(withdrawableDatasets);

export class DecisionNotFoundError extends DomainError {
  override name = 'DecisionNotFoundError';
}

export class RevokedInFutureError extends DomainError {
  override name = 'RevokedInFutureError';
  constructor(revokedOn: string, today: string) {
    const reason = `revokedOn ${revokedOn} is after today (${today})`;
    super(reason, [{ field: 'revokedOn', code: 'FUTURE', reason }]);
  }
}

export interface WithdrawalDependencies {
  readonly store: WithdrawalStore;
  readonly calendar: CalendarDaySource;
  readonly clock: Clock;
}

const PARTITIONS: Record<string, string> = {
  uscc: 'USCC#',
  'resident-id': 'ID#',
  'business-registration-number': 'REG#',
};

/** The caller's own decision under the subject code, or DecisionNotFoundError (also for another agency's). */
async function ownDecision(
  deps: WithdrawalDependencies,
  caller: Caller,
  code: string,
  ref: PublishedDecision['ref'],
): Promise<PublishedDecision> {
  const { candidates } = classifyCode(code, { today: deps.clock.today(), field: 'subjectCode' });
  for (const candidate of candidates) {
    const prefix = PARTITIONS[candidate.type];
    const found = prefix ? await deps.store.decision(`${prefix}${candidate.result.value}`, ref) : undefined;
    if (found && found.agencyCode === caller.agencyCode) return found;
  }
  throw new DecisionNotFoundError(
    `no ${ref.dataset} ${ref.recordId} of this subject reported by ${caller.agencyCode}`,
  );
}

export async function withdrawDecision(
  deps: WithdrawalDependencies,
  caller: Caller,
  ref: PublishedDecision['ref'],
  request: WithdrawalRequest,
): Promise<{ changed: boolean; status: 'withdrawn'; withdrawal: Withdrawal | null }> {
  const decision = await ownDecision(deps, caller, request.subjectCode, ref);
  if (decision.status === 'withdrawn') {
    return { changed: false, status: 'withdrawn', withdrawal: decision.withdrawal ?? null };
  }
  const today = deps.clock.today();
  if (request.revokedOn > today) throw new RevokedInFutureError(request.revokedOn, today);
  const dueDate = withdrawalDueDate(await loadWorkingCalendar(deps.calendar), request.revokedOn);
  const withdrawal: Withdrawal = {
    revokedOn: request.revokedOn,
    reason: request.reason,
    withdrawnAt: deps.clock.now().toISOString(),
    withdrawnOn: today,
    dueDate,
    late: today > dueDate,
    by: { agencyCode: caller.agencyCode, keyId: caller.keyId },
    rulesVersion: objectionRules.version,
  };
  const changed = await deps.store.withdraw(decision, withdrawal);
  if (!changed) {
    const now = await deps.store.decision(decision.subjectKey, ref);
    return { changed: false, status: 'withdrawn', withdrawal: now?.withdrawal ?? null };
  }
  return { changed: true, status: 'withdrawn', withdrawal };
}

/** The deadlines run's view: decisions withdrawn on the covered day after their limit. */
export function withdrawalDeadlines(store: WithdrawalStore): WorkflowDeadlineSource {
  return {
    async overdueOn(date) {
      const lines = await store.withdrawnOn(date);
      return lines
        .filter((line) => line.withdrawal.late)
        .map((line) => ({
          type: 'withdrawal-late' as const,
          agencyCode: line.agencyCode,
          reference: `${line.ref.dataset}/${line.documentNumber ?? line.ref.recordId}`,
          dueDate: line.withdrawal.dueDate,
          detail: `revoked ${line.withdrawal.revokedOn}, withdrawn from public view ${line.withdrawal.withdrawnOn}`,
        }));
    },
  };
}
