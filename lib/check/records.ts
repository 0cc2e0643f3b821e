import type { AdminPenaltyRecord } from '../datasets';
import { OBJECTION_NOTICE } from '../disclosure/views';
import { isRecordInDisplay, isShown, isUseStopped, type SubjectView } from '../matching/screen';

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

/** How many records in display a check result (or subject view) carries itself; the rest are paged. */
export const RECORDS_IN_RESULT = 20;

export type RecordDataset = 'admin-penalty' | 'admin-license';

function recordOf(item: Record<string, unknown>): Record<string, unknown> {
  return (item.record ?? {}) as Record<string, unknown>;
}

/**
 * Whether a current record item (in full or as a digest) is in display on `today`: shown (not
 * withdrawn, not hidden by the deadlines run, its use not stopped by credit repair) and a penalty within its display period and not 轻微,
 * or a licence still valid — the rule recordSummaries applies to a whole subject view.
 */
export function isRecordItemInDisplay(item: Record<string, unknown>, today: string): boolean {
  if (!isShown(item) || isUseStopped(item)) return false;
  const record = recordOf(item);
  if (item.type === 'admin-penalty') return isRecordInDisplay(record as unknown as AdminPenaltyRecord, today);
  if (item.type === 'admin-license') {
    const validUntil = record.validUntil as string | null | undefined;
    return validUntil === null || validUntil === undefined || validUntil >= today;
  }
  return false;
}

/** Newest decision first; ties by dataset and id, so the order is stable. */
export function newestFirst(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const byDate = String(recordOf(b).decisionDate ?? '').localeCompare(String(recordOf(a).decisionDate ?? ''));
  if (byDate !== 0) return byDate;
  return `${a.type}#${a.recordId}`.localeCompare(`${b.type}#${b.recordId}`);
}

export interface RecordCounts {
  /** Records in display, all of them. */
  readonly total: number;
  readonly byDataset: Readonly<Record<RecordDataset, number>>;
}

/** A digest with the subject it belongs to. */
export type SubjectDigest = Record<string, unknown> & { readonly subjectKey: string };

/**
 * Counts the records in display among the digests and picks the newest `limit` of them (and, when
 * none is in display, one shown record that still names the subject).
 */
export function selectRecords(digests: readonly SubjectDigest[], today: string, limit: number) {
  const inDisplay = digests.filter((digest) => isRecordItemInDisplay(digest, today));
  const byDataset: Record<RecordDataset, number> = { 'admin-penalty': 0, 'admin-license': 0 };
  for (const digest of inDisplay) byDataset[digest.type as RecordDataset] += 1;
  const newest = [...inDisplay].sort(newestFirst).slice(0, limit);
  const identity = newest.length === 0 ? digests.find(isShown) : undefined;
  return { counts: { total: inDisplay.length, byDataset }, newest, identity };
}

/** A full current record item as the check shows it. */
export function recordSummaryOf(item: Record<string, unknown>): RecordSummary {
  const entry = {
    recordId: item.recordId as string,
    record: item.record,
    ...(item.objectionOpen === true ? { objectionOpen: true } : {}),
  } as never;
  return item.type === 'admin-license' ? licenceSummary(entry) : penaltySummary(entry);
}
