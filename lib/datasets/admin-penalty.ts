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
import { type PenaltyLifecycle, penaltyLifecycle } from './penalty-lifecycle';
import {
  cell,
  type DatasetSchema,
  labelFor,
  type ParsedCells,
  type RowContext,
  type RowOutcome,
} from './schema';
import { identifyRowSubject, type SubjectIdentity, subjectCategories } from './subject';

/** 处罚类别 as listed since the 2021 revision of the law, plus the pre-2021 labels still found in data. */
export const penaltyCategories = [
  '警告',
  '通报批评',
  '罚款',
  '没收违法所得、没收非法财物',
  '没收违法所得',
  '没收非法财物',
  '暂扣许可证件',
  '降低资质等级',
  '吊销许可证件',
  '限制开展生产经营活动',
  '责令停产停业',
  '责令关闭',
  '限制从业',
  '行政拘留',
  '暂扣或者吊销许可证、暂扣或者吊销执照',
  '暂扣或者吊销许可证',
  '暂扣或者吊销执照',
  '责令停产停业、暂扣或者吊销许可证、暂扣或者吊销执照',
  '其他',
] as const;

/** 操作类型: an optional column; empty means 新增. */
export const penaltyActions = ['新增', '更新', '撤销', 'add', 'update', 'withdraw'] as const;
const ACTIONS: Record<string, 'add' | 'update' | 'withdraw'> = {
  新增: 'add',
  更新: 'update',
  撤销: 'withdraw',
  add: 'add',
  update: 'update',
  withdraw: 'withdraw',
};

export const adminPenaltyFields: readonly FieldSpec[] = [
  f(
    'subjectName',
    'CF_XDR_MC',
    '行政相对人名称',
    'subject_name',
    'text',
    true,
    'Name of the party penalised',
    {
      maxLength: 200,
    },
  ),
  f('subjectCategory', 'CF_XDR_LB', '行政相对人类别', 'subject_category', 'enum', true, 'Kind of party', {
    values: subjectCategories,
  }),
  f(
    'uscc',
    'CF_XDR_SHXYM',
    '统一社会信用代码',
    'uscc',
    'code',
    false,
    'Required for organisations and 个体工商户',
  ),
  f(
    'registrationNumber',
    'CF_XDR_GSZC',
    '工商注册号',
    'registration_number',
    'code',
    false,
    'Required under the placeholder USCC',
  ),
  f(
    'organisationCode',
    'CF_XDR_ZZJG',
    '组织机构代码',
    'organisation_code',
    'code',
    false,
    'Legacy organisation code',
  ),
  f(
    'taxRegistrationNumber',
    'CF_XDR_SWDJ',
    '税务登记号',
    'tax_registration_number',
    'code',
    false,
    'Legacy tax number',
  ),
  f(
    'institutionCertificate',
    'CF_XDR_SYDW',
    '事业单位证书号',
    'institution_certificate',
    'code',
    false,
    'Public institution certificate',
  ),
  f(
    'socialOrganisationCertificate',
    'CF_XDR_SHZZ',
    '社会组织登记证号',
    'social_organisation_certificate',
    'code',
    false,
    'Social organisation certificate',
  ),
  f(
    'legalRepresentative',
    'CF_FRDB',
    '法定代表人',
    'legal_representative',
    'text',
    false,
    'Legal representative of an organisation',
    {
      maxLength: 50,
    },
  ),
  f(
    'legalRepresentativeIdType',
    'CF_FR_ZJLX',
    '法定代表人证件类型',
    'legal_representative_id_type',
    'text',
    false,
    'ID type of the legal representative',
  ),
  f(
    'legalRepresentativeIdNumber',
    'CF_FR_ZJHM',
    '法定代表人证件号码',
    'legal_representative_id_number',
    'code',
    false,
    'ID number of the legal representative',
  ),
  f('idType', 'CF_XDR_ZJLX', '证件类型', 'id_type', 'text', false, 'ID type of a natural person'),
  f('idNumber', 'CF_XDR_ZJHM', '证件号码', 'id_number', 'code', false, 'Required for a 自然人'),
  f(
    'documentNumber',
    'CF_WSH',
    '行政处罚决定书文号',
    'document_number',
    'text',
    true,
    'Decision number; with the issuing body, the business key',
    {
      maxLength: 128,
    },
  ),
  f('violationType', 'CF_WFXW', '违法行为类型', 'violation_type', 'text', true, 'Type of violation'),
  f('facts', 'CF_SY', '违法事实', 'facts', 'text', true, 'Facts of the violation'),
  f('basis', 'CF_YJ', '处罚依据', 'basis', 'text', true, 'Legal basis of the penalty'),
  f(
    'categories',
    'CF_CFLB',
    '处罚类别',
    'penalty_categories',
    'enum-list',
    true,
    'One or more categories joined by ";"',
    {
      values: penaltyCategories,
    },
  ),
  f('content', 'CF_NR', '处罚内容', 'content', 'text', true, 'What the penalty imposes'),
  f(
    'fineAmount',
    'CF_NR_FK',
    '罚款金额（万元）',
    'fine_amount',
    'amount',
    false,
    'Fine in 万元; required with 罚款',
  ),
  f(
    'confiscatedAmount',
    'CF_NR_WFFF',
    '没收违法所得、没收非法财物的金额（万元）',
    'confiscated_amount',
    'amount',
    false,
    'Required with 没收',
  ),
  f(
    'suspendedLicence',
    'CF_NR_ZKDX',
    '暂扣或吊销证照名称及编号',
    'suspended_licence',
    'text',
    false,
    'Required with 暂扣/吊销',
  ),
  f(
    'decisionDate',
    'CF_JDRQ',
    '处罚决定日期',
    'decision_date',
    'date',
    true,
    'Starts the 7-working-day reporting clock',
  ),
  f('validUntil', 'CF_YXQ', '处罚有效期', 'valid_until', 'date', true, '2099/12/31 means no end'),
  f(
    'displayUntil',
    'CF_GSJZQ',
    '公示截止期',
    'display_until',
    'date',
    false,
    'End of public display; capped at the maximum of the rule set in force (config/display-periods.json)',
  ),
  f(
    'severity',
    'CF_YZCD',
    '严重程度',
    'severity',
    'text',
    false,
    'Platform extension: 轻微/一般/严重 (or 1/2/3); when empty a default rule of config/severity.json applies',
  ),
  f(
    'procedure',
    'CF_CFCX',
    '处罚程序',
    'procedure',
    'text',
    false,
    'Platform extension: 简易程序 or 普通程序; 简易程序 penalties are 轻微 and not published',
  ),
  f('issuerName', 'CF_CFJG', '处罚机关', 'issuer_name', 'text', true, 'Issuing body'),
  f(
    'issuerCode',
    'CF_CFJGDM',
    '处罚机关统一社会信用代码',
    'issuer_code',
    'code',
    true,
    'USCC of the issuing body',
  ),
  f('sourceName', 'CF_SJLY', '数据来源单位', 'source_name', 'text', true, 'Reporting unit'),
  f(
    'sourceCode',
    'CF_SJLYDM',
    '数据来源单位统一社会信用代码',
    'source_code',
    'code',
    true,
    'Must be the uploading agency',
  ),
  f('remarks', 'BZ', '备注', 'remarks', 'text', false, 'Free remarks'),
  {
    key: 'action',
    nameZh: '操作类型',
    alias: 'action',
    kind: 'enum',
    required: false,
    values: penaltyActions,
    description:
      '新增/add (default), 更新/update, 撤销/withdraw: withdraws a published penalty (kept for audit)',
  },
];

