import {
  isUsccPlaceholder,
  type UsccValid,
  validateBusinessRegistrationNumber,
  validateOrganisationCode,
  validateUscc,
} from '../identifiers';
import { field as f, issuesOf } from './common';
import type { FieldSpec, RowIssue } from './fields';
import {
  cell,
  type DatasetSchema,
  labelFor,
  type ParsedCells,
  type RowContext,
  type RowOutcome,
} from './schema';
import { type SubjectIdentity, warningFlags } from './subject';

export const codeMappingFields: readonly FieldSpec[] = [
  f('uscc', undefined, '统一社会信用代码', 'uscc', 'code', true, 'The subject the legacy codes lead to'),
  f(
    'organisationCode',
    undefined,
    '组织机构代码',
    'organisation_code',
    'code',
    false,
    'Legacy organisation code; must equal positions 9–17 of the USCC',
  ),
  f(
    'registrationNumber',
    undefined,
    '工商注册号',
    'registration_number',
    'code',
    false,
    '15-digit legacy 工商注册号',
  ),
  f(
    'taxRegistrationNumber',
    undefined,
    '税务登记号',
    'tax_registration_number',
    'code',
    false,
    'Legacy tax registration number (15–20 characters)',
  ),
  f('subjectName', undefined, '主体名称', 'subject_name', 'text', true, 'Name of the subject', {
    maxLength: 200,
  }),
];

export interface CodeMappingRecord {
  readonly dataset: 'code-mapping';
  /** The USCC subject; organisationCode and registrationNumber carry the legacy codes mapped to it. */
  readonly subject: SubjectIdentity;
  readonly taxRegistrationNumber?: string;
  readonly agencyCode: string;
}

const label = (key: string) => labelFor(codeMappingFields, key);
const TAX_NUMBER = /^[0-9A-Z]{15,20}$/;

/** A legacy code, normalised when valid; the issue when not. */
interface CodeCheck {
  readonly value?: string;
  readonly issue?: RowIssue;
}

/** The USCC the codes map to: a real one (not the placeholder), valid or allow-listed. */
function checkMappedUscc(
  raw: string,
  context: RowContext,
): { valid?: UsccValid; issue?: RowIssue; flags: string[] } {
  if (isUsccPlaceholder(raw)) {
    return {
      flags: [],
      issue: {
        field: label('uscc'),
        value: raw,
        code: 'USCC_PLACEHOLDER_NOT_ALLOWED',
        reason: 'the placeholder 00000000000000000X identifies nobody: a mapping needs the real USCC',
      },
    };
  }
  const uscc = validateUscc(raw, context.allowList ? { allowList: context.allowList } : {});
  if (!uscc.ok) {
    return {
      flags: [],
      issue: { field: label('uscc'), value: raw, code: `USCC_${uscc.code}`, reason: uscc.message },
    };
  }
  return {
    valid: uscc,
    flags: [...(uscc.allowListed ? ['USCC_ALLOW_LISTED'] : []), ...warningFlags('USCC', uscc.warnings)],
  };
}

function missingLegacyCode(cells: ParsedCells): RowIssue | undefined {
  const legacyKeys = ['organisationCode', 'registrationNumber', 'taxRegistrationNumber'];
  if (legacyKeys.some((key) => cell.text(cells, key) !== undefined)) return undefined;
  return {
    field: label('organisationCode'),
    value: '',
    code: 'REQUIRED',
    reason: 'at least one legacy code (组织机构代码, 工商注册号 or 税务登记号) is required',
  };
}

/** A valid organisation code that is positions 9–17 of the (valid) USCC. */
function checkOrganisationCode(raw: string | undefined, uscc: UsccValid | undefined): CodeCheck {
  if (raw === undefined) return {};
  const org = validateOrganisationCode(raw);
  if (!org.ok) {
    return {
      issue: { field: label('organisationCode'), value: raw, code: `ORG_${org.code}`, reason: org.message },
    };
  }
  if (uscc && uscc.organisationCode !== org.value) {
    return {
      value: org.value,
      issue: {
        field: label('organisationCode'),
        value: raw,
        code: 'ORG_CODE_MISMATCH',
        reason: `组织机构代码 ${org.formatted} is not positions 9–17 of 统一社会信用代码 ${uscc.value} (${uscc.organisationCode})`,
      },
    };
  }
  return { value: org.value };
}

