import type { SubjectIdentity } from '../datasets';
import type { ListHit } from '../matching/screen';
import type { AccessDecision } from '../privacy/access';
import type { FeedbackState } from './feedback';
import type { ApplicableMeasure, Convenience } from './measures';
import type { RecordSummary } from './records';

export type { RecordSummary } from './records';

/** Who calls: the authorizer's answer for the API key. */
export interface Caller {
  readonly agencyCode: string;
  readonly keyId: string;
  readonly roles: readonly string[];
}

export interface PublicSubject {
  readonly name: string;
  readonly kind: SubjectIdentity['kind'];
  readonly uscc?: string;
  readonly idNumber?: string;
  readonly registrationNumber?: string;
}

export interface CheckResult {
  readonly checkId: string;
  readonly checkedAt: string;
  readonly agencyCode: string;
  readonly request: {
    readonly code?: string;
    readonly name?: string;
    readonly interpretedAs: string[];
    readonly matterCode?: string;
    readonly caseRef?: string;
    readonly purpose?: string;
  };
  readonly matter: { readonly code: string; readonly name: string; readonly department: string } | null;
  readonly subject: PublicSubject | null;
  /** Whether natural persons' data is shown in full, and why. */
  readonly personalData: AccessDecision;
  readonly hits: ListHit[];
  readonly measures: ApplicableMeasure[];
  readonly conveniences: Convenience[];
  /** The newest records in display, newest first: all of them for most subjects, the newest few for a heavy one. */
  readonly records: RecordSummary[];
  /**
   * Every record in display, counted (penalties and licences); `inResult` of them are in `records`,
   * and `href` (GET /v1/checks/{id}/records) pages them all. Absent on checks stored before it.
   */
  readonly recordsInDisplay?: {
    readonly total: number;
    readonly penalties: number;
    readonly licences: number;
    readonly inResult: number;
    readonly href: string;
  };
  /**
   * Present when a name led to more listed subjects than a check reads (checkLimits): the possible
   * hits are those of the first ones only, and the reason asks for a code.
   */
  readonly possibleHitsIncomplete?: { readonly subjectsRead: number; readonly reason: string };
  readonly summary: {
    readonly listHits: number;
    readonly confirmedHits: number;
    readonly possibleHits: number;
    readonly redListHits: number;
    readonly blackListHits: number;
    readonly measures: number;
    readonly mandatoryMeasures: number;
    readonly records: number;
  };
}

/** A check as stored: the result with who asked, why, and what it watches. */
export interface StoredCheck {
  readonly checkId: string;
  readonly checkedAt: string;
  readonly caller: { readonly agencyCode: string; readonly keyId: string; readonly roles: string[] };
  readonly purpose: string | null;
  /** The checked subject's own partitions: a case watches them, and the check's records are theirs. */
  readonly watchedSubjectKeys: string[];
  /** The subject, masked, when the check touched a natural person's data. */
  readonly personalSubject?: string;
  /** That subject's keyed access-log reference, so every later read of the check logs the same one. */
  readonly subjectRef?: string;
  readonly result: CheckResult;
}

/** Feedback as stored (latest and each history entry). */
export type StoredFeedback = FeedbackState;
