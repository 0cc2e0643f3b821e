import { z } from 'zod';
import displayPeriodsJson from '#config/display-periods.json' with { type: 'json' };
import { addPeriod, describePeriod, type Period } from './period';
import { isoDateSchema, type LifecycleWarning, periodSchema, type Severity, severities } from './types';

/**
 * Display periods (公示期限) from the rule table in config/display-periods.json: which rule set a
 * record falls under (by its start date), the minimum and maximum for its dataset and severity, and
 * the dates the platform shows it from and until.
 */

/** `2099-12-31` is how the templates say "no end" (长期). */
export const OPEN_END = '2099-12-31';

const tierSchema = z.strictObject({ min: periodSchema, max: periodSchema });
const tierKeys = [...severities, 'unclassified'] as const;
export type DisplayTier = (typeof tierKeys)[number];

const ruleSetSchema = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  recordsFrom: isoDateSchema.nullable(),
  recordsBefore: isoDateSchema.nullable(),
  start: z.enum(['decision-date', 'publication-date']),
  source: z.string().min(1),
  tables: z.array(
    z.object({
      datasets: z.array(z.string().min(1)).min(1),
      tiers: z.strictObject({
        轻微: tierSchema,
        一般: tierSchema,
        严重: tierSchema,
        unclassified: tierSchema,
      }),
    }),
  ),
});

const displayPeriodsSchema = z.object({
  version: z.string().min(1),
  ruleSets: z.array(ruleSetSchema).min(1),
});

export type DisplayRuleSet = z.infer<typeof ruleSetSchema>;
export type DisplayPeriodTable = z.infer<typeof displayPeriodsSchema>;

// Two reference starts (a 31st and a leap day) are enough to see whether min ≤ max for any unit mix.
const REFERENCE_STARTS = ['2024-01-31', '2024-02-29'];

/** Sorted by start, the sets must meet end to start, the first open at the start, the last at the end. */
function checkCoverage(table: DisplayPeriodTable): void {
  const sorted = [...table.ruleSets].sort((a, b) => (a.recordsFrom ?? '').localeCompare(b.recordsFrom ?? ''));
  const first = sorted[0]!;
  const last = sorted.at(-1)!;
  if (first.recordsFrom !== null)
    throw new Error(`rule set ${first.id}: the first must have recordsFrom null`);
  if (last.recordsBefore !== null)
    throw new Error(`rule set ${last.id}: the last must have recordsBefore null`);
  for (const [index, set] of sorted.slice(0, -1).entries()) {
    const next = sorted[index + 1]!;
    if (set.recordsBefore !== next.recordsFrom) {
      throw new Error(
        `rule sets ${set.id} and ${next.id} must meet: ${set.recordsBefore} ≠ ${next.recordsFrom}`,
      );
    }
  }
}

/** Each dataset once per set, and every minimum within its maximum. */
function checkTiers(set: DisplayRuleSet): void {
  const seen = new Set<string>();
  for (const { datasets, tiers } of set.tables) {
    for (const dataset of datasets) {
      if (seen.has(dataset)) throw new Error(`rule set ${set.id} lists dataset ${dataset} twice`);
      seen.add(dataset);
    }
    for (const key of tierKeys) {
      const { min, max } = tiers[key];
      if (REFERENCE_STARTS.some((start) => addPeriod(start, min) > addPeriod(start, max))) {
        throw new Error(`rule set ${set.id}, ${datasets.join('/')} ${key}: minimum is longer than maximum`);
      }
    }
  }
}

/**
 * Parse and check a display-period table: rule sets must meet end to start with no gap or overlap
 * (the first open at the start, the last open at the end), and each minimum fit in its maximum.
 */
export function parseDisplayPeriodTable(json: unknown): DisplayPeriodTable {
  const table = displayPeriodsSchema.parse(json);
  checkCoverage(table);
  for (const set of table.ruleSets) checkTiers(set);
  return table;
}

/** config/display-periods.json. */
export const DISPLAY_PERIOD_TABLE: DisplayPeriodTable = parseDisplayPeriodTable(displayPeriodsJson);

/** The rule set in force for a record whose period starts on `startDate`. */
export function ruleSetFor(
  startDate: string,
  table: DisplayPeriodTable = DISPLAY_PERIOD_TABLE,
): DisplayRuleSet {
  const set = table.ruleSets.find(
    (candidate) =>
      (candidate.recordsFrom === null || candidate.recordsFrom <= startDate) &&
      (candidate.recordsBefore === null || startDate < candidate.recordsBefore),
  );
  // checkTable guarantees the sets cover every date.
  if (!set) throw new Error(`no display rule set covers ${startDate}`);
  return set;
}

export class NoDisplayRuleError extends Error {
  override name = 'NoDisplayRuleError';
}

