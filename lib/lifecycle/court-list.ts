import { z } from 'zod';
import courtGroundsJson from '#config/court-dishonest-grounds.json' with { type: 'json' };
import { addDays, addPeriod, describePeriod, earliest } from './period';
import { type LifecycleWarning, periodSchema } from './types';

/**
 * How long a 失信被执行人 listing is in effect, by its ground (法释〔2017〕7号 art. 1 items 1–6,
 * config/court-dishonest-grounds.json): item 1 until performance or deletion, items 2–6 a fixed
 * period from 发布时间 that the court may extend within a cap. An 有效期至 past the cap is
 * impossible and rejected; 全部履行 without 移出日期 is due for removal within N working days.
 */

const periodRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('until-performance') }),
  z.strictObject({
    kind: z.literal('fixed'),
    base: periodSchema,
    extension: z.strictObject({ min: periodSchema, max: periodSchema }),
  }),
]);

const courtGroundsSchema = z.object({
  version: z.string().min(1),
  source: z.string().min(1),
  grounds: z
    .array(
      z.object({
        item: z.number().int().min(1),
        label: z.string().min(1),
        matches: z.array(z.string().min(1)).min(1),
        period: periodRuleSchema,
      }),
    )
    .min(1),
  unknownGround: z.object({ period: periodRuleSchema, note: z.string().min(1) }),
  removal: z.object({ workingDays: z.number().int().min(1), source: z.string().min(1) }),
});

export type CourtGroundTable = z.infer<typeof courtGroundsSchema>;
export type CourtGround = CourtGroundTable['grounds'][number];
export type CourtPeriodRule = z.infer<typeof periodRuleSchema>;

/** Parse and check the grounds table; throws on a malformed table or a repeated item. */
export function parseCourtGroundTable(json: unknown): CourtGroundTable {
  const table = courtGroundsSchema.parse(json);
  const items = new Set<number>();
  for (const ground of table.grounds) {
    if (items.has(ground.item)) throw new Error(`court grounds table lists item ${ground.item} twice`);
    items.add(ground.item);
  }
  return table;
}

/** config/court-dishonest-grounds.json. */
export const COURT_GROUND_TABLE: CourtGroundTable = parseCourtGroundTable(courtGroundsJson);

