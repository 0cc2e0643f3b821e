import type {
  AdminLicenseRecord,
  AdminPenaltyRecord,
  CourtDishonestRecord,
  ListEntryRecord,
} from '../datasets';

/**
 * What the public disclosure use case needs from storage, and nothing more: the stored items of one
 * subject and the ways to find a subject. The adapter (lib/aws/disclosure-reader.ts) owns the key shapes.
 */

/**
 * The state of a stored record as far as publication is concerned. Each field is set by another
 * workflow; the adapter copies what is there and leaves the rest undefined.
 */
export interface PublicationState {
  /** `withdrawn` when the agency revoked or invalidated the record (撤销 / 当前状态 无效). */
  readonly status?: string;
  /** `hidden` once the deadlines run took the record out of display (公示截止期 passed). */
  readonly displayStatus?: string;
  /** false when a withholding rule applies (轻微, 简易程序, minors, secrets): from the severity rules. */
  readonly publishable?: boolean;
  /** 轻微 / 一般 / 严重, declared by the source agency or set by a default rule. */
  readonly severity?: string;
  /** `STOPPED` once credit repair (信用修复) was approved, or the maximum period ended. */
  readonly publicationStatus?: string;
  /** An objection (异议) on this record is open: the public view says 异议处理中. */
  readonly objectionOpen?: boolean;
}

export interface StoredPublicRecord<R> {
  /** The record's id inside its subject (a hash of its business key). */
  readonly id: string;
  readonly agencyCode: string;
  readonly record: R;
  readonly state: PublicationState;
}

export type ListLikeRecord = ListEntryRecord | CourtDishonestRecord;

/** Everything stored about one subject that could be published. */
export interface SubjectRecords {
  readonly penalties: readonly StoredPublicRecord<AdminPenaltyRecord>[];
  readonly licences: readonly StoredPublicRecord<AdminLicenseRecord>[];
  readonly listEntries: readonly StoredPublicRecord<ListLikeRecord>[];
}

/** What reference data says about a list type. */
export interface PublicListType {
  readonly name: string;
  readonly nature: '红名单' | '黑名单';
}

/** How the public finds a subject: its key is `USCC#<code>` or `REG#<工商注册号>` (never a person's). */
export interface PublicSubjectReader {
  /** The subject's records; empty lists when nothing is stored under that key. */
  subjectRecords(subjectKey: string): Promise<SubjectRecords>;
  /** Subject keys stored under a normalised organisation name (lib/matching/names nameKey). */
  subjectKeysByName(normalisedName: string): Promise<readonly string[]>;
  /** Subject keys behind a 工商注册号 given by a USCC subject. */
  subjectKeysByRegistrationNumber(registrationNumber: string): Promise<readonly string[]>;
  /** The list-type catalogue (code → name and nature). */
  listTypes(): Promise<ReadonlyMap<string, PublicListType>>;
}
