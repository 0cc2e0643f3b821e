import {
  isUsccPlaceholder,
  validateBusinessRegistrationNumber,
  validateOrganisationCode,
  validateUscc,
} from '../identifiers';
import { field as f } from './common';
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

function buildCodeMapping(cells: ParsedCells, context: RowContext): RowOutcome<CodeMappingRecord> {
  const issues: RowIssue[] = [];
  const flags: string[] = [];
  const rawUscc = cell.required(cells, 'uscc');
  const name = cell.required(cells, 'subjectName');
  const rawOrg = cell.text(cells, 'organisationCode');
  const rawReg = cell.text(cells, 'registrationNumber');
  const rawTax = cell.text(cells, 'taxRegistrationNumber');

  let uscc: ReturnType<typeof validateUscc> | undefined;
  if (isUsccPlaceholder(rawUscc)) {
    issues.push({
      field: label('uscc'),
      value: rawUscc,
      code: 'USCC_PLACEHOLDER_NOT_ALLOWED',
      reason: 'the placeholder 00000000000000000X identifies nobody: a mapping needs the real USCC',
    });
  } else {
    uscc = validateUscc(rawUscc, context.allowList ? { allowList: context.allowList } : {});
    if (!uscc.ok)
      issues.push({ field: label('uscc'), value: rawUscc, code: `USCC_${uscc.code}`, reason: uscc.message });
    else {
      if (uscc.allowListed) flags.push('USCC_ALLOW_LISTED');
      flags.push(...warningFlags('USCC', uscc.warnings));
    }
  }
  if (rawOrg === undefined && rawReg === undefined && rawTax === undefined) {
    issues.push({
      field: label('organisationCode'),
      value: '',
      code: 'REQUIRED',
      reason: 'at least one legacy code (组织机构代码, 工商注册号 or 税务登记号) is required',
    });
  }

  let organisationCode: string | undefined;
  if (rawOrg !== undefined) {
    const org = validateOrganisationCode(rawOrg);
    if (!org.ok) {
      issues.push({
        field: label('organisationCode'),
        value: rawOrg,
        code: `ORG_${org.code}`,
        reason: org.message,
      });
    } else {
      organisationCode = org.value;
      if (uscc?.ok && uscc.organisationCode !== org.value) {
        issues.push({
          field: label('organisationCode'),
          value: rawOrg,
          code: 'ORG_CODE_MISMATCH',
          reason: `组织机构代码 ${org.formatted} is not positions 9–17 of 统一社会信用代码 ${uscc.value} (${uscc.organisationCode})`,
        });
      }
    }
  }
  let registrationNumber: string | undefined;
  if (rawReg !== undefined) {
    const reg = validateBusinessRegistrationNumber(rawReg);
    if (!reg.ok) {
      issues.push({
        field: label('registrationNumber'),
        value: rawReg,
        code: `REGISTRATION_NUMBER_${reg.code}`,
        reason: reg.message,
      });
    } else registrationNumber = reg.value;
  }
  let taxRegistrationNumber: string | undefined;
  if (rawTax !== undefined) {
    const tax = rawTax.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase();
    if (!TAX_NUMBER.test(tax)) {
      issues.push({
        field: label('taxRegistrationNumber'),
        value: rawTax,
        code: 'TAX_NUMBER_FORMAT',
        reason: '税务登记号 must be 15–20 digits or capital letters',
      });
    } else {
      taxRegistrationNumber = tax;
      // A 15-character tax number is the division code plus the organisation code [M]: flag a difference.
      if (tax.length === 15 && uscc?.ok && tax.slice(6) !== uscc.organisationCode) {
        flags.push('TAX_NUMBER_ORG_CODE_DIFFERS');
      }
    }
  }

  if (issues.length > 0 || !uscc?.ok) return { ok: false, issues };
  return {
    ok: true,
    flags,
    value: {
      dataset: 'code-mapping',
      subject: {
        key: `USCC#${uscc.value}`,
        kind: 'organisation',
        name,
        uscc: uscc.value,
        organisationCode: organisationCode ?? uscc.organisationCode,
        ...(registrationNumber ? { registrationNumber } : {}),
        flags: [],
      },
      ...(taxRegistrationNumber ? { taxRegistrationNumber } : {}),
      agencyCode: context.agency.code,
    },
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
