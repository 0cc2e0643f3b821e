/**
 * Key shapes of the single credit table. docs/access-patterns.md lists the access pattern each
 * one serves; nothing else builds keys by hand.
 */
export const keys = {
  subject: (subjectKey: string) => `SUBJECT#${subjectKey}`,
  listEntry: (listTypeCode: string, entryId: string) => `LIST#${listTypeCode}#${entryId}`,
  record: (dataset: string, recordId: string) => `RECORD#${dataset}#${recordId}`,
  watch: (agencyCode: string, watchId: string) => `WATCH#${agencyCode}#${watchId}`,
  screening: 'SCREENING',
  alias: (kind: AliasKind, value: string) => `ALIAS#${kind}#${value}`,
  job: (jobId: string) => `JOB#${jobId}`,
  apiKey: (keyHash: string) => `APIKEY#${keyHash}`,
  agency: (agencyCode: string) => `AGENCY#${agencyCode}`,
  check: (checkId: string) => `CHECK#${checkId}`,
  alert: (alertId: string) => `ALERT#${alertId}`,
  /** gsi1: per-agency listings, newest last by ISO timestamp. */
  agencyListing: (agencyCode: string, kind: 'JOB' | 'CHECK' | 'ALERT' | 'APIKEY') =>
    `AGENCY#${agencyCode}#${kind}`,
  /** gsi2: items by the day something falls due. */
  lateOn: (date: string) => `LATE#${date}`,
  expiresOn: (date: string) => `EXPIRES#${date}`,
} as const;

/** Identifiers other than the subject key that lead to a subject. */
export type AliasKind = 'ORG' | 'REG' | 'LEGALREP';

export const ITEM = 'item';