function checkRegistrationNumber(raw: string | undefined): CodeCheck {
  if (raw === undefined) return {};
  const reg = validateBusinessRegistrationNumber(raw);
  if (reg.ok) return { value: reg.value };
  return {
    issue: {
      field: label('registrationNumber'),
      value: raw,
      code: `REGISTRATION_NUMBER_${reg.code}`,
      reason: reg.message,
    },
  };
}

function checkTaxNumber(
  raw: string | undefined,
  uscc: UsccValid | undefined,
): CodeCheck & { flags: string[] } {
  if (raw === undefined) return { flags: [] };
  const tax = raw.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase();
  if (!TAX_NUMBER.test(tax)) {
    return {
      flags: [],
      issue: {
        field: label('taxRegistrationNumber'),
        value: raw,
        code: 'TAX_NUMBER_FORMAT',
        reason: '税务登记号 must be 15–20 digits or capital letters',
      },
    };
  }
  // A 15-character tax number is the division code plus the organisation code [M]: flag a difference.
  const differs = tax.length === 15 && uscc !== undefined && tax.slice(6) !== uscc.organisationCode;
  return { value: tax, flags: differs ? ['TAX_NUMBER_ORG_CODE_DIFFERS'] : [] };
}

function mappingRecord(
  cells: ParsedCells,
  context: RowContext,
  uscc: UsccValid,
  legacy: { organisationCode?: string; registrationNumber?: string; taxRegistrationNumber?: string },
): CodeMappingRecord {
  return {
    dataset: 'code-mapping',
    subject: {
      key: `USCC#${uscc.value}`,
      kind: 'organisation',
      name: cell.required(cells, 'subjectName'),
      uscc: uscc.value,
      organisationCode: legacy.organisationCode ?? uscc.organisationCode,
      ...(legacy.registrationNumber ? { registrationNumber: legacy.registrationNumber } : {}),
      flags: [],
    },
    ...(legacy.taxRegistrationNumber ? { taxRegistrationNumber: legacy.taxRegistrationNumber } : {}),
    agencyCode: context.agency.code,
  };
}

function buildCodeMapping(cells: ParsedCells, context: RowContext): RowOutcome<CodeMappingRecord> {
  const uscc = checkMappedUscc(cell.required(cells, 'uscc'), context);
  const org = checkOrganisationCode(cell.text(cells, 'organisationCode'), uscc.valid);
  const reg = checkRegistrationNumber(cell.text(cells, 'registrationNumber'));
  const tax = checkTaxNumber(cell.text(cells, 'taxRegistrationNumber'), uscc.valid);
  const issues = issuesOf(uscc.issue, missingLegacyCode(cells), org.issue, reg.issue, tax.issue);
  if (issues.length > 0 || !uscc.valid) return { ok: false, issues };
  return {
    ok: true,
    flags: [...uscc.flags, ...tax.flags],
    value: mappingRecord(cells, context, uscc.valid, {
      organisationCode: org.value,
      registrationNumber: reg.value,
      taxRegistrationNumber: tax.value,
    }),
  };
}

export const codeMappingSchema: DatasetSchema<CodeMappingRecord> = {
  id: 'code-mapping',
  title: 'Legacy code to USCC mapping',
  titleZh: '代码映射',
  fields: codeMappingFields,
  rules: [
    '统一社会信用代码 must be a valid USCC (not the placeholder); at least one of 组织机构代码, 工商注册号, 税务登记号 is required.',
    '组织机构代码 is validated (check character) and must equal positions 9–17 of the USCC, else the row is rejected with ORG_CODE_MISMATCH.',
    '工商注册号 must be 15 digits with a valid MOD 11,10 check digit; 税务登记号 15–20 digits or capital letters (a 15-character number whose last 9 differ from the organisation code is flagged).',
    'Each accepted row writes alias items (ALIAS#ORG, ALIAS#REG, ALIAS#TAX) pointing at the USCC subject, so a check by a legacy code finds it.',
  ],
  buildRow: buildCodeMapping,
  businessKey: (record) =>
    [
      record.subject.uscc,
      record.subject.organisationCode ?? '',
      record.subject.registrationNumber ?? '',
      record.taxRegistrationNumber ?? '',
    ].join('|'),
};