export interface AdminPenaltyRecord {
  readonly dataset: 'admin-penalty';
  readonly subject: SubjectIdentity;
  readonly legalRepresentative?: {
    readonly name: string;
    readonly idType?: string;
    readonly idNumber?: string;
  };
  readonly documentNumber: string;
  readonly violationType: string;
  readonly facts: string;
  readonly basis: string;
  readonly categories: readonly string[];
  readonly content: string;
  readonly fineAmount?: number;
  readonly confiscatedAmount?: number;
  readonly suspendedLicence?: string;
  readonly decisionDate: string;
  /** null means no end (2099/12/31, 长期). */
  readonly validUntil: string | null;
  /** Severity, publication and display period under the law (lib/lifecycle), set at ingestion. */
  readonly severity?: PenaltyLifecycle['severity'];
  readonly severityBasis?: PenaltyLifecycle['severityBasis'];
  readonly severityRule?: string;
  readonly procedure?: string;
  readonly publishable?: boolean;
  readonly withheldBy?: readonly string[];
  readonly displayFrom?: string;
  /** Last day in display, inclusive (absent only on records stored before display periods were computed). */
  readonly displayUntil?: string;
  readonly displayMinimumUntil?: string;
  readonly displayRuleSet?: string;
  readonly sourceDisplayUntil?: string;
  readonly issuer: { readonly name: string; readonly code: string };
  readonly source: { readonly name: string; readonly code: string };
  readonly remarks?: string;
  /** From 操作类型; `withdraw` withdraws the published record (kept for audit). Absent means add. */
  readonly action?: 'add' | 'update' | 'withdraw';
}

