import {
  type IdentifierWarning,
  isUsccPlaceholder,
  validateBusinessRegistrationNumber,
  validateResidentId,
  validateUscc,
} from '../identifiers';
import type { FieldSpec, RowIssue } from './fields';
import { cell, labelFor, type ParsedCells, type RowContext } from './schema';

/**
 * Who a row is about. Every dataset identifies its subject the same way, so the rules live once:
 * organisations by USCC, 个体工商户 by USCC or — under the placeholder code — by 工商注册号,
 * natural persons by ID number.
 */
export const subjectCategories = ['法人及非法人组织', '自然人', '个体工商户'] as const;
export type SubjectCategory = (typeof subjectCategories)[number];

export type SubjectKind = 'organisation' | 'person' | 'individual-business';

export interface SubjectIdentity {
  /** Partition identity: USCC#…, ID#…, REG#… or DOC#<type>#…. */
  readonly key: string;
  readonly kind: SubjectKind;
  readonly name: string;
  readonly uscc?: string;
  readonly organisationCode?: string;
  readonly registrationNumber?: string;
  readonly idType?: string;
  readonly idNumber?: string;
  /**
   * Facts worth flagging in the report: allow-listed code, converted 15-digit ID, and the
   * identifier validators' warnings (e.g. USCC_DIVISION_UNKNOWN), prefixed like their rejects.
   */
  readonly flags: readonly string[];
}

export interface SubjectCells {
  readonly name: string;
  readonly category: SubjectCategory;
  readonly uscc?: string | undefined;
  readonly registrationNumber?: string | undefined;
  readonly idType?: string | undefined;
  readonly idNumber?: string | undefined;
}

/** Column labels used in issues, so that a reason names the column the agency actually filled in. */
export interface SubjectFieldLabels {
  readonly uscc: string;
  readonly registrationNumber: string;
  readonly idType: string;
  readonly idNumber: string;
}

export interface IdentifyOptions {
  readonly allowList?: ReadonlySet<string>;
  /** Today in Asia/Shanghai, `YYYY-MM-DD`: a resident ID's birth date may not be later. */
  readonly today: string;
}

const RESIDENT_ID_TYPES = new Set(['', '身份证', '居民身份证', '111']);

/** A validator's warnings as row flags: `USCC_DIVISION_UNKNOWN`, `ID_DIVISION_UNKNOWN`… */
export function warningFlags(prefix: string, warnings: readonly IdentifierWarning[]): string[] {
  return warnings.map((warning) => `${prefix}_${warning.code}`);
}

export type SubjectIdentification =
  | { ok: true; subject: SubjectIdentity }
  | { ok: false; issues: RowIssue[] };

function rejected(field: string, value: string, code: string, reason: string): SubjectIdentification {
  return { ok: false, issues: [{ field, value, code, reason }] };
}

/** Passports and other documents have no national check algorithm: kept as given. */
function documentHolder(name: string, idType: string, idNumber: string): SubjectIdentification {
  const normalised = idNumber.replace(/\s+/g, '').toUpperCase();
  return {
    ok: true,
    subject: {
      key: `DOC#${idType}#${normalised}`,
      kind: 'person',
      name,
      idType,
      idNumber: normalised,
      flags: [],
    },
  };
}

function identifyPerson(
  cells: SubjectCells,
  labels: SubjectFieldLabels,
  options: IdentifyOptions,
): SubjectIdentification {
  const idNumber = cells.idNumber?.trim() ?? '';
  const idType = cells.idType?.trim() ?? '';
  if (idNumber === '') {
    return rejected(labels.idNumber, '', 'REQUIRED', '证件号码 is required when the subject is a 自然人');
  }
  if (!RESIDENT_ID_TYPES.has(idType)) return documentHolder(cells.name, idType, idNumber);
  const result = validateResidentId(idNumber, { today: options.today });
  if (!result.ok) return rejected(labels.idNumber, idNumber, `ID_${result.code}`, result.message);
  return {
    ok: true,
    subject: {
      key: `ID#${result.value}`,
      kind: 'person',
      name: cells.name,
      idType: '身份证',
      idNumber: result.value,
      flags: [
        ...(result.converted15 ? ['ID_CONVERTED_FROM_15_DIGITS'] : []),
        ...warningFlags('ID', result.warnings),
      ],
    },
  };
}

