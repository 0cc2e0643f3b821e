/**
 * The law's clock for a record: period arithmetic (民法典 arts. 201–202), severity and publication,
 * display periods by rule set, and court-list periods by ground. Pure functions over configuration
 * in config/*.json; no I/O, no clock (dates are parameters).
 */
export {
  type AddWorkingDays,
  COURT_GROUND_TABLE,
  type CourtGround,
  type CourtGroundTable,
  type CourtListingEvaluation,
  type CourtListingInput,
  type CourtPeriodRule,
  evaluateCourtListing,
  isListingInEffectOn,
  parseCourtGroundTable,
  type RemovalDue,
  recogniseGrounds,
} from './court-list';
export {
  computeDisplayPeriod,
  DISPLAY_PERIOD_TABLE,
  type DisplayPeriod,
  type DisplayPeriodInput,
  type DisplayPeriodTable,
  type DisplayRuleSet,
  type DisplayTier,
  isDisplayedOn,
  NoDisplayRuleError,
  OPEN_END,
  parseDisplayPeriodTable,
  ruleSetFor,
} from './display-period';
export {
  addDays,
  addPeriod,
  dayAfter,
  daysInMonth,
  describePeriod,
  earliest,
  InvalidDateError,
  type Period,
  parseIsoDate,
} from './period';
export {
  classifySeverity,
  decidePublication,
  normaliseProcedure,
  type PublicationDecision,
  type PublicationInput,
  parseSeverityConfig,
  SEVERITY_CONFIG,
  type SeverityConfig,
  type SeverityDecision,
  type SeverityInput,
} from './severity';
export { type LifecycleWarning, type Severity, type SubjectCategory, severities } from './types';
