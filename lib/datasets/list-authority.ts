import type { RowIssue } from './fields';
import type { ListNature } from './reference/common';

/**
 * List authority: which agencies may decide entries on a list type. The credit office keeps it in
 * the list-type reference data (认定机构代码: registry codes of config/agencies.json); an entry on
 * a list type is accepted only from an agency the list type names. Pure rules, no I/O.
 */

/**
 * Upper-case letters and digits, starting with a letter: an agency's registry code is an S3 prefix,
 * part of IAM policy names and of API keys, so it is kept to characters that are the same in all three.
 */
export const AGENCY_CODE_PATTERN = /^[A-Z][A-Z0-9]{1,31}$/;

/** What ingestion needs to know of a list type: its nature and who may decide entries on it. */
export interface ListTypeRule {
  readonly code: string;
  readonly nature: ListNature;
  /** Registry codes of the entitled agencies; empty when the reference data names none. */
  readonly decidingAgencyCodes: readonly string[];
}

export type ListTypeRules = ReadonlyMap<string, ListTypeRule>;

/** The rules of the stored list types (reference rows of dataset list-type). */
export function listTypeRulesOf(
  listTypes: Iterable<{
    readonly code: string;
    readonly nature: ListNature;
    readonly decidingAgencyCodes?: readonly string[] | undefined;
  }>,
): ListTypeRules {
  const rules = new Map<string, ListTypeRule>();
  for (const { code, nature, decidingAgencyCodes } of listTypes) {
    rules.set(code, { code, nature, decidingAgencyCodes: [...(decidingAgencyCodes ?? [])] });
  }
  return rules;
}

/** Whether `agencyCode` may decide entries on the list type (false for an unknown list type). */
export function isEntitled(rule: ListTypeRule | undefined, agencyCode: string): boolean {
  return rule?.decidingAgencyCodes.includes(agencyCode) ?? false;
}

/**
 * The row issue when the uploading agency may not put entries on the list type: the list type is
 * not in the reference data (UNKNOWN_LIST_TYPE), or it names other agencies or none (NOT_LIST_AUTHORITY).
 */
export function listAuthorityIssue(
  rules: ListTypeRules | undefined,
  listTypeCode: string,
  agencyCode: string,
  field: string,
): RowIssue | undefined {
  const rule = rules?.get(listTypeCode);
  if (!rule) {
    return {
      field,
      value: listTypeCode,
      code: 'UNKNOWN_LIST_TYPE',
      reason: `list type ${listTypeCode} is not in the reference data (名单类型, kept by the credit office); entries can only be put on a registered list type`,
    };
  }
  if (isEntitled(rule, agencyCode)) return undefined;
  const entitled = rule.decidingAgencyCodes.join(', ');
  return {
    field,
    value: listTypeCode,
    code: 'NOT_LIST_AUTHORITY',
    reason: entitled
      ? `agency ${agencyCode} may not decide entries on list type ${listTypeCode}: the reference data names ${entitled} (认定机构代码)`
      : `agency ${agencyCode} may not decide entries on list type ${listTypeCode}: the reference data names no deciding agency (认定机构代码) for it`,
  };
}
