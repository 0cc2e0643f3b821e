/**
 * Withdrawal of a published decision from public view (行政处罚法 art. 48): a decision changed,
 * revoked, confirmed illegal or void leaves the public view within the limit of
 * config/objections.json (`withdrawal`), counted from the day it was revoked.
 */

export const withdrawableDatasets = ['admin-penalty', 'admin-license'] as const;
export type WithdrawableDataset = (typeof withdrawableDatasets)[number];

export interface DecisionRef {
  readonly dataset: WithdrawableDataset;
  readonly recordId: string;
}

export interface Withdrawal {
  /** The day the decision was revoked or changed (the agency's own decision date). */
  readonly revokedOn: string;
  readonly reason: string;
  readonly withdrawnAt: string;
  readonly withdrawnOn: string;
  /** The last day it could stay public: revokedOn + the limit in working days. */
  readonly dueDate: string;
  /** Withdrawn after its due date. */
  readonly late: boolean;
  readonly by: { readonly agencyCode: string; readonly keyId: string };
  /** The limits' version (config/objections.json). */
  readonly rulesVersion: string;
}

/** A published decision as the withdrawal needs it. */
export interface PublishedDecision {
  readonly subjectKey: string;
  readonly ref: DecisionRef;
  readonly agencyCode: string;
  /** `withdrawn` once withdrawn, by a file (撤销 / 无效) or by this API. */
  readonly status?: string;
  readonly documentNumber?: string;
  readonly withdrawal?: Withdrawal;
}

/** One withdrawal of a day, for the deadlines run. */
export interface WithdrawalLine {
  readonly agencyCode: string;
  readonly ref: DecisionRef;
  readonly documentNumber?: string;
  readonly withdrawal: Withdrawal;
}
