import { z } from 'zod';
import type { Period } from './period';

/** Severity tiers of bad-credit records (Order 36). */
export const severities = ['轻微', '一般', '严重'] as const;
export type Severity = (typeof severities)[number];

/** 行政相对人类别, as the 双公示 templates spell it. */
export type SubjectCategory = '法人及非法人组织' | '自然人' | '个体工商户';

/** Something the record's report should show without rejecting the record. */
export interface LifecycleWarning {
  readonly code: string;
  readonly message: string;
}

/** A period in configuration: exactly one of years, months, days, a whole number ≥ 0. */
const count = z.number().int().min(0);
export const periodSchema: z.ZodType<Period> = z.union([
  z.strictObject({ years: count }),
  z.strictObject({ months: count }),
  z.strictObject({ days: count }),
]);

export const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
