import {
  checkBodyCode,
  checkNotFuture,
  checkOrder,
  checkSource,
  field as f,
  given,
  issuesOf,
  legalRepresentativeIdOf,
  legalRepresentativeOf,
  openEndAsNull,
} from './common';
import type { FieldSpec, RowIssue } from './fields';
import {
  cell,
  type DatasetSchema,
  labelFor,
  type ParsedCells,
  type RowContext,
  type RowOutcome,
} from './schema';
import { identifyRowSubject, type SubjectIdentity, subjectCategories } from './subject';

/** 许可类别 of the national standard. */
export const licenceCategories = ['普通', '特许', '认可', '核准', '登记', '其他'] as const;
/** 当前状态: 1 有效 (valid), 2 无效 (invalid — withdrawn, revoked or annulled). Labels accepted too. */
export const licenceStatuses = ['1', '2', '有效', '无效'] as const;

export const adminLicenseFields: readonly FieldSpec[] = [
  f('subjectName', 'XK_XDR_MC', '行政相对人名称', 'subject_name', 'text', true, 'Name of the licensee', {
    maxLength: 200,
  }),
  f('subjectCategory', 'XK_XDR_LB', '行政相对人类别', 'subject_category', 'enum', true, 'Kind of party', {
    values: subjectCategories,
  }),
  f(
    'uscc',
    'XK_XDR_SHXYM',
    '统一社会信用代码',
    'uscc',
    'code',
    false,
    'Required for organisations and 个体工商户',
  ),
  f(
    'registrationNumber',
    'XK_XDR_GSZC',
    '工商注册号',
    'registration_number',
    'code',
    false,
    'Required under the placeholder USCC 00000000000000000X',
  ),
  f(
    'organisationCode',
    'XK_XDR_ZZJG',
    '组织机构代码',
    'organisation_code',
    'code',
    false,
    'Legacy organisation code',
  ),
  f(
    'taxRegistrationNumber',
    'XK_XDR_SWDJ',
    '税务登记号',
    'tax_registration_number',
    'code',
    false,
    'Legacy tax number',
  ),
  f(
    'institutionCertificate',
    'XK_XDR_SYDW',
    '事业单位证书号',
    'institution_certificate',
    'code',
    false,
    'Public institution certificate',
  ),
  f(
    'socialOrganisationCertificate',
    'XK_XDR_SHZZ',
    '社会组织登记证号',
    'social_organisation_certificate',
    'code',
    false,
    'Social organisation certificate',
  ),
  f(
    'legalRepresentative',
    'XK_FRDB',
    '法定代表人',
    'legal_representative',
    'text',
    false,
    'Legal representative',
    {
      maxLength: 50,
    },
  ),
  f(
    'legalRepresentativeIdType',
    'XK_FR_ZJLX',
    '法定代表人证件类型',
    'legal_representative_id_type',
    'text',
    false,
    'ID type of the legal representative',
  ),
  f(
    'legalRepresentativeIdNumber',
    'XK_FR_ZJHM',
    '法定代表人证件号码',
    'legal_representative_id_number',
    'code',
    false,
    'ID number of the legal representative (validated when a 身份证)',
  ),
  f(
    'idType',
    'XK_XDR_ZJLX',
    '证件类型',
    'id_type',
    'text',
    false,
    'ID type of a natural person (default 身份证)',
  ),
  f('idNumber', 'XK_XDR_ZJHM', '证件号码', 'id_number', 'code', false, 'Required for a 自然人'),
  f(
    'documentName',
    'XK_XKWS',
    '行政许可决定文书名称',
    'document_name',
    'text',
    true,
    'Title of the decision',
  ),
  f(
    'documentNumber',
    'XK_WSH',
    '行政许可决定文书号',
    'document_number',
    'text',
    true,
    'Decision number; with the issuing body (and subject), the business key',
    { maxLength: 128 },
  ),
  f('licenceCategory', 'XK_XKLB', '许可类别', 'licence_category', 'enum', true, 'Category of licence', {
    values: licenceCategories,
  }),
  f(
    'certificateName',
    'XK_XKZS',
    '许可证书名称',
    'certificate_name',
    'text',
    false,
    'Name of the certificate',
  ),
  f('licenceNumber', 'XK_XKBH', '许可编号', 'licence_number', 'text', false, 'Number of the licence', {
    maxLength: 128,
  }),
  f('content', 'XK_NR', '许可内容', 'content', 'text', true, 'What is licensed'),
  f(
    'decisionDate',
    'XK_JDRQ',
    '许可决定日期',
    'decision_date',
    'date',
    true,
    'Not in the future; starts the 7-working-day reporting clock',
  ),
  f('validFrom', 'XK_YXQZ', '有效期自', 'valid_from', 'date', true, 'Start of validity'),
  f(
    'validUntil',
    'XK_YXQZI',
    '有效期至',
    'valid_until',
    'date',
    true,
    'End of validity, not before its start; 2099/12/31 means no end (长期)',
  ),
  f('issuerName', 'XK_XKJG', '许可机关', 'issuer_name', 'text', true, 'Issuing body'),
  f(
    'issuerCode',
    'XK_XKJGDM',
    '许可机关统一社会信用代码',
    'issuer_code',
    'code',
    true,
    'USCC of the issuing body',
  ),
  f(
    'status',
    'XK_ZT',
    '当前状态',
    'status',
    'enum',
    true,
    '1 有效 (valid) or 2 无效 (invalid: withdraws a published licence)',
    { values: licenceStatuses },
  ),
  f('sourceName', 'XK_LYDW', '数据来源单位', 'source_name', 'text', true, 'Reporting unit'),
  f(
    'sourceCode',
    'XK_LYDWDM',
    '数据来源单位统一社会信用代码',
    'source_code',
    'code',
    true,
    'Must be the uploading agency',
  ),
  f('remarks', 'BZ', '备注', 'remarks', 'text', false, 'Free remarks'),
];

