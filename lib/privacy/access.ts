import { maskPersonName, maskResidentId } from '../identifiers/mask';

/**
 * Who sees natural persons' names and ID numbers in full (查询使用登记: personal information is
 * shown only to those authorised, for an authorised purpose). The rule:
 *   - the credit-office role AND a stated purpose from FULL_VIEW_PURPOSES → full data;
 *   - everyone else (case officers, auditors, the credit office without such a purpose) → masked
 *     (`王**`, `4407021975****4129`).
 * Organisations' names and codes are public and never masked.
 */
export const FULL_VIEW_ROLE = 'credit-office';

/** Purposes for which the credit office handles a person's own data; Chinese or English form. */
export const FULL_VIEW_PURPOSES: Readonly<Record<string, string>> = {
  信用修复: 'credit-repair',
  'credit-repair': 'credit-repair',
  异议处理: 'objection',
  objection: 'objection',
  名单认定: 'list-decision',
  'list-decision': 'list-decision',
  司法协助: 'judicial-assistance',
  'judicial-assistance': 'judicial-assistance',
};

export interface AccessDecision {
  readonly reveal: boolean;
  readonly reason: string;
}

export function personalDataAccess(roles: readonly string[], purpose: string | undefined): AccessDecision {
  const normalised = purpose?.trim().toLowerCase();
  const allowedPurpose = normalised ? FULL_VIEW_PURPOSES[normalised] : undefined;
  if (!roles.includes(FULL_VIEW_ROLE)) {
    return { reveal: false, reason: `masked: only the ${FULL_VIEW_ROLE} role sees personal data in full` };
  }
  if (!allowedPurpose) {
    return {
      reveal: false,
      reason: `masked: purpose ${purpose ? `"${purpose}"` : '(none)'} is not one that allows full personal data (${Object.keys(FULL_VIEW_PURPOSES).join(', ')})`,
    };
  }
  return { reveal: true, reason: `full: ${FULL_VIEW_ROLE} role with purpose ${allowedPurpose}` };
}

export function presentPersonName(name: string, reveal: boolean): string {
  return reveal ? name : maskPersonName(name);
}

export function presentResidentId(id: string, reveal: boolean): string {
  return reveal ? id : maskResidentId(id);
}
