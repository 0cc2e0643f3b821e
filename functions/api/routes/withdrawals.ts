import { z } from 'zod';
import { json } from '#functions/shared/http';
import { ProblemError } from '#lib/http/problem';
import {
  type WithdrawalRequest,
  withdrawalDatasetSchema,
  withdrawalSchema,
  withdrawDecision,
} from '#lib/withdrawals/withdraw';
import { defineRoute, type Route } from '../router';

/**
 * Withdrawal of a published decision from public view by its source agency (行政处罚法 art. 48):
 * the same effect as a 撤销 / 无效 row, with the day it was revoked, so that the deadlines run can
 * tell a withdrawal later than its limit. Withdrawing twice changes nothing (200, changed false).
 */

const params = z.object({ dataset: withdrawalDatasetSchema, recordId: z.string().min(1) });

export const withdrawalRoutes: Route[] = [
  defineRoute<WithdrawalRequest>({
    method: 'POST',
    path: '/v1/records/{dataset}/{recordId}/withdrawal',
    summary:
      'Withdraw a published decision (revoked, changed, illegal or void) from public view and checks at once; the source agency only; twice is a no-op',
    roles: ['case-officer', 'credit-office'],
    body: withdrawalSchema,
    success: {
      status: 200,
      description: '{ changed, status: withdrawn, withdrawal: { revokedOn, withdrawnOn, dueDate, late, … } }',
    },
    problems: [
      { status: 400, code: 'INVALID_PATH', description: 'dataset is not admin-penalty or admin-license' },
      { status: 400, code: 'INVALID_SUBJECT_CODE', description: 'subjectCode is no valid code' },
      {
        status: 404,
        code: 'DECISION_NOT_FOUND',
        description: 'no such decision reported by the calling agency',
      },
      { status: 422, code: 'REVOKED_IN_FUTURE', description: 'revokedOn is after today' },
    ],
    handle: async ({ caller, params: path, body, deps }) => {
      const parsed = params.safeParse(path);
      if (!parsed.success) {
        throw new ProblemError(400, 'INVALID_PATH', 'dataset must be admin-penalty or admin-license');
      }
      const useCase = { store: deps.withdrawals, calendar: deps.deadlines, clock: deps.clock };
      return json(200, await withdrawDecision(useCase, caller, parsed.data, body), {
        'cache-control': 'no-store',
      });
    },
  }),
];