/** `2099-12-31` in 有效期至 means no end. */
const OPEN_END = '2099-12-31';
// Published texts vary in punctuation and spacing; the grounds' key phrases do not.
const PUNCTUATION = /[\s、，,。.；;：:（）()“”"'《》·]/gu;

const normaliseText = (text: string) => text.replace(PUNCTUATION, '');

/** The grounds a 失信被执行人行为具体情形 text names: by key phrase, or by item number alone. */
export function recogniseGrounds(
  conduct: string,
  table: CourtGroundTable = COURT_GROUND_TABLE,
): CourtGround[] {
  const text = normaliseText(conduct);
  const byNumber = table.grounds.find((ground) => text === String(ground.item));
  if (byNumber) return [byNumber];
  return table.grounds.filter((ground) =>
    ground.matches.some((phrase) => text.includes(normaliseText(phrase))),
  );
}

/** Adds `n` working days to a date; null when that year's calendar is not known (yet). */
export type AddWorkingDays = (from: string, n: number) => string | null;

export interface CourtListingInput {
  /** 失信被执行人行为具体情形. */
  readonly conduct: string;
  /** 发布时间, `YYYY-MM-DD`: the listing is in effect from this day. */
  readonly publishedOn: string;
  /** 有效期至, `YYYY-MM-DD`; `2099-12-31` means no end. */
  readonly validUntil?: string | null | undefined;
  /** 移出日期: no longer in effect from this day. */
  readonly removedOn?: string | null | undefined;
  readonly performance: '全部未履行' | '部分未履行' | '全部履行';
  /** The day the platform received this state of the entry: the removal clock starts then. */
  readonly receivedOn: string;
}

export interface RemovalDue {
  readonly workingDays: number;
  readonly from: string;
  /** Last day to remove it; null while the year's calendar is unknown (pendingCalendar). */
  readonly dueBy: string | null;
  readonly pendingCalendar: boolean;
}

export type CourtListingEvaluation =
  | {
      readonly ok: true;
      /** Items of art. 1 the conduct names; empty when none was recognised. */
      readonly grounds: readonly number[];
      readonly rule: CourtPeriodRule['kind'];
      /** Last day of the fixed period without extension; null for until-performance. */
      readonly periodEnd: string | null;
      /** Latest possible 有效期至 (base + longest extension); null for until-performance. */
      readonly cap: string | null;
      /** Last day in effect, inclusive; null: until removed. */
      readonly effectiveUntil: string | null;
      /** Last day in effect without the removal deadline (the ground, 有效期至, 移出日期); null: none. */
      readonly endBeforeRemoval: string | null;
      /** Set when the subject has performed in full and the entry was not removed. */
      readonly removal: RemovalDue | null;
      /** GROUND_UNKNOWN, VALID_UNTIL_BELOW_PERIOD, VALID_UNTIL_IRREGULAR_EXTENSION, PERFORMED_NOT_REMOVED. */
      readonly warnings: readonly LifecycleWarning[];
    }
  | { readonly ok: false; readonly code: 'VALID_UNTIL_BEYOND_CAP'; readonly message: string };

/** Item 1 is the only ground without a fixed end; with it among the grounds none applies. */
function ruleFor(grounds: readonly CourtGround[], table: CourtGroundTable): CourtPeriodRule {
  if (grounds.length === 0) return table.unknownGround.period;
  const open = grounds.find((ground) => ground.period.kind === 'until-performance');
  if (open) return open.period;
  // Several fixed grounds: the longest base and cap (art. 2 lets several acts extend the period).
  const fixed = grounds.map((ground) => ground.period).filter((rule) => rule.kind === 'fixed');
  const reference = '2024-02-29';
  return fixed.reduce((longest, rule) =>
    addPeriod(reference, rule.base) > addPeriod(reference, longest.base) ? rule : longest,
  );
}

function fixedEndWarnings(
  validUntil: string,
  rule: Extract<CourtPeriodRule, { kind: 'fixed' }>,
  publishedOn: string,
  periodEnd: string,
): LifecycleWarning[] {
  if (validUntil < periodEnd) {
    return [
      {
        code: 'VALID_UNTIL_BELOW_PERIOD',
        message: `有效期至 ${validUntil} is before the end of the ${describePeriod(rule.base)} period from ${publishedOn} (${periodEnd}); kept as the court gave it`,
      },
    ];
  }
  const earliestExtended = addPeriod(periodEnd, rule.extension.min);
  if (validUntil > periodEnd && validUntil < earliestExtended) {
    return [
      {
        code: 'VALID_UNTIL_IRREGULAR_EXTENSION',
        message: `有效期至 ${validUntil} extends the ${describePeriod(rule.base)} period (ending ${periodEnd}) by less than the ${describePeriod(rule.extension.min)} minimum extension; kept as the court gave it`,
      },
    ];
  }
  return [];
}

function removalDue(
  input: CourtListingInput,
  table: CourtGroundTable,
  addWorkingDays: AddWorkingDays,
): RemovalDue {
  const workingDays = table.removal.workingDays;
  const dueBy = addWorkingDays(input.receivedOn, workingDays);
  return { workingDays, from: input.receivedOn, dueBy, pendingCalendar: dueBy === null };
}

type Rejection = Extract<CourtListingEvaluation, { ok: false }>;

interface ListingEnd {
  readonly periodEnd: string | null;
  readonly cap: string | null;
  /** The court's or the rule's end, before removal is considered; null: none. */
  readonly end: string | null;
  readonly warnings: readonly LifecycleWarning[];
}

/** The end a rule and the court's 有效期至 give, or the rejection of an impossible 有效期至. */
function listingEnd(
  input: CourtListingInput,
  rule: CourtPeriodRule,
  table: CourtGroundTable,
): ListingEnd | Rejection {
  const validUntil = input.validUntil ?? null;
  if (rule.kind === 'until-performance') {
    return { periodEnd: null, cap: null, end: validUntil === OPEN_END ? null : validUntil, warnings: [] };
  }
  const periodEnd = addPeriod(input.publishedOn, rule.base);
  const cap = addPeriod(periodEnd, rule.extension.max);
  if (validUntil === null) return { periodEnd, cap, end: periodEnd, warnings: [] };
  if (validUntil > cap) {
    const given = validUntil === OPEN_END ? `${OPEN_END} (no end)` : validUntil;
    return {
      ok: false,
      code: 'VALID_UNTIL_BEYOND_CAP',
      message: `有效期至 ${given} is impossible for this ground: ${describePeriod(rule.base)} from 发布时间 ${input.publishedOn} extended by at most ${describePeriod(rule.extension.max)} ends on ${cap} (${table.version} art. 2)`,
    };
  }
  return {
    periodEnd,
    cap,
    end: validUntil,
    warnings: fixedEndWarnings(validUntil, rule, input.publishedOn, periodEnd),
  };
}

function unknownGroundWarning(input: CourtListingInput, table: CourtGroundTable): LifecycleWarning {
  return {
    code: 'GROUND_UNKNOWN',
    message: `"${input.conduct}" names none of the grounds of ${table.version} art. 1: ${table.unknownGround.note}`,
  };
}

function performedWarning(removal: RemovalDue, table: CourtGroundTable): LifecycleWarning {
  const due = removal.dueBy ?? 'due date pending: that year’s calendar is not known';
  return {
    code: 'PERFORMED_NOT_REMOVED',
    message: `全部履行 without 移出日期: to be removed within ${removal.workingDays} working days of ${removal.from} (${due}; ${table.removal.source})`,
  };
}

/**
 * Evaluate a court listing: its grounds, period rule and the last day it is in effect. Rejects an
 * 有效期至 beyond what any extension allows (VALID_UNTIL_BEYOND_CAP), `2099-12-31` included, for
 * grounds with a fixed period.
 */
export function evaluateCourtListing(
  input: CourtListingInput,
  addWorkingDays: AddWorkingDays,
  table: CourtGroundTable = COURT_GROUND_TABLE,
): CourtListingEvaluation {
  const grounds = recogniseGrounds(input.conduct, table);
  const rule = ruleFor(grounds, table);
  const ending = listingEnd(input, rule, table);
  if ('ok' in ending) return ending;
  const warnings = [
    ...(grounds.length === 0 ? [unknownGroundWarning(input, table)] : []),
    ...ending.warnings,
  ];
  const removedOn = input.removedOn ?? null;
  const removal =
    input.performance === '全部履行' && removedOn === null ? removalDue(input, table, addWorkingDays) : null;
  if (removal) warnings.push(performedWarning(removal, table));
  const lastDayBeforeRemoval = removedOn === null ? null : addDays(removedOn, -1);
  return {
    ok: true,
    grounds: grounds.map((ground) => ground.item),
    rule: rule.kind,
    periodEnd: ending.periodEnd,
    cap: ending.cap,
    effectiveUntil: earliest([ending.end, lastDayBeforeRemoval, removal?.dueBy ?? null]),
    endBeforeRemoval: earliest([ending.end, lastDayBeforeRemoval]),
    removal,
    warnings,
  };
}

/** Whether the listing is in effect (shown and matched) on `date`. */
export function isListingInEffectOn(
  listing: { readonly publishedOn: string; readonly effectiveUntil: string | null },
  date: string,
): boolean {
  return listing.publishedOn <= date && (listing.effectiveUntil === null || date <= listing.effectiveUntil);
}
