import type { RepairCase, RepairHistoryEntry, RepairStatus } from './types';

/** How the applicant and the public status page name each state. */
export const statusLabels: Record<RepairStatus, string> = {
  DRAFT: '待提交',
  SUBMITTED: '已提交',
  RETURNED_INCOMPLETE: '材料不全已退回',
  ACCEPTED: '已受理',
  FORWARDED_TO_AUTHORITY: '认定单位办理中',
  EXTENDED: '已延期',
  APPROVED: '已同意修复',
  DENIED: '不予修复',
  PUBLICATION_STOPPED: '已修复，停止公示',
  WITHDRAWN: '已撤回',
};

/** What the applicant sees with number and secret: the progress and the answer, no one else's data. */
export function applicantView(repair: RepairCase) {
  return {
    applicationNo: repair.applicationNo,
    status: repair.status,
    statusLabel: statusLabels[repair.status],
    record: repair.recordRef,
    minEligibleDate: repair.minEligibleDate,
    ruleSet: repair.ruleSet,
    applicationDate: repair.applicationDate,
    materials: repair.materials.map(({ materialId, kind, fileName }) => ({ materialId, kind, fileName })),
    ...(repair.submittedAt ? { submittedAt: repair.submittedAt } : {}),
    ...(repair.applicantReplyDueAt ? { applicantReplyDueAt: repair.applicantReplyDueAt } : {}),
    ...(repair.extendedUntil ? { extendedUntil: repair.extendedUntil } : {}),
    ...(repair.returnReason ? { returnReason: repair.returnReason } : {}),
    ...(repair.decision
      ? { decision: repair.decision, decisionReason: repair.decisionReason, decidedAt: repair.decidedAt }
      : {}),
  };
}

/** The whole case for the credit office, the deciding agency and auditors (secret and raw key left out). */
export function caseView(repair: RepairCase, history?: readonly RepairHistoryEntry[]) {
  const { secretHash: _secret, subjectKey: _key, ...shown } = repair;
  return { ...shown, statusLabel: statusLabels[repair.status], ...(history ? { history } : {}) };
}
