import type { AdminLicenseRecord, AdminPenaltyRecord, SubjectIdentity } from '../datasets';
import type { ListLikeRecord, PublicListType, StoredPublicRecord } from './ports';
import { scrubFreeText, scrubOptional } from './scrub';

/**
 * The public shapes. Every field is copied by name (an allow-list): a field added to a record later
 * stays internal until someone adds it here on purpose. Never here: natural persons, 证件号码 of
 * anyone (*_XDR_ZJHM, *_FR_ZJHM, *_FR_ZJLX), the reporting job, the source file.
 */

/** Shown on a record while an objection (异议) about it is open. */
export const OBJECTION_NOTICE = '异议处理中';

export type PublicSubjectKind = 'organisation' | 'individual-business';

export interface PublicSubjectSummary {
  /** What the public page links with: the USCC, or the 工商注册号 of a 个体工商户 without one. */
  readonly code: string;
  readonly codeType: '统一社会信用代码' | '工商注册号';
  readonly name: string;
  readonly kind: PublicSubjectKind;
  readonly kindLabel: '法人及非法人组织' | '个体工商户';
}

interface ObjectionMark {
  readonly underObjection: boolean;
  readonly notice?: typeof OBJECTION_NOTICE;
}

export interface PublicPenalty extends ObjectionMark {
  readonly id: string;
  readonly kind: 'penalty';
  readonly documentNumber: string;
  readonly violationType: string;
  readonly facts: string;
  readonly basis: string;
  readonly categories: readonly string[];
  readonly content: string;
  /** 万元, as the national template carries it. */
  readonly fineAmount?: number;
  readonly confiscatedAmount?: number;
  readonly suspendedLicence?: string;
  readonly decisionDate: string;
  readonly validUntil: string | null;
  readonly displayUntil?: string;
  readonly issuer: { readonly name: string; readonly code: string };
  readonly sourceName: string;
  /** 法定代表人's name (public for legal persons); their ID never. */
  readonly legalRepresentative?: string;
  readonly remarks?: string;
}

export interface PublicLicence extends ObjectionMark {
  readonly id: string;
  readonly kind: 'licence';
  readonly documentName: string;
  readonly documentNumber: string;
  readonly licenceCategory: string;
  readonly certificateName?: string;
  readonly licenceNumber?: string;
  readonly content: string;
  readonly decisionDate: string;
  readonly validFrom: string;
  readonly validUntil: string | null;
  readonly issuer: { readonly name: string; readonly code: string };
  readonly sourceName: string;
  readonly legalRepresentative?: string;
  readonly remarks?: string;
}

export interface PublicListEntry extends ObjectionMark {
  readonly id: string;
  readonly kind: 'list-entry';
  readonly listTypeCode: string;
  /** From the reference data; absent when the list type is not catalogued yet. */
  readonly listTypeName?: string;
  readonly nature?: '红名单' | '黑名单';
  readonly listedOn: string;
  readonly validUntil: string | null;
  readonly decidingDepartment: string;
  readonly basis: string;
  readonly reason: string;
  /** Court 失信被执行人 entries: case number and the obligation as published. */
  readonly caseNumber?: string;
  readonly obligation?: string;
}

export type PublicRecord = PublicPenalty | PublicLicence | PublicListEntry;

const CODE_TYPES = { USCC: '统一社会信用代码', REG: '工商注册号' } as const;

export function subjectSummary(subject: SubjectIdentity): PublicSubjectSummary {
  const [prefix, code = ''] = subject.key.split('#', 2) as [keyof typeof CODE_TYPES, string];
  const kind: PublicSubjectKind =
    subject.kind === 'individual-business' ? 'individual-business' : 'organisation';
  return {
    code,
    codeType: CODE_TYPES[prefix] ?? '统一社会信用代码',
    name: subject.name,
    kind,
    kindLabel: kind === 'individual-business' ? '个体工商户' : '法人及非法人组织',
  };
}

function objectionMark(stored: StoredPublicRecord<unknown>): ObjectionMark {
  return stored.state.objectionOpen === true
    ? { underObjection: true, notice: OBJECTION_NOTICE }
    : { underObjection: false };
}

/** Adds `key: value` only when value is defined (the JSON carries no undefined members). */
function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

export function penaltyView(stored: StoredPublicRecord<AdminPenaltyRecord>): PublicPenalty {
  const { record } = stored;
  return {
    id: stored.id,
    kind: 'penalty',
    documentNumber: record.documentNumber,
    violationType: scrubFreeText(record.violationType),
    facts: scrubFreeText(record.facts),
    basis: scrubFreeText(record.basis),
    categories: [...record.categories],
    content: scrubFreeText(record.content),
    ...optional('fineAmount', record.fineAmount),
    ...optional('confiscatedAmount', record.confiscatedAmount),
    ...optional('suspendedLicence', scrubOptional(record.suspendedLicence)),
    decisionDate: record.decisionDate,
    validUntil: record.validUntil,
    ...optional('displayUntil', record.displayUntil),
    issuer: { name: record.issuer.name, code: record.issuer.code },
    sourceName: record.source.name,
    ...optional('legalRepresentative', scrubOptional(record.legalRepresentative?.name)),
    ...optional('remarks', scrubOptional(record.remarks)),
    ...objectionMark(stored),
  };
}

export function licenceView(stored: StoredPublicRecord<AdminLicenseRecord>): PublicLicence {
  const { record } = stored;
  return {
    id: stored.id,
    kind: 'licence',
    documentName: scrubFreeText(record.documentName),
    documentNumber: record.documentNumber,
    licenceCategory: record.licenceCategory,
    ...optional('certificateName', scrubOptional(record.certificateName)),
    ...optional('licenceNumber', record.licenceNumber),
    content: scrubFreeText(record.content),
    decisionDate: record.decisionDate,
    validFrom: record.validFrom,
    validUntil: record.validUntil,
    issuer: { name: record.issuer.name, code: record.issuer.code },
    sourceName: record.source.name,
    ...optional('legalRepresentative', scrubOptional(record.legalRepresentative?.name)),
    ...optional('remarks', scrubOptional(record.remarks)),
    ...objectionMark(stored),
  };
}

export function listEntryView(
  stored: StoredPublicRecord<ListLikeRecord>,
  listTypes: ReadonlyMap<string, PublicListType>,
): PublicListEntry {
  const { record } = stored;
  const listType = listTypes.get(record.listTypeCode);
  return {
    id: stored.id,
    kind: 'list-entry',
    listTypeCode: record.listTypeCode,
    ...optional('listTypeName', listType?.name),
    ...optional('nature', listType?.nature),
    listedOn: record.listedOn,
    validUntil: record.validUntil,
    decidingDepartment: record.decidingDepartment,
    basis: scrubFreeText(record.basis),
    reason: scrubFreeText(record.reason),
    ...(record.dataset === 'court-dishonest'
      ? { caseNumber: record.caseNumber, obligation: scrubFreeText(record.obligation) }
      : {}),
    ...objectionMark(stored),
  };
}
