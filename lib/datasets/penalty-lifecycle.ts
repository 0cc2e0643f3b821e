import {
  classifySeverity,
  computeDisplayPeriod,
  decidePublication,
  type Severity,
  type SubjectCategory,
} from '../lifecycle';
import type { SubjectKind } from './subject';

/**
 * What the law says about one penalty's life, computed at ingestion and stored on the record:
 * its severity (declared by the source or defaulted by rule), whether it may be published, and
 * its display period under the rule set in force on its decision date (config/display-periods.json).
 */
export interface PenaltyLifecycle {
  readonly severity: Severity | null;
  readonly severityBasis: 'declared' | 'default-rule' | 'none';
  readonly severityRule?: string;
  readonly publishable: boolean;
  readonly withheldBy?: readonly string[];
  readonly displayFrom: string;
  /** Last day in display, inclusive: the rule's maximum or the source's earlier 公示截止期. */
  readonly displayUntil: string;
  /** Last day of the minimum period: repair may be applied for from the next day. */
  readonly displayMinimumUntil: string;
  readonly displayRuleSet: string;
  /** The source's own 公示截止期 when the platform capped it at the maximum. */
  readonly sourceDisplayUntil?: string;
}

export interface PenaltyLifecycleInput {
  readonly declaredSeverity: string | undefined;
  readonly procedure: string | undefined;
  readonly categories: readonly string[];
  readonly fineWanYuan: number | undefined;
  readonly subjectKind: SubjectKind;
  readonly decisionDate: string;
  readonly sourceDisplayUntil: string | undefined;
}

export type PenaltyLifecycleOutcome =
  | { readonly ok: true; readonly lifecycle: PenaltyLifecycle; readonly flags: readonly string[] }
  | { readonly ok: false; readonly code: string; readonly reason: string };

const CATEGORY_OF_KIND: Record<SubjectKind, SubjectCategory> = {
  organisation: '法人及非法人组织',
  person: '自然人',
  'individual-business': '个体工商户',
};

export function penaltyLifecycle(input: PenaltyLifecycleInput): PenaltyLifecycleOutcome {
  const subjectCategory = CATEGORY_OF_KIND[input.subjectKind];
  const severity = classifySeverity({
    dataset: 'admin-penalty',
    declared: input.declaredSeverity,
    procedure: input.procedure,
    penaltyCategories: input.categories,
    fineWanYuan: input.fineWanYuan,
    subjectCategory,
  });
  if (!severity.ok) return { ok: false, code: severity.code, reason: severity.message };
  const publication = decidePublication({
    dataset: 'admin-penalty',
    severity: severity.severity,
    procedure: input.procedure,
    subjectCategory,
  });
  const period = computeDisplayPeriod({
    dataset: 'admin-penalty',
    severity: severity.severity,
    decisionDate: input.decisionDate,
    sourceEnd: input.sourceDisplayUntil,
  });
  const capped = period.warnings.some((warning) => warning.code === 'SOURCE_END_CAPPED');
  return {
    ok: true,
    lifecycle: {
      severity: severity.severity,
      severityBasis: severity.basis,
      ...(severity.rule ? { severityRule: severity.rule.id } : {}),
      publishable: publication.publishable,
      ...(publication.withheldBy.length > 0 ? { withheldBy: publication.withheldBy.map((w) => w.id) } : {}),
      displayFrom: period.displayFrom,
      displayUntil: period.displayUntil,
      displayMinimumUntil: period.minimumUntil,
      displayRuleSet: period.ruleSetId,
      ...(capped && input.sourceDisplayUntil ? { sourceDisplayUntil: input.sourceDisplayUntil } : {}),
    },
    // The source's end date beyond the maximum (capped) or below the minimum is worth a flag; a
    // silent source is the normal case and is not.
    flags: period.warnings
      .map((warning) => warning.code)
      .filter((code) => code === 'SOURCE_END_CAPPED' || code === 'SOURCE_END_BELOW_MINIMUM'),
  };
}
