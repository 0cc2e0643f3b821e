import { computeDisplayPeriod } from '../lifecycle';
import { repairErrors } from './errors';
import type { RepairableRecord } from './ports';
import { minEligibleDate, REPAIR_CONFIG, type RepairConfig } from './rules';

/** What the case copies from the record: its severity, minimum period and earliest application day. */
export interface Eligibility {
  readonly severity: string | null;
  readonly displayRuleSet: string;
  readonly minimumUntil: string;
  readonly minEligibleDate: string;
}

/**
 * A penalty carries its lifecycle from ingestion (severity, displayFrom, displayMinimumUntil,
 * displayRuleSet); a record stored before that, and every list entry, gets it computed from the same
 * display-period table. A list entry is a 严重失信主体 listing (config/repair.json eligibility).
 */
function lifecycleOf(stored: RepairableRecord, config: RepairConfig) {
  const record = stored.record;
  if (record.dataset === 'admin-penalty' && record.displayMinimumUntil && record.displayRuleSet) {
    return {
      severity: record.severity ?? null,
      displayFrom: record.displayFrom ?? record.decisionDate,
      minimumUntil: record.displayMinimumUntil,
      ruleSet: record.displayRuleSet,
    };
  }
  const severity =
    record.dataset === 'admin-penalty' ? (record.severity ?? null) : config.eligibility.listEntrySeverity;
  const decisionDate = record.dataset === 'admin-penalty' ? record.decisionDate : record.listedOn;
  const period = computeDisplayPeriod({ dataset: record.dataset, severity, decisionDate });
  return {
    severity,
    displayFrom: period.displayFrom,
    minimumUntil: period.minimumUntil,
    ruleSet: period.ruleSetId,
  };
}

/** Refuses records repair does not apply to: withdrawn, already stopped, or of another dataset. */
function checkRepairable(stored: RepairableRecord, config: RepairConfig): void {
  if (!config.eligibility.datasets.includes(stored.ref.dataset)) {
    throw repairErrors.notRepairable(`records of dataset ${stored.ref.dataset} are not repaired`);
  }
  if (stored.publicationStatus === 'STOPPED') {
    throw repairErrors.notRepairable('publication and use of this record have already stopped');
  }
  if (stored.status === 'withdrawn' || stored.status === 'invalid') {
    throw repairErrors.notRepairable('this record was withdrawn by its agency');
  }
}

/**
 * Whether an application made on `today` may be accepted: throws the not-yet-eligible RepairError (with
 * the date) before the minimum publication period has passed.
 */
export function checkEligibility(
  stored: RepairableRecord,
  today: string,
  config: RepairConfig = REPAIR_CONFIG,
): Eligibility {
  checkRepairable(stored, config);
  const lifecycle = lifecycleOf(stored, config);
  const eligibleFrom = minEligibleDate(lifecycle);
  if (today < eligibleFrom) {
    throw repairErrors.notYetEligible(eligibleFrom, {
      severity: lifecycle.severity,
      ruleSet: lifecycle.ruleSet,
      minimumUntil: lifecycle.minimumUntil,
    });
  }
  return {
    severity: lifecycle.severity,
    displayRuleSet: lifecycle.ruleSet,
    minimumUntil: lifecycle.minimumUntil,
    minEligibleDate: eligibleFrom,
  };
}
