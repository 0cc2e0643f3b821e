import { z } from 'zod';
import repairJson from '#config/repair.json' with { type: 'json' };
import { addDays } from '../lifecycle';
import { isoDateSchema, severities } from '../lifecycle/types';

/**
 * The rules of credit repair (信用修复) as data: rule sets by application date with their time
 * limits, eligibility and extension, from config/repair.json. Parsed strictly at load, so a bad edit
 * fails loudly. No I/O, no clock.
 */

const limit = z.number().int().min(1).nullable();

const ruleSetSchema = z.strictObject({
  id: z.string().min(1),
  title: z.string().min(1),
  applicationsFrom: isoDateSchema.nullable(),
  applicationsBefore: isoDateSchema.nullable(),
  limits: z.strictObject({
    acceptWorkingDays: limit,
    authorityDecisionWorkingDays: limit,
    applicantReplyWorkingDays: limit,
    syncWorkingDays: limit,
  }),
  source: z.string().min(1),
});

const repairConfigSchema = z.strictObject({
  $comment: z.string().optional(),
  version: z.string().min(1),
  ruleSets: z.array(ruleSetSchema).min(1),
  eligibility: z.strictObject({
    datasets: z.array(z.enum(['admin-penalty', 'list-entry'])).min(1),
    listEntrySeverity: z.enum(severities),
    source: z.string().min(1),
  }),
  extension: z.strictObject({ maxWorkingDays: z.number().int().min(1), source: z.string().min(1) }),
  intake: z.strictObject({ publicApplicationsAgency: z.string().min(1), source: z.string().min(1) }),
});

export type RepairRuleSet = z.infer<typeof ruleSetSchema>;
export type RepairConfig = z.infer<typeof repairConfigSchema>;
export type RepairDataset = RepairConfig['eligibility']['datasets'][number];

/** The rule sets must not overlap, or one application could fall under two. */
function checkRuleSets(config: RepairConfig): void {
  const sorted = [...config.ruleSets].sort((a, b) =>
    (a.applicationsFrom ?? '').localeCompare(b.applicationsFrom ?? ''),
  );
  for (let index = 1; index < sorted.length; index++) {
    const previous = sorted[index - 1];
    const current = sorted[index];
    if (previous && current && previous.applicationsBefore !== current.applicationsFrom) {
      throw new Error(
        `config/repair.json: rule set ${current.id} must start where ${previous.id} ends (${previous.applicationsBefore})`,
      );
    }
  }
}

export function parseRepairConfig(json: unknown): RepairConfig {
  const config = repairConfigSchema.parse(json);
  checkRuleSets(config);
  return config;
}

/** config/repair.json. */
export const REPAIR_CONFIG: RepairConfig = parseRepairConfig(repairJson);

/** The rule set in force for an application made on `applicationDate`, or undefined before any. */
export function repairRuleSetFor(
  applicationDate: string,
  config: RepairConfig = REPAIR_CONFIG,
): RepairRuleSet | undefined {
  return config.ruleSets.find(
    (set) =>
      (set.applicationsFrom === null || set.applicationsFrom <= applicationDate) &&
      (set.applicationsBefore === null || applicationDate < set.applicationsBefore),
  );
}

/** What eligibility needs to know about a record (copied onto the case). */
export interface EligibilityInput {
  readonly severity: string | null;
  /** First day of display (the decision date). */
  readonly displayFrom: string;
  /** Last day of the minimum publication period. */
  readonly minimumUntil: string;
}

/**
 * The first day repair may be applied for: the day after the minimum period ends, or the decision
 * date itself when the minimum is zero (a 轻微 record whose obligation is performed).
 */
export function minEligibleDate(input: EligibilityInput): string {
  if (input.minimumUntil <= input.displayFrom) return input.displayFrom;
  return addDays(input.minimumUntil, 1);
}
