import { z } from 'zod';
import severityJson from '#config/severity.json' with { type: 'json' };
import { type Severity, type SubjectCategory, severities } from './types';

/**
 * Severity (轻微 / 一般 / 严重) and the publication decision. The source agency's declared severity
 * always wins (it is not ours to derive); where the source is silent, configured default rules
 * apply in order (config/severity.json). Which records are withheld from publication is
 * configuration too.
 */

const subjectCategorySchema = z.enum(['法人及非法人组织', '自然人', '个体工商户']);

const defaultRuleSchema = z.object({
  id: z.string().min(1),
  severity: z.enum(severities),
  when: z.strictObject({
    datasets: z.array(z.string().min(1)).min(1),
    procedure: z.string().min(1).optional(),
    severeList: z.literal(true).optional(),
    penaltyCategoriesWithin: z.array(z.string().min(1)).min(1).optional(),
    fineAtMostYuan: z.partialRecord(subjectCategorySchema, z.number().min(0)).optional(),
  }),
  source: z.string().min(1),
});

const withholdRuleSchema = z.object({
  id: z.string().min(1),
  when: z.strictObject({
    severity: z.enum(severities).optional(),
    procedure: z.string().min(1).optional(),
    subjectCategory: subjectCategorySchema.optional(),
    withheldFlag: z.enum(['minor', 'secret-or-privacy']).optional(),
  }),
  exceptDatasets: z.array(z.string().min(1)).optional(),
  reason: z.string().min(1),
  source: z.string().min(1),
});

const severityConfigSchema = z.object({
  version: z.string().min(1),
  codes: z.object({ source: z.string().min(1), values: z.record(z.string().min(1), z.enum(severities)) }),
  defaults: z.array(defaultRuleSchema),
  publication: z.object({ source: z.string().min(1), withhold: z.array(withholdRuleSchema) }),
});

export type SeverityConfig = z.infer<typeof severityConfigSchema>;
export type SeverityDefaultRule = z.infer<typeof defaultRuleSchema>;
export type WithholdRule = z.infer<typeof withholdRuleSchema>;

/** Parse and check a severity configuration; throws ZodError on a malformed one. */
export function parseSeverityConfig(json: unknown): SeverityConfig {
  return severityConfigSchema.parse(json);
}

/** config/severity.json. */
export const SEVERITY_CONFIG: SeverityConfig = parseSeverityConfig(severityJson);

export interface SeverityInput {
  readonly dataset: string;
  /** The severity column as the source filled it in, if at all. */
  readonly declared?: string | undefined;
  /** 简易 / 普通 (with or without 程序), if the source says. */
  readonly procedure?: string | undefined;
  /** 处罚类别 (CF_CFLB), split. */
  readonly penaltyCategories?: readonly string[] | undefined;
  /** 罚款金额 (CF_NR_FK) in 万元, as the template carries it. */
  readonly fineWanYuan?: number | undefined;
  readonly subjectCategory?: SubjectCategory | undefined;
  /** The entry is on a 严重失信主体名单 (黑名单, court list). */
  readonly severeList?: boolean | undefined;
}

export type SeverityDecision =
  | {
      readonly ok: true;
      /** null: neither the source nor a rule says; display uses the `unclassified` periods. */
      readonly severity: Severity | null;
      readonly basis: 'declared' | 'default-rule' | 'none';
      /** The default rule that applied, with its source. */
      readonly rule?: { readonly id: string; readonly source: string };
    }
  | { readonly ok: false; readonly code: 'SEVERITY_VALUE'; readonly message: string };

/** `简易程序` and `简易` are the same procedure. */
export function normaliseProcedure(procedure: string | undefined): string | undefined {
  const text = procedure?.trim().replace(/程序$/, '');
  return text === '' ? undefined : text;
}

/** 万元 to yuan, rounded to the fen so that 0.02 万元 is exactly 200 yuan. */
function wanYuanToYuan(wanYuan: number): number {
  return Math.round(wanYuan * 1_000_000) / 100;
}

