import type { AdminLicenseRecord, AdminPenaltyRecord, SubjectIdentity } from '../datasets';
import { isEntryInEffect } from '../matching/screen';
import type { ListLikeRecord, PublicationState, StoredPublicRecord } from './ports';

/**
 * What the public may see (law-and-workflows §2). Natural persons are never published; a record is
 * published only while it is in display, not withdrawn, not withheld (publishable false, 轻微), and not
 * stopped by credit repair. Each rule is one predicate so that the view and the tests name it.
 */

/** Why a record is not public: the first rule that withholds it, or null when it is public. */
export type WithheldReason =
  | 'natural-person'
  | 'withdrawn'
  | 'out-of-display'
  | 'not-publishable'
  | 'minor-severity'
  | 'publication-stopped'
  | 'not-yet-valid'
  | 'not-in-effect';

const WITHDRAWN_STATUSES = new Set(['withdrawn', 'invalid', '无效']);
/** Severity that is in principle not published (Order 36: 轻微, 简易程序). */
const UNPUBLISHED_SEVERITY = '轻微';

/** Legal persons, other organisations and 个体工商户 are published; natural persons never. */
export function isPublicSubject(subject: SubjectIdentity): boolean {
  return subject.kind === 'organisation' || subject.kind === 'individual-business';
}

/** The rules every kind of record shares, in the order a reader would ask them. */
function commonReason(subject: SubjectIdentity, state: PublicationState): WithheldReason | null {
  if (!isPublicSubject(subject)) return 'natural-person';
  if (state.status !== undefined && WITHDRAWN_STATUSES.has(state.status)) return 'withdrawn';
  if (state.publicationStatus === 'STOPPED') return 'publication-stopped';
  if (state.publishable === false) return 'not-publishable';
  if (state.severity === UNPUBLISHED_SEVERITY) return 'minor-severity';
  if (state.displayStatus === 'hidden') return 'out-of-display';
  return null;
}

/** A penalty is public from its decision until its 公示截止期 (inclusive); withdrawn ones never. */
export function penaltyWithheldReason(
  stored: StoredPublicRecord<AdminPenaltyRecord>,
  today: string,
): WithheldReason | null {
  const { record, state } = stored;
  const common = commonReason(record.subject, state);
  if (common) return common;
  if (record.action === 'withdraw') return 'withdrawn';
  if (record.displayUntil !== undefined && record.displayUntil < today) return 'out-of-display';
  return null;
}

/** A licence is public while valid (当前状态 有效, from 有效期自 to 有效期至 inclusive). */
export function licenceWithheldReason(
  stored: StoredPublicRecord<AdminLicenseRecord>,
  today: string,
): WithheldReason | null {
  const { record, state } = stored;
  const common = commonReason(record.subject, state);
  if (common) return common;
  if (record.status === 'invalid') return 'withdrawn';
  if (record.validFrom > today) return 'not-yet-valid';
  if (record.validUntil !== null && record.validUntil < today) return 'out-of-display';
  return null;
}

/** A list entry is public while it is in effect (列入日期 to 有效期至, not removed). */
export function listEntryWithheldReason(
  stored: StoredPublicRecord<ListLikeRecord>,
  today: string,
): WithheldReason | null {
  const common = commonReason(stored.record.subject, stored.state);
  if (common) return common;
  return isEntryInEffect(stored.record, today) ? null : 'not-in-effect';
}
