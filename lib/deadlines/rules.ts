import { z } from 'zod';

/**
 * Reporting deadline rules. The defaults are the documents' national rules; the credit office
 * overrides them per dataset, per region and per agency with one stored document
 * (PUT /v1/deadlines/rules), merged over the defaults at every run and request.
 */

const workingDays = z.number().int().min(0).max(60);

export const agencyObligationSchema = z
  .object({
    /** Region code (e.g. 440700 江门) whose overrides apply to this agency. */
    region: z.string().min(1).optional(),
    /** An agency with no submission (any dataset) for longer than this many calendar days is flagged. */
    cadenceDays: z.number().int().min(1).max(400).optional(),
    /** The agency owes the quarterly report. */
    quarterlyReport: z.boolean().optional(),
    /** Minimum number of cases (案例) the agency reports each month; 0 or absent = no monthly report owed. */
    monthlyCaseMinimum: z.number().int().min(0).max(1000).optional(),
  })
  .strict();

const datasetRule = z.object({ workingDays }).strict();

export const ruleOverridesSchema = z
  .object({
    /** Working days after the decision for each dataset (双公示 7, other collection 10). */
    datasets: z.record(z.string(), datasetRule).optional(),
    /** Per-region overrides of the dataset rules. */
    regions: z
      .record(z.string(), z.object({ datasets: z.record(z.string(), datasetRule) }).strict())
      .optional(),
    /** Default for datasets not listed: collection within N working days. */
    collectionWorkingDays: workingDays.optional(),
    /** Quarterly reports are due before this day of the quarter's last month. */
    quarterlyReportBeforeDay: z.number().int().min(2).max(28).optional(),
    /** Monthly case reports are due on this day of the following month. */
    monthlyCasesDueDay: z.number().int().min(1).max(28).optional(),
    /** Feedback on applied measures is owed N working days after the check. */
    feedbackWorkingDays: workingDays.optional(),
    /** Days the run looks back for expiries it may have missed (a failed or skipped run). */
    catchUpDays: z.number().int().min(1).max(31).optional(),
    /** Cadence (calendar days) for every known agency without its own `cadenceDays`; absent = none. */
    defaultCadenceDays: z.number().int().min(1).max(400).optional(),
    /** Days of checks the run scans for owed feedback. */
    feedbackWindowDays: z.number().int().min(1).max(366).optional(),
    /** Pending-calendar records the run re-evaluates at most per run (the rest on the next runs). */
    pendingReevaluationLimit: z.number().int().min(1).max(100_000).optional(),
    agencies: z.record(z.string().regex(/^[A-Z][A-Z0-9]{1,31}$/), agencyObligationSchema).optional(),
  })
  .strict();

export type AgencyObligation = z.infer<typeof agencyObligationSchema>;
export type RuleOverrides = z.infer<typeof ruleOverridesSchema>;

export interface DeadlineRules {
  readonly datasets: Readonly<Record<string, { readonly workingDays: number }>>;
  readonly regions: Readonly<
    Record<string, { readonly datasets: Readonly<Record<string, { readonly workingDays: number }>> }>
  >;
  readonly collectionWorkingDays: number;
  readonly quarterlyReportBeforeDay: number;
  readonly monthlyCasesDueDay: number;
  readonly feedbackWorkingDays: number;
  readonly catchUpDays: number;
  readonly feedbackWindowDays: number;
  readonly pendingReevaluationLimit: number;
  readonly defaultCadenceDays?: number;
  readonly agencies: Readonly<Record<string, AgencyObligation>>;
}

/** 双公示 (administrative licensing and penalty) within 7 working days; other collection within 10. */
export const defaultRules: DeadlineRules = Object.freeze({
  datasets: { 'admin-penalty': { workingDays: 7 }, 'admin-license': { workingDays: 7 } },
  regions: {},
  collectionWorkingDays: 10,
  quarterlyReportBeforeDay: 25,
  monthlyCasesDueDay: 10,
  feedbackWorkingDays: 10,
  catchUpDays: 7,
  feedbackWindowDays: 90,
  pendingReevaluationLimit: 1000,
  agencies: {},
});

/** The defaults with the stored overrides on top (datasets, regions and agencies merged key by key). */
export function resolveRules(overrides: RuleOverrides | undefined): DeadlineRules {
  if (!overrides) return defaultRules;
  return {
    datasets: { ...defaultRules.datasets, ...overrides.datasets },
    regions: { ...defaultRules.regions, ...overrides.regions },
    collectionWorkingDays: overrides.collectionWorkingDays ?? defaultRules.collectionWorkingDays,
    quarterlyReportBeforeDay: overrides.quarterlyReportBeforeDay ?? defaultRules.quarterlyReportBeforeDay,
    monthlyCasesDueDay: overrides.monthlyCasesDueDay ?? defaultRules.monthlyCasesDueDay,
    feedbackWorkingDays: overrides.feedbackWorkingDays ?? defaultRules.feedbackWorkingDays,
    catchUpDays: overrides.catchUpDays ?? defaultRules.catchUpDays,
    feedbackWindowDays: overrides.feedbackWindowDays ?? defaultRules.feedbackWindowDays,
    pendingReevaluationLimit: overrides.pendingReevaluationLimit ?? defaultRules.pendingReevaluationLimit,
    ...(overrides.defaultCadenceDays ? { defaultCadenceDays: overrides.defaultCadenceDays } : {}),
    agencies: { ...defaultRules.agencies, ...overrides.agencies },
  };
}

/** Working days allowed for a dataset, for an agency's region when it has one. */
export function workingDaysFor(rules: DeadlineRules, dataset: string, agencyCode?: string): number {
  const region = agencyCode ? rules.agencies[agencyCode]?.region : undefined;
  const regional = region ? rules.regions[region]?.datasets[dataset] : undefined;
  return regional?.workingDays ?? rules.datasets[dataset]?.workingDays ?? rules.collectionWorkingDays;
}

/** Datasets with a 双公示 deadline (their records carry dueDate and late). */
export function isDoublePublicity(dataset: string): boolean {
  return dataset === 'admin-penalty' || dataset === 'admin-license';
}

// Periods -------------------------------------------------------------------------------------

export interface ReportPeriod {
  /** 2026-Q4 or 2026-11 */
  readonly period: string;
  /** Last day the report is on time, YYYY-MM-DD. */
  readonly dueDate: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The quarter containing `date` and the one before: reports due before day N of the last month. */
export function quarterlyPeriods(date: string, beforeDay: number): ReportPeriod[] {
  const year = Number(date.slice(0, 4));
  const quarter = Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1;
  const of = (y: number, q: number): ReportPeriod => ({
    period: `${y}-Q${q}`,
    dueDate: `${y}-${pad(q * 3)}-${pad(beforeDay - 1)}`,
  });
  return [quarter === 1 ? of(year - 1, 4) : of(year, quarter - 1), of(year, quarter)];
}

/** The month before `date`, whose case report is due on day N of `date`'s month. */
export function previousMonthPeriod(date: string, dueDay: number): ReportPeriod {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const previous = month === 1 ? `${year - 1}-12` : `${year}-${pad(month - 1)}`;
  return { period: previous, dueDate: `${date.slice(0, 7)}-${pad(dueDay)}` };
}