function categoriesWithin(allowed: readonly string[] | undefined, input: SeverityInput): boolean {
  if (!allowed) return true;
  const categories = input.penaltyCategories ?? [];
  return categories.length > 0 && categories.every((category) => allowed.includes(category));
}

/** A fine, if there is one, within the limit for the subject's category (unknown amount: not within). */
function fineWithin(limits: SeverityDefaultRule['when']['fineAtMostYuan'], input: SeverityInput): boolean {
  if (!limits || !input.penaltyCategories?.includes('罚款')) return true;
  const limit = input.subjectCategory ? limits[input.subjectCategory] : undefined;
  if (limit === undefined || input.fineWanYuan === undefined) return false;
  return wanYuanToYuan(input.fineWanYuan) <= limit;
}

function ruleApplies(rule: SeverityDefaultRule, input: SeverityInput): boolean {
  const { when } = rule;
  return (
    when.datasets.includes(input.dataset) &&
    (when.procedure === undefined || normaliseProcedure(input.procedure) === when.procedure) &&
    (!when.severeList || input.severeList === true) &&
    categoriesWithin(when.penaltyCategoriesWithin, input) &&
    fineWithin(when.fineAtMostYuan, input)
  );
}

/**
 * The record's severity: the declared value when there is one (an unknown spelling is an error,
 * not a guess), else the first default rule that applies, else null.
 */
export function classifySeverity(
  input: SeverityInput,
  config: SeverityConfig = SEVERITY_CONFIG,
): SeverityDecision {
  const declared = input.declared?.trim();
  if (declared) {
    const severity = config.codes.values[declared];
    if (severity) return { ok: true, severity, basis: 'declared' };
    return {
      ok: false,
      code: 'SEVERITY_VALUE',
      message: `"${declared}" is not a severity: use one of ${severities.join(' / ')} (accepted spellings: ${Object.keys(config.codes.values).join(', ')})`,
    };
  }
  const rule = config.defaults.find((candidate) => ruleApplies(candidate, input));
  if (!rule) return { ok: true, severity: null, basis: 'none' };
  return {
    ok: true,
    severity: rule.severity,
    basis: 'default-rule',
    rule: { id: rule.id, source: rule.source },
  };
}

export interface PublicationInput {
  readonly dataset: string;
  readonly severity: Severity | null;
  readonly procedure?: string | undefined;
  readonly subjectCategory: SubjectCategory;
  /** Set by the source agency: the subject is a minor; the facts involve secrets or privacy. */
  readonly withheldFlags?: readonly ('minor' | 'secret-or-privacy')[] | undefined;
}

export interface PublicationDecision {
  readonly publishable: boolean;
  /** Every withholding rule that applies, so that a view can say why. Empty when publishable. */
  readonly withheldBy: readonly { readonly id: string; readonly reason: string; readonly source: string }[];
}

function withholds(rule: WithholdRule, input: PublicationInput): boolean {
  if (rule.exceptDatasets?.includes(input.dataset)) return false;
  const { when } = rule;
  if (when.severity !== undefined && input.severity !== when.severity) return false;
  if (when.procedure !== undefined && normaliseProcedure(input.procedure) !== when.procedure) return false;
  if (when.subjectCategory !== undefined && input.subjectCategory !== when.subjectCategory) return false;
  if (when.withheldFlag !== undefined && !(input.withheldFlags ?? []).includes(when.withheldFlag))
    return false;
  return true;
}

/** Whether the record may be published (双公示, public views): false if any withholding rule applies. */
export function decidePublication(
  input: PublicationInput,
  config: SeverityConfig = SEVERITY_CONFIG,
): PublicationDecision {
  const withheldBy = config.publication.withhold
    .filter((rule) => withholds(rule, input))
    .map(({ id, reason, source }) => ({ id, reason, source }));
  return { publishable: withheldBy.length === 0, withheldBy };
}
