import { z } from 'zod';
import objectionsJson from '#config/objections.json' with { type: 'json' };
import type { WorkingCalendar } from '../calendar/calendar';

/**
 * The objection workflow's time limits and the withdrawal limit, from config/objections.json: each
 * a number of working days on the official calendar, with the source it comes from.
 */

const limitSchema = z.object({
  workingDays: z.number().int().min(1).max(60),
  from: z.string().min(1),
  source: z.string().min(1),
});

const objectionRulesSchema = z.object({
  version: z.string().min(1),
  steps: z.object({ accept: limitSchema, platformCheck: limitSchema, sourceReply: limitSchema }),
  withdrawal: limitSchema,
});

export type ObjectionRules = z.infer<typeof objectionRulesSchema>;
export type ObjectionStep = keyof ObjectionRules['steps'];

/** config/objections.json, validated once. */
export const objectionRules: ObjectionRules = objectionRulesSchema.parse(objectionsJson);

/** The last day (inclusive) a step is on time: `from` plus the step's working days, `from` not counted. */
export function stepDueDate(
  calendar: WorkingCalendar,
  step: ObjectionStep,
  from: string,
  rules: ObjectionRules = objectionRules,
): string {
  return calendar.addWorkingDays(from, rules.steps[step].workingDays);
}

/** The last day a changed or revoked decision may still be public: its revocation date + N working days. */
export function withdrawalDueDate(
  calendar: WorkingCalendar,
  revokedOn: string,
  rules: ObjectionRules = objectionRules,
): string {
  return calendar.addWorkingDays(revokedOn, rules.withdrawal.workingDays);
}