const label = (key: string) => labelFor(adminPenaltyFields, key);

/** A cell a 处罚类别 makes required, reported when that category is given and the cell is not. */
function requiredByCategory(
  cells: ParsedCells,
  applies: boolean,
  key: string,
  reason: string,
): RowIssue | undefined {
  if (!applies || cells[key] !== undefined) return undefined;
  return { field: label(key), value: '', code: 'REQUIRED', reason };
}

/** 罚款 needs its amount, 没收 the confiscated amount, 暂扣/吊销 the licence concerned. */
function categoryIssues(cells: ParsedCells): RowIssue[] {
  const categories = cell.list(cells, 'categories');
  return issuesOf(
    requiredByCategory(
      cells,
      categories.includes('罚款'),
      'fineAmount',
      '罚款金额 is required when 处罚类别 includes 罚款',
    ),
    requiredByCategory(
      cells,
      categories.some((c) => c.includes('没收')),
      'confiscatedAmount',
      '没收违法所得、没收非法财物的金额 is required when 处罚类别 includes 没收',
    ),
    requiredByCategory(
      cells,
      categories.some((c) => c.includes('暂扣') || c.includes('吊销')),
      'suspendedLicence',
      '暂扣或吊销证照名称及编号 is required when 处罚类别 includes 暂扣 or 吊销',
    ),
  );
}

/** 处罚决定日期 not in the future; 处罚有效期 and 公示截止期 not before it. */
function penaltyDateIssues(cells: ParsedCells, context: RowContext): RowIssue[] {
  const decisionDate = cell.required(cells, 'decisionDate');
  return issuesOf(
    checkNotFuture(label('decisionDate'), '处罚决定日期', decisionDate, context),
    checkOrder(
      label('validUntil'),
      '处罚有效期',
      cell.required(cells, 'validUntil'),
      '处罚决定日期',
      decisionDate,
    ),
    checkOrder(
      label('displayUntil'),
      '公示截止期',
      cell.text(cells, 'displayUntil'),
      '处罚决定日期',
      decisionDate,
    ),
  );
}

/** 数据来源单位 must be the uploading agency; a mismatch is reported with the normalised code. */
function penaltySource(cells: ParsedCells, context: RowContext): { value: string; issue?: RowIssue } {
  const source = checkSource(label('sourceCode'), cell.required(cells, 'sourceCode'), context);
  return source.issue ? { value: source.value, issue: { ...source.issue, value: source.value } } : source;
}

/** Severity, publication and display period of a row whose other checks passed. */
function lifecycleOf(
  cells: ParsedCells,
  subject: SubjectIdentity,
): { ok: true; lifecycle: PenaltyLifecycle; flags: readonly string[] } | { ok: false; issue: RowIssue } {
  const displayUntil = cell.text(cells, 'displayUntil');
  const lifecycle = penaltyLifecycle({
    declaredSeverity: cell.text(cells, 'severity'),
    procedure: cell.text(cells, 'procedure'),
    categories: cell.list(cells, 'categories'),
    fineWanYuan: cell.amount(cells, 'fineAmount'),
    subjectKind: subject.kind,
    decisionDate: cell.required(cells, 'decisionDate'),
    // 2099/12/31 ("no end") is a source end like any other: capped at the maximum, with the flag.
    sourceDisplayUntil: displayUntil,
  });
  if (lifecycle.ok) return lifecycle;
  return {
    ok: false,
    issue: {
      field: label('severity'),
      value: cell.text(cells, 'severity') ?? '',
      code: lifecycle.code,
      reason: lifecycle.reason,
    },
  };
}

/** The record of a row whose checks all passed, with the checked codes and the computed lifecycle. */
function penaltyRecord(
  cells: ParsedCells,
  subject: SubjectIdentity,
  codes: { issuer: string; source: string; legalRepresentativeId: string | undefined },
  lifecycle: PenaltyLifecycle,
): AdminPenaltyRecord {
  const action = cell.text(cells, 'action');
  return {
    dataset: 'admin-penalty',
    subject,
    ...legalRepresentativeOf(
      cell.text(cells, 'legalRepresentative'),
      cell.text(cells, 'legalRepresentativeIdType'),
      codes.legalRepresentativeId,
    ),
    documentNumber: cell.required(cells, 'documentNumber'),
    violationType: cell.required(cells, 'violationType'),
    facts: cell.required(cells, 'facts'),
    basis: cell.required(cells, 'basis'),
    categories: cell.list(cells, 'categories'),
    content: cell.required(cells, 'content'),
    ...given({
      fineAmount: cell.amount(cells, 'fineAmount'),
      confiscatedAmount: cell.amount(cells, 'confiscatedAmount'),
      suspendedLicence: cell.text(cells, 'suspendedLicence'),
    }),
    decisionDate: cell.required(cells, 'decisionDate'),
    validUntil: openEndAsNull(cell.required(cells, 'validUntil')),
    ...given({ procedure: cell.text(cells, 'procedure') }),
    ...lifecycle,
    issuer: { name: cell.required(cells, 'issuerName'), code: codes.issuer },
    source: { name: cell.required(cells, 'sourceName'), code: codes.source },
    ...given({
      remarks: cell.text(cells, 'remarks'),
      action: action === undefined ? undefined : ACTIONS[action]!,
    }),
  };
}