export interface AdminLicenseRecord {
  readonly dataset: 'admin-license';
  readonly subject: SubjectIdentity;
  readonly legalRepresentative?: {
    readonly name: string;
    readonly idType?: string;
    readonly idNumber?: string;
  };
  readonly documentName: string;
  readonly documentNumber: string;
  readonly licenceCategory: (typeof licenceCategories)[number];
  readonly certificateName?: string;
  readonly licenceNumber?: string;
  readonly content: string;
  readonly decisionDate: string;
  readonly validFrom: string;
  /** null means no end (2099/12/31, 长期). */
  readonly validUntil: string | null;
  readonly issuer: { readonly name: string; readonly code: string };
  /** 当前状态: `invalid` withdraws the published licence. */
  readonly status: 'valid' | 'invalid';
  readonly source: { readonly name: string; readonly code: string };
  readonly remarks?: string;
}

const label = (key: string) => labelFor(adminLicenseFields, key);

/** 许可决定日期 not in the future; 有效期至 not before 有效期自. */
function licenceDateIssues(cells: ParsedCells, context: RowContext): RowIssue[] {
  return issuesOf(
    checkNotFuture(label('decisionDate'), '许可决定日期', cell.required(cells, 'decisionDate'), context),
    checkOrder(
      label('validUntil'),
      '有效期至',
      cell.required(cells, 'validUntil'),
      '有效期自',
      cell.required(cells, 'validFrom'),
    ),
  );
}

/** The record of a row whose checks all passed, with the checked codes. */
function licenceRecord(
  cells: ParsedCells,
  subject: SubjectIdentity,
  codes: { issuer: string; source: string; legalRepresentativeId: string | undefined },
): AdminLicenseRecord {
  const status = cell.required(cells, 'status');
  return {
    dataset: 'admin-license',
    subject,
    ...legalRepresentativeOf(
      cell.text(cells, 'legalRepresentative'),
      cell.text(cells, 'legalRepresentativeIdType'),
      codes.legalRepresentativeId,
    ),
    documentName: cell.required(cells, 'documentName'),
    documentNumber: cell.required(cells, 'documentNumber'),
    licenceCategory: cell.required(cells, 'licenceCategory') as AdminLicenseRecord['licenceCategory'],
    ...given({
      certificateName: cell.text(cells, 'certificateName'),
      licenceNumber: cell.text(cells, 'licenceNumber'),
    }),
    content: cell.required(cells, 'content'),
    decisionDate: cell.required(cells, 'decisionDate'),
    validFrom: cell.required(cells, 'validFrom'),
    validUntil: openEndAsNull(cell.required(cells, 'validUntil')),
    issuer: { name: cell.required(cells, 'issuerName'), code: codes.issuer },
    status: status === '2' || status === '无效' ? 'invalid' : 'valid',
    source: { name: cell.required(cells, 'sourceName'), code: codes.source },
    ...given({ remarks: cell.text(cells, 'remarks') }),
  };
}

function buildAdminLicense(cells: ParsedCells, context: RowContext): RowOutcome<AdminLicenseRecord> {
  const identified = identifyRowSubject(adminLicenseFields, cells, context);
  const issuer = checkBodyCode(label('issuerCode'), cell.required(cells, 'issuerCode'), context);
  const source = checkSource(label('sourceCode'), cell.required(cells, 'sourceCode'), context);
  const legalRepId = legalRepresentativeIdOf(cells, context, label);
  const issues = [
    ...(identified.ok ? [] : identified.issues),
    ...licenceDateIssues(cells, context),
    ...issuesOf(issuer.ok ? undefined : issuer.issue, source.issue, legalRepId.issue),
  ];
  if (issues.length > 0 || !identified.ok || !issuer.ok) return { ok: false, issues };
  return {
    ok: true,
    flags: [...identified.subject.flags, ...issuer.flags],
    value: licenceRecord(cells, identified.subject, {
      issuer: issuer.value,
      source: source.value,
      legalRepresentativeId: legalRepId.value,
    }),
  };
}

export const adminLicenseSchema: DatasetSchema<AdminLicenseRecord> = {
  id: 'admin-license',
  title: 'Administrative licences',
  titleZh: '行政许可',
  fields: adminLicenseFields,
  rules: [
    '行政相对人类别 自然人 needs 证件号码 (XK_XDR_ZJHM), validated as a resident ID when 证件类型 is empty or 身份证.',
    '法人及非法人组织 and 个体工商户 need 统一社会信用代码 (XK_XDR_SHXYM); the placeholder 00000000000000000X is allowed only for 个体工商户 and then needs 工商注册号 (XK_XDR_GSZC): 15 digits whose last is the GS15 check digit (ISO 7064 MOD 11,10).',
    '许可决定日期 (XK_JDRQ) may not be after today; the record is due 7 working days after it (official calendar) and is flagged late if it first arrived after that.',
    '有效期至 (XK_YXQZI) may not be before 有效期自 (XK_YXQZ); 2099/12/31 means no end.',
    '许可机关统一社会信用代码 (XK_XKJGDM) must be a valid USCC; 数据来源单位统一社会信用代码 (XK_LYDWDM) must be the uploading agency.',
    '当前状态 (XK_ZT) 2/无效 withdraws the published licence: it is kept for audit with status withdrawn and no longer shown.',
    'Business key: 许可机关统一社会信用代码 + 行政许可决定文书号 + subject. Re-submitting it updates the record and keeps every version as history.',
  ],
  buildRow: buildAdminLicense,
  businessKey: (record) => `${record.issuer.code}|${record.documentNumber}|${record.subject.key}`,
};
