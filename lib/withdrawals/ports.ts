import type { DecisionRef, PublishedDecision, Withdrawal, WithdrawalLine } from './types';

/** What the withdrawal use case needs from storage (lib/aws/withdrawal-store.ts). */
export interface WithdrawalStore {
  decision(subjectKey: string, ref: DecisionRef): Promise<PublishedDecision | undefined>;
  /** Withdraws the decision unless it already is: false when another request withdrew it first. */
  withdraw(decision: PublishedDecision, withdrawal: Withdrawal): Promise<boolean>;
  /** The decisions withdrawn through the API on a day (Asia/Shanghai). */
  withdrawnOn(date: string): Promise<WithdrawalLine[]>;
}
