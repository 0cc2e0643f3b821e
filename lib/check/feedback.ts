import { z } from 'zod';
import { UnknownMeasureError } from './errors';
import type { ApplicableMeasure } from './measures';

/** Body of POST /v1/checks/{checkId}/feedback (自动汇集反馈实施情况). */
export const feedbackRequestSchema = z.object({
  measures: z
    .array(
      z
        .object({
          measureCode: z.string().trim().min(1).max(64),
          outcome: z.enum(['applied', 'not-applied', 'not-applicable']),
          reason: z.string().trim().min(1).max(2000).optional().describe('Required when not-applied'),
          result: z.string().trim().min(1).max(2000).optional().describe('成效: what applying it achieved'),
          date: z.iso.date().describe('When the measure was applied or the decision taken (YYYY-MM-DD)'),
        })
        .refine((item) => item.outcome !== 'not-applied' || item.reason !== undefined, {
          message: 'a reason is required when a measure was not applied',
          path: ['reason'],
        }),
    )
    .min(1, 'give feedback on at least one measure'),
  comment: z.string().trim().max(2000).optional(),
});
export type FeedbackRequest = z.infer<typeof feedbackRequestSchema>;

export interface FeedbackState {
  readonly checkId: string;
  readonly agencyCode: string;
  readonly keyId: string;
  readonly givenAt: string;
  readonly version: number;
  readonly measures: FeedbackRequest['measures'];
  readonly comment?: string;
  /** Every measure of the check has feedback (latest per measure, across submissions). */
  readonly complete: boolean;
  readonly outstanding: readonly string[];
}

/**
 * Merges a submission into the latest feedback: a measure given again is replaced, others kept.
 * Measures the check did not surface are refused (422 UNKNOWN_MEASURE).
 */
export function mergeFeedback(
  checkMeasures: readonly Pick<ApplicableMeasure, 'code'>[],
  previous: Pick<FeedbackState, 'measures' | 'version'> | undefined,
  submission: FeedbackRequest,
  meta: { checkId: string; agencyCode: string; keyId: string; givenAt: string },
): FeedbackState {
  const known = new Set(checkMeasures.map((measure) => measure.code));
  const unknown = submission.measures.filter((item) => !known.has(item.measureCode.toUpperCase()));
  if (unknown.length > 0) {
    throw new UnknownMeasureError(
      `the check did not surface measure(s) ${unknown.map((item) => item.measureCode).join(', ')}`,
      unknown.map((item) => ({
        field: 'measures.measureCode',
        code: 'UNKNOWN_MEASURE',
        reason: `${item.measureCode} is not among this check's measures (${[...known].join(', ') || 'none'})`,
      })),
    );
  }
  const byCode = new Map((previous?.measures ?? []).map((item) => [item.measureCode, item]));
  for (const item of submission.measures)
    byCode.set(item.measureCode.toUpperCase(), { ...item, measureCode: item.measureCode.toUpperCase() });
  const outstanding = [...known].filter((code) => !byCode.has(code));
  return {
    ...meta,
    version: (previous?.version ?? 0) + 1,
    measures: [...byCode.values()],
    ...(submission.comment ? { comment: submission.comment } : {}),
    complete: outstanding.length === 0,
    outstanding,
  };
}
