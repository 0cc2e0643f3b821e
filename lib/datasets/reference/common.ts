import type { RowIssue } from '../fields';

/** Reference data is kept by the credit office: only agencies registered with this role may submit it. */
export const REFERENCE_SUBMITTER_ROLE = 'credit-office';

export const listNatures = ['红名单', '黑名单'] as const;
export type ListNature = (typeof listNatures)[number];

export const measureNatures = ['激励', '惩戒'] as const;
export type MeasureNature = (typeof measureNatures)[number];

export const bindingKinds = ['必须', '参考'] as const;
export type Binding = (typeof bindingKinds)[number];

export const measureTargets = ['主体', '法定代表人', '主要负责人', '直接责任人', '自然人'] as const;
export type MeasureTarget = (typeof measureTargets)[number];

/** Codes are compared upper-case and without surrounding space, as list entries store them. */
export function normaliseReferenceCode(value: string): string {
  return value.trim().toUpperCase();
}

export function positiveInteger(
  field: string,
  raw: string | undefined,
): { ok: true; value: number | undefined } | { ok: false; issue: RowIssue } {
  if (raw === undefined || raw === '') return { ok: true, value: undefined };
  if (!/^\d{1,4}$/.test(raw) || Number(raw) === 0) {
    return {
      ok: false,
      issue: {
        field,
        value: raw,
        code: 'NOT_A_POSITIVE_INTEGER',
        reason: `${field} must be a whole number of months`,
      },
    };
  }
  return { ok: true, value: Number(raw) };
}