function buildAdminPenalty(cells: ParsedCells, context: RowContext): RowOutcome<AdminPenaltyRecord> {
  const identified = identifyRowSubject(adminPenaltyFields, cells, context);
  const issuer = checkBodyCode(label('issuerCode'), cell.required(cells, 'issuerCode'), context);
  const source = penaltySource(cells, context);
  const legalRepId = legalRepresentativeIdOf(cells, context, label);
  const issues = [
    ...(identified.ok ? [] : identified.issues),
    ...categoryIssues(cells),
    ...penaltyDateIssues(cells, context),
    ...issuesOf(issuer.ok ? undefined : issuer.issue, source.issue, legalRepId.issue),
  ];
  if (issues.length > 0 || !identified.ok || !issuer.ok) return { ok: false, issues };
  const lifecycle = lifecycleOf(cells, identified.subject);
  if (!lifecycle.ok) return { ok: false, issues: [lifecycle.issue] };
  return {
    ok: true,
    flags: [...identified.subject.flags, ...issuer.flags, ...lifecycle.flags],
    value: penaltyRecord(
      cells,
      identified.subject,
      { issuer: issuer.value, source: source.value, legalRepresentativeId: legalRepId.value },
      lifecycle.lifecycle,
    ),
  };
}

export const adminPenaltySchema: DatasetSchema<AdminPenaltyRecord> = {
  id: 'admin-penalty',
  title: 'Administrative penalties',
  titleZh: '行政处罚',
  fields: adminPenaltyFields,
  rules: [
    '行政相对人类别 自然人 needs 证件号码 (CF_XDR_ZJHM), validated as a resident ID when 证件类型 is empty or 身份证.',
    '法人及非法人组织 and 个体工商户 need 统一社会信用代码 (CF_XDR_SHXYM); the placeholder 00000000000000000X is allowed only for 个体工商户 and then needs 工商注册号 (CF_XDR_GSZC): 15 digits whose last is the GS15 check digit (ISO 7064 MOD 11,10).',
    '处罚类别 罚款 needs 罚款金额 (CF_NR_FK); a 没收 category needs CF_NR_WFFF; a 暂扣/吊销 category needs CF_NR_ZKDX. Amounts are in 万元, decimals allowed.',
    '处罚决定日期 (CF_JDRQ) may not be after today; 处罚有效期 and 公示截止期 may not be before it (2099/12/31 = no end). The record is due 7 working days after the decision (official calendar) and is flagged late if it first arrived after that.',
    '严重程度 (CF_YZCD) is declared by the source agency (轻微/一般/严重); when empty a default rule applies (警告/通报批评 only, 简易程序, or a fine within the 简易程序 amounts → 轻微). 轻微, 简易程序 and natural persons are not published (publishable false).',
    'Display period: from the decision date, for the minimum to maximum of the severity under the rule set in force on the decision date (527号 / Order 58 / Order 36, config/display-periods.json). No 公示截止期 (or 2099/12/31) means the maximum; one beyond the maximum is capped (flag SOURCE_END_CAPPED); one below the minimum is kept and flagged (SOURCE_END_BELOW_MINIMUM).',
    '处罚机关统一社会信用代码 (CF_CFJGDM) must be a valid USCC; 数据来源单位统一社会信用代码 (CF_SJLYDM) must be the uploading agency.',
    '操作类型 撤销/withdraw withdraws the published penalty: it is kept for audit with status withdrawn and no longer shown; 新增/更新 (or no column) add or update.',
    'Business key: 处罚机关统一社会信用代码 + 行政处罚决定书文号 + subject. Re-submitting it updates the record and keeps every version as history.',
  ],
  buildRow: buildAdminPenalty,
  // One decision document may cover several parties, so the subject is part of the key.
  businessKey: (record) => `${record.issuer.code}|${record.documentNumber}|${record.subject.key}`,
};