export interface DisplayPeriodInput {
  readonly dataset: string;
  /** null when neither the source nor a default rule gives one (see classifySeverity). */
  readonly severity: Severity | null;
  /** `YYYY-MM-DD`: the decision (finding) date. */
  readonly decisionDate: string;
  /** `YYYY-MM-DD`: needed only where a rule set counts from publication. */
  readonly publicationDate?: string | undefined;
  /** The source's 公示截止期 (CF_GSJZQ), `YYYY-MM-DD`; `2099-12-31` means no end. */
  readonly sourceEnd?: string | null | undefined;
}

export interface DisplayPeriod {
  /** Stored on the record: the rule set its periods come from. */
  readonly ruleSetId: string;
  readonly tier: DisplayTier;
  /** First day shown (the start date). */
  readonly displayFrom: string;
  /** Last day shown, inclusive: the maximum's end, or the source's earlier 公示截止期. */
  readonly displayUntil: string;
  /** Last day of the minimum period: repair may be applied for from the day after. */
  readonly minimumUntil: string;
  /** Last day of the maximum period. */
  readonly maximumUntil: string;
  /** Whether displayUntil is the rule's maximum or the source's own end. */
  readonly until: 'maximum' | 'source-end';
  readonly min: Period;
  readonly max: Period;
  /** SOURCE_END_CAPPED, SOURCE_END_BELOW_MINIMUM, SEVERITY_UNDETERMINED. */
  readonly warnings: readonly LifecycleWarning[];
}

function startOf(set: DisplayRuleSet, input: DisplayPeriodInput): string {
  if (set.start === 'decision-date') return input.decisionDate;
  if (!input.publicationDate) {
    throw new NoDisplayRuleError(
      `rule set ${set.id} counts from publication, and no publication date was given`,
    );
  }
  return input.publicationDate;
}

function sourceEndWarnings(
  sourceEnd: string,
  bounds: {
    start: string;
    minimumUntil: string;
    maximumUntil: string;
    min: Period;
    max: Period;
    ruleSetId: string;
  },
): LifecycleWarning[] {
  const rule = `rule set ${bounds.ruleSetId}`;
  if (sourceEnd > bounds.maximumUntil) {
    const given = sourceEnd === OPEN_END ? `${OPEN_END} (no end)` : sourceEnd;
    return [
      {
        code: 'SOURCE_END_CAPPED',
        message: `公示截止期 ${given} is beyond the maximum of ${describePeriod(bounds.max)} from ${bounds.start} (${rule}): display ends on ${bounds.maximumUntil}`,
      },
    ];
  }
  if (sourceEnd < bounds.minimumUntil) {
    return [
      {
        code: 'SOURCE_END_BELOW_MINIMUM',
        message: `公示截止期 ${sourceEnd} is before the end of the minimum of ${describePeriod(bounds.min)} from ${bounds.start} (${bounds.minimumUntil}, ${rule}): the source's date is kept, check it`,
      },
    ];
  }
  return [];
}

/**
 * The record's display period. The maximum always caps it (a longer source 公示截止期 is capped
 * with a warning); a shorter source end is the source's decision and is kept, with a warning when
 * it falls short of the minimum. Throws NoDisplayRuleError for a dataset the rule set does not cover.
 */
export function computeDisplayPeriod(
  input: DisplayPeriodInput,
  table: DisplayPeriodTable = DISPLAY_PERIOD_TABLE,
): DisplayPeriod {
  const set = ruleSetFor(input.decisionDate, table);
  const rules = set.tables.find((candidate) => candidate.datasets.includes(input.dataset));
  if (!rules)
    throw new NoDisplayRuleError(`rule set ${set.id} has no display periods for dataset ${input.dataset}`);
  const tier: DisplayTier = input.severity ?? 'unclassified';
  const { min, max } = rules.tiers[tier];
  const start = startOf(set, input);
  const minimumUntil = addPeriod(start, min);
  const maximumUntil = addPeriod(start, max);
  const warnings: LifecycleWarning[] = [];
  if (input.severity === null) {
    warnings.push({
      code: 'SEVERITY_UNDETERMINED',
      message: `no severity from the source or a default rule: the unclassified periods apply (${describePeriod(min)} to ${describePeriod(max)}, rule set ${set.id})`,
    });
  }
  const sourceEnd = input.sourceEnd ?? undefined;
  if (sourceEnd !== undefined) {
    warnings.push(
      ...sourceEndWarnings(sourceEnd, { start, minimumUntil, maximumUntil, min, max, ruleSetId: set.id }),
    );
  }
  const bySource = sourceEnd !== undefined && sourceEnd <= maximumUntil;
  return {
    ruleSetId: set.id,
    tier,
    displayFrom: start,
    displayUntil: bySource ? sourceEnd : maximumUntil,
    minimumUntil,
    maximumUntil,
    until: bySource ? 'source-end' : 'maximum',
    min,
    max,
    warnings,
  };
}

/** Whether a record with this period is shown (and used) on `date`. */
export function isDisplayedOn(
  period: Pick<DisplayPeriod, 'displayFrom' | 'displayUntil'>,
  date: string,
): boolean {
  return period.displayFrom <= date && date <= period.displayUntil;
}
