import { OBJECTION_NOTICE } from '../disclosure/views';
import { isRecordInDisplay, type SubjectView } from '../matching/screen';

/** Present only while an objection (异议) on the record is open: the check shows 异议处理中. */
interface ObjectionMark {
  readonly underObjection?: true;
  readonly objectionNotice?: typeof OBJECTION_NOTICE;
}

/** A 双公示 record in display, as the check and the subject view summarise it. */
export type RecordSummary =
  | (ObjectionMark & {
      readonly dataset: 'admin-penalty';
      readonly recordId: string;
      readonly documentNumber: string;
      readonly decisionDate: string;
      readonly categories: readonly string[];
      readonly content: string;
      readonly fineAmount?: number;
      readonly issuer: string;
      readonly validUntil: string | null;
      /** Why it is shown and until when: the last day in display and the rule set that set it. */
      readonly display?: {
        readonly until: string;
        readonly ruleSet?: string;
        readonly severity?: string | null;
      };
    })
  | (ObjectionMark & {
      readonly dataset: 'admin-license';
      readonly recordId: string;
      readonly documentNumber: string;
      readonly decisionDate: string;
      readonly licenceCategory: string;
      readonly content: string;
      readonly issuer: string;
      readonly validUntil: string | null;
    });

type PenaltyEntry = SubjectView['penalties'][number];
type LicenceEntry = SubjectView['licences'][number];

/** Why a penalty is shown and until when: its last day in display and the rule set behind it. */
function displayOf(record: PenaltyEntry['record']) {
  if (!record.displayUntil) return {};
  return {
    display: {
      until: record.displayUntil,
      ...(record.displayRuleSet ? { ruleSet: record.displayRuleSet } : {}),
      ...(record.severity !== undefined ? { severity: record.severity } : {}),
    },
  };
}

function objectionMarkOf(entry: { readonly objectionOpen?: boolean }): ObjectionMark {
  return entry.objectionOpen === true ? { underObjection: true, objectionNotice: OBJECTION_NOTICE } : {};
}

function penaltySummary({ recordId, record, objectionOpen }: PenaltyEntry): RecordSummary {
  return {
    dataset: 'admin-penalty',
    recordId,
    documentNumber: record.documentNumber,
    decisionDate: record.decisionDate,
    categories: record.categories,
    content: record.content,
    ...(record.fineAmount !== undefined ? { fineAmount: record.fineAmount } : {}),
    issuer: record.issuer.name,
    validUntil: record.validUntil,
    ...displayOf(record),
    ...objectionMarkOf({ objectionOpen }),
  };
}

function licenceSummary({ recordId, record, objectionOpen }: LicenceEntry): RecordSummary {
  return {
    dataset: 'admin-license',
    recordId,
    documentNumber: record.documentNumber,
    decisionDate: record.decisionDate,
    licenceCategory: record.licenceCategory,
    content: record.content,
    issuer: record.issuer.name,
    validUntil: record.validUntil,
    ...objectionMarkOf({ objectionOpen }),
  };
}

/**
 * Penalties in display (lib/lifecycle's period, not 轻微) and licences still valid; withdrawn
 * records were already left out by viewOfSubject. Newest decision first.
 */
export function recordSummaries(view: SubjectView, today: string): RecordSummary[] {
  const penalties = view.penalties.filter((penalty) => isRecordInDisplay(penalty.record, today));
  const licences = view.licences.filter(
    (licence) => licence.record.validUntil === null || licence.record.validUntil >= today,
  );
  return [...penalties.map(penaltySummary), ...licences.map(licenceSummary)].sort((a, b) =>
    b.decisionDate.localeCompare(a.decisionDate),
  );
}