/** Under the placeholder USCC only a 个体工商户 is allowed, identified by its 工商注册号. */
function identifyByRegistrationNumber(
  cells: SubjectCells,
  labels: SubjectFieldLabels,
  kind: SubjectKind,
  rawUscc: string,
): SubjectIdentification {
  if (kind !== 'individual-business') {
    return rejected(
      labels.uscc,
      rawUscc,
      'USCC_PLACEHOLDER_NOT_ALLOWED',
      'the placeholder code is only allowed for 个体工商户',
    );
  }
  const rawRegistrationNumber = cells.registrationNumber?.trim() ?? '';
  if (rawRegistrationNumber === '') {
    return rejected(
      labels.registrationNumber,
      '',
      'REQUIRED',
      '工商注册号 is required when the 统一社会信用代码 is the placeholder 00000000000000000X',
    );
  }
  // Under the placeholder the number is the identifier, so its GS15 check digit must hold.
  const registration = validateBusinessRegistrationNumber(rawRegistrationNumber);
  if (!registration.ok) {
    return rejected(
      labels.registrationNumber,
      rawRegistrationNumber,
      `REGISTRATION_NUMBER_${registration.code}`,
      `工商注册号: ${registration.message}`,
    );
  }
  const registrationNumber = registration.value;
  return {
    ok: true,
    subject: { key: `REG#${registrationNumber}`, kind, name: cells.name, registrationNumber, flags: [] },
  };
}

function identifyOrganisation(
  cells: SubjectCells,
  labels: SubjectFieldLabels,
  options: IdentifyOptions,
): SubjectIdentification {
  const rawUscc = cells.uscc?.trim() ?? '';
  const kind: SubjectKind = cells.category === '个体工商户' ? 'individual-business' : 'organisation';
  if (rawUscc === '') {
    return rejected(
      labels.uscc,
      '',
      'REQUIRED',
      `统一社会信用代码 is required when the subject is a ${cells.category}`,
    );
  }
  if (isUsccPlaceholder(rawUscc)) return identifyByRegistrationNumber(cells, labels, kind, rawUscc);
  const result = validateUscc(rawUscc, options.allowList ? { allowList: options.allowList } : {});
  if (!result.ok) return rejected(labels.uscc, rawUscc, `USCC_${result.code}`, result.message);
  const registrationNumber = cells.registrationNumber?.replace(/\s+/g, '').toUpperCase() || undefined;
  return {
    ok: true,
    subject: {
      key: `USCC#${result.value}`,
      kind,
      name: cells.name,
      uscc: result.value,
      organisationCode: result.organisationCode,
      ...(registrationNumber ? { registrationNumber } : {}),
      flags: [...(result.allowListed ? ['USCC_ALLOW_LISTED'] : []), ...warningFlags('USCC', result.warnings)],
    },
  };
}

export function identifySubject(
  cells: SubjectCells,
  labels: SubjectFieldLabels,
  options: IdentifyOptions,
): SubjectIdentification {
  if (cells.category === '自然人') return identifyPerson(cells, labels, options);
  return identifyOrganisation(cells, labels, options);
}

/**
 * The subject of a row whose schema uses the conventional subject fields (subjectName,
 * subjectCategory, uscc, registrationNumber, idType, idNumber); reasons name the schema's columns.
 */
export function identifyRowSubject(
  fields: readonly FieldSpec[],
  cells: ParsedCells,
  context: RowContext,
): ReturnType<typeof identifySubject> {
  const label = (key: string) => labelFor(fields, key);
  return identifySubject(
    {
      name: cell.required(cells, 'subjectName'),
      category: cell.required(cells, 'subjectCategory') as SubjectCategory,
      uscc: cell.text(cells, 'uscc'),
      registrationNumber: cell.text(cells, 'registrationNumber'),
      idType: cell.text(cells, 'idType'),
      idNumber: cell.text(cells, 'idNumber'),
    },
    {
      uscc: label('uscc'),
      registrationNumber: label('registrationNumber'),
      idType: label('idType'),
      idNumber: label('idNumber'),
    },
    { today: context.today, ...(context.allowList ? { allowList: context.allowList } : {}) },
  );
}
