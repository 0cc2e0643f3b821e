import { maskPersonName, maskResidentId } from '../identifiers/mask';
import type { Objection, ObjectionEvent, ObjectionOutcome, ObjectionStatus } from './types';
import { currentDueDate } from './workflow';

/**
 * What each reader sees of an objection. The filer (with its secret) sees its status, due date and
 * outcome, nothing internal; agencies and auditors see the case and its history with the contact
 * masked; only the credit office, which calls the filer back, sees the contact in full. The secret's
 * hash is in no view.
 */

export const STATUS_LABELS: Record<ObjectionStatus, string> = {
  SUBMITTED: '已提交，待受理',
  PLATFORM_CHECK: '已受理，平台核查中',
  FORWARDED_TO_SOURCE: '已转数据来源单位核查',
  RETURNED: '不予受理',
  CLOSED: '已办结',
};

export const OUTCOME_LABELS: Record<ObjectionOutcome, string> = {
  CORRECTED_BY_PLATFORM: '已更正（平台处理错误）',
  CORRECTED: '已更正',
  UPHELD: '维持原信息',
  UNRESOLVED: '无法核实，已记录',
  WITHDRAWN: '申请人已撤回',
};

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 7 ? `${digits.slice(0, 3)}****${digits.slice(-4)}` : '****';
}

export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}

/** A natural person's subject key carries the ID number: masked. Organisations' codes are public. */
function subjectOf(subjectKey: string): string {
  return subjectKey.startsWith('ID#') ? `ID#${maskResidentId(subjectKey.slice(3))}` : subjectKey;
}

function maskedContact(contact: Objection['contact']): Objection['contact'] {
  return {
    name: maskPersonName(contact.name),
    ...(contact.phone ? { phone: maskPhone(contact.phone) } : {}),
    ...(contact.email ? { email: maskEmail(contact.email) } : {}),
  };
}

/** GET /public/v1/applications/{no}: the filer's view. */
export function applicationStatusView(objection: Objection) {
  const due = currentDueDate(objection);
  return {
    applicationNo: objection.objectionId,
    kind: 'objection' as const,
    status: objection.status,
    statusLabel: STATUS_LABELS[objection.status],
    receivedOn: objection.receivedOn,
    record: objection.recordRef,
    claimField: objection.claim.fieldLabel,
    ...(due ? { nextStepDueDate: due } : {}),
    ...(objection.outcome
      ? { outcome: objection.outcome, outcomeLabel: OUTCOME_LABELS[objection.outcome] }
      : {}),
    ...(objection.reason ? { reason: objection.reason } : {}),
    ...(objection.closedOn ? { closedOn: objection.closedOn } : {}),
    contact: maskedContact(objection.contact),
  };
}

/** The agencies' and auditors' view: the whole case without the secret's hash; contact masked unless allowed. */
export function objectionView(objection: Objection, options: { revealContact: boolean }) {
  const { secretHash: _hash, version: _version, subjectKey, contact, ...rest } = objection;
  const due = currentDueDate(objection);
  return {
    ...rest,
    subject: subjectOf(subjectKey),
    contact: options.revealContact ? contact : maskedContact(contact),
    statusLabel: STATUS_LABELS[objection.status],
    ...(due ? { currentDueDate: due } : {}),
  };
}

export function historyView(events: readonly ObjectionEvent[]) {
  return events.map((event) => ({ ...event }));
}
