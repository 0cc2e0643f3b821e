import { addWorkingDays, CalendarYearUnavailableError } from '../calendar/working-days';
import { validateOrganisationCode, validateResidentId, validateUscc } from '../identifiers';
import { classifySeverity, earliest, evaluateCourtListing, type Severity } from '../lifecycle';
import { checkNotFuture, checkOrder, field as f } from './common';
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

/** The list type under which court-published 失信被执行人 entries are stored and screened. */
export const COURT_DISHONEST_LIST_TYPE = 'COURT-SXBZXR';
export const performanceStates = ['全部未履行', '部分未履行', '全部履行'] as const;

export const courtDishonestFields: readonly FieldSpec[] = [
  f('subjectName', undefined, '被执行人姓名/名称', 'subject_name', 'text', true, 'Person or organisation', {
    maxLength: 200,
  }),
  f(
    'subjectCode',
    undefined,
    '身份证号码/组织机构代码',
    'id_or_org_code',
    'code',
    true,
    'As published: masked resident ID (4407021975****4129), organisation code or USCC',
    { maxLength: 32 },
  ),
  f(
    'legalRepresentative',
    undefined,
    '法定代表人或负责人',
    'legal_representative',
    'text',
    false,
    'For organisations',
    {
      maxLength: 50,
    },
  ),
  f('court', undefined, '执行法院', 'court', 'text', true, 'Enforcing court; the 认定部门 of the entry', {
    maxLength: 100,
  }),
  f('province', undefined, '省份', 'province', 'text', true, 'Province of the court', { maxLength: 20 }),
  f(
    'executionBasisNumber',
    undefined,
    '执行依据文号',
    'execution_basis_number',
    'text',
    true,
    'Number of the judgment or award enforced',
    { maxLength: 128 },
  ),
  f('filedOn', undefined, '立案时间', 'filed_on', 'date', true, 'Date the enforcement case was filed'),
  f(
    'caseNumber',
    undefined,
    '案号',
    'case_number',
    'text',
    true,
    'Enforcement case number; with the court, the key',
    {
      maxLength: 128,
    },
  ),
  f(
    'executionBasisIssuer',
    undefined,
    '做出执行依据单位',
    'execution_basis_issuer',
    'text',
    true,
    'Body that made the judgment or award',
  ),
  f(
    'obligation',
    undefined,
    '生效法律文书确定的义务',
    'obligation',
    'text',
    true,
    'The obligation not performed',
  ),
  f('performance', undefined, '被执行人的履行情况', 'performance', 'enum', true, 'Performance so far', {
    values: performanceStates,
  }),
  f(
    'conduct',
    undefined,
    '失信被执行人行为具体情形',
    'conduct',
    'text',
    true,
    'Which of the six statutory conducts; the reason of the entry',
  ),
  f(
    'publishedOn',
    undefined,
    '发布时间',
    'published_on',
    'date',
    true,
    'Publication date; the listing starts then',
  ),
  f(
    'validUntil',
    undefined,
    '有效期至',
    'valid_until',
    'date',
    false,
    'End of listing when the court set one (extension); default 2 years after 发布时间; 2099/12/31 means no end',
  ),
  f('removedOn', undefined, '移出日期', 'removed_on', 'date', false, 'Date the court removed the entry'),
];

/**
 * Stored like a list entry (same fields as ListEntryRecord, item type `list-entry`, list type
 * COURT-SXBZXR), so screening and the check treat it as one, plus the court's own fields.
 */
export interface CourtDishonestRecord {
  readonly dataset: 'court-dishonest';
  readonly subject: SubjectIdentity;
  readonly legalRepresentative?: { readonly name: string; readonly idNumber?: string };
  readonly listTypeCode: typeof COURT_DISHONEST_LIST_TYPE;
  /** 执行依据文号 and who made it. */
  readonly basis: string;
  /** 执行法院. */
  readonly decidingDepartment: string;
  /** 发布时间. */
  readonly listedOn: string;
  /** Last day in effect, inclusive; null: until performance or removal (art. 1 item 1). */
  readonly validUntil: string | null;
  /** The period rule of the recognised grounds (config/court-dishonest-grounds.json). */
  readonly periodRule?: 'until-performance' | 'fixed';
  /** Items of 法释〔2017〕7号 art. 1 the conduct names. */
  readonly grounds?: readonly number[];
  /** Latest 有效期至 the grounds allow (period + longest extension). */
  readonly listingCap?: string;
  /** 全部履行 without 移出日期: the day the entry must be removed by (null while that year has no calendar). */
  readonly removalDueBy?: string | null;
  /** The day the removal clock started (the platform first received 全部履行) and its working days. */
  readonly removalFrom?: string;
  readonly removalWorkingDays?: number;
  /** The last day in effect the ground or the court's 有效期至 gives, before the removal deadline. */
  readonly endBeforeRemoval?: string | null;
  readonly removedOn?: string;
  /** 失信被执行人行为具体情形. */
  readonly reason: string;
  /** The court list is a 严重失信主体名单: 严重 by the severe-list rule of config/severity.json. */
  readonly severity?: Severity | null;
  readonly severityBasis?: 'declared' | 'default-rule' | 'none';
  readonly severityRule?: string;
  readonly agencyCode: string;
  readonly court: string;
  readonly province: string;
  readonly caseNumber: string;
  readonly filedOn: string;
  readonly executionBasisNumber: string;
  readonly executionBasisIssuer: string;
  readonly obligation: string;
  readonly performance: (typeof performanceStates)[number];
}

const label = (key: string) => labelFor(courtDishonestFields, key);

/** Working days on the package calendar (no resolver given); null where that year's calendar is not known yet. */
function workingDaysOrNull(from: string, days: number): string | null {
  try {
    return addWorkingDays(from, days);
  } catch (error) {
    if (error instanceof CalendarYearUnavailableError) return null;
    throw error;
  }
}
/** 10 or more digits, 2–8 asterisks, the rest digits/X: 18 characters (or 15 for old IDs). */
const MASKED_ID = /^(?=[0-9X*]{15}$|[0-9X*]{18}$)\d{6,}\*{2,8}\d*[\dX]$/;

type Identified = { ok: true; subject: SubjectIdentity } | { ok: false; issue: RowIssue };

function rejected(raw: string, code: string, reason: string): Identified {
  return { ok: false, issue: { field: label('subjectCode'), value: raw, code, reason } };
}

/** A masked ID cannot be verified: keyed by the masked ID and the name, flagged. */
function maskedIdSubject(name: string, raw: string, code: string): Identified {
  if (!MASKED_ID.test(code)) {
    return rejected(
      raw,
      'MASKED_ID_FORMAT',
      'a masked ID must keep at least the first 6 and the last digit, e.g. 4407021975****4129',
    );
  }
  return {
    ok: true,
    subject: {
      key: `MASKED#${code}#${name}`,
      kind: 'person',
      name,
      idType: '身份证（脱敏）',
      idNumber: code,
      flags: ['ID_MASKED_UNVERIFIED'],
    },
  };
}

function organisationCodeSubject(name: string, raw: string, code: string): Identified {
  const org = validateOrganisationCode(code);
  if (!org.ok) return rejected(raw, `ORG_${org.code}`, org.message);
  return {
    ok: true,
    subject: { key: `ORG#${org.value}`, kind: 'organisation', name, organisationCode: org.value, flags: [] },
  };
}

function residentIdSubject(name: string, raw: string, code: string, context: RowContext): Identified {
  const id = validateResidentId(code, { today: context.today });
  if (!id.ok) return rejected(raw, `ID_${id.code}`, id.message);
  return {
    ok: true,
    subject: {
      key: `ID#${id.value}`,
      kind: 'person',
      name,
      idType: '身份证',
      idNumber: id.value,
      flags: [...(id.converted15 ? ['ID_CONVERTED_FROM_15_DIGITS'] : []), ...warningFlags('ID', id.warnings)],
    },
  };
}

/** 18 characters: a resident ID when all digits (or a final X) and valid as one, else a USCC. */
function eighteenCharacterSubject(name: string, raw: string, code: string, context: RowContext): Identified {
  const asResidentId = /^\d{17}[\dX]$/.test(code) ? residentIdSubject(name, raw, code, context) : undefined;
  if (asResidentId?.ok) return asResidentId;
  const uscc = validateUscc(code, context.allowList ? { allowList: context.allowList } : {});
  // All digits: more likely a mistyped resident ID than a USCC, so the ID's reason is given.
  if (!uscc.ok) return asResidentId ?? rejected(raw, `USCC_${uscc.code}`, uscc.message);
  return {
    ok: true,
    subject: {
      key: `USCC#${uscc.value}`,
      kind: 'organisation',
      name,
      uscc: uscc.value,
      organisationCode: uscc.organisationCode,
      flags: [...(uscc.allowListed ? ['USCC_ALLOW_LISTED'] : []), ...warningFlags('USCC', uscc.warnings)],
    },
  };
}

/** Courts publish a masked ID for persons and the organisation code or USCC for organisations. */
export function identifyCourtSubject(name: string, raw: string, context: RowContext): Identified {
  const code = raw.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase();
  if (code.includes('*')) return maskedIdSubject(name, raw, code);
  if (code.length === 9) return organisationCodeSubject(name, raw, code);
  if (code.length === 15) return residentIdSubject(name, raw, code, context);
  if (code.length === 18) return eighteenCharacterSubject(name, raw, code, context);
  return rejected(
    raw,
    'SUBJECT_CODE_FORMAT',
    `${code.length} characters: expected a masked resident ID (18), an organisation code (9) or a USCC (18)`,
  );
}

function buildCourtDishonest(cells: ParsedCells, context: RowContext): RowOutcome<CourtDishonestRecord> {
  const issues: RowIssue[] = [];
  const name = cell.required(cells, 'subjectName');
  const identified = identifyCourtSubject(name, cell.required(cells, 'subjectCode'), context);
  if (!identified.ok) issues.push(identified.issue);

  const publishedOn = cell.required(cells, 'publishedOn');
  const filedOn = cell.required(cells, 'filedOn');
  const validUntilRaw = cell.text(cells, 'validUntil');
  const removedOn = cell.text(cells, 'removedOn');
  for (const issue of [
    checkNotFuture(label('publishedOn'), '发布时间', publishedOn, context),
    checkOrder(label('publishedOn'), '发布时间', publishedOn, '立案时间', filedOn),
    checkOrder(label('validUntil'), '有效期至', validUntilRaw, '发布时间', publishedOn),
    checkOrder(label('removedOn'), '移出日期', removedOn, '发布时间', publishedOn),
  ]) {
    if (issue) issues.push(issue);
  }
  if (issues.length > 0 || !identified.ok) return { ok: false, issues };

  const conduct = cell.required(cells, 'conduct');
  const performance = cell.required(cells, 'performance') as CourtDishonestRecord['performance'];
  const listing = evaluateCourtListing(
    {
      conduct,
      publishedOn,
      validUntil: validUntilRaw,
      removedOn: removedOn ?? null,
      performance,
      receivedOn: context.today,
    },
    context.addWorkingDays ?? workingDaysOrNull,
  );
  if (!listing.ok) {
    return {
      ok: false,
      issues: [
        {
          field: label('validUntil'),
          value: validUntilRaw ?? '',
          code: listing.code,
          reason: listing.message,
        },
      ],
    };
  }
  const legalRepName = cell.text(cells, 'legalRepresentative');
  const court = cell.required(cells, 'court');
  const executionBasisNumber = cell.required(cells, 'executionBasisNumber');
  const executionBasisIssuer = cell.required(cells, 'executionBasisIssuer');
  return {
    ok: true,
    flags: [...identified.subject.flags, ...listing.warnings.map((warning) => warning.code)],
    value: {
      dataset: 'court-dishonest',
      subject: identified.subject,
      ...(legalRepName ? { legalRepresentative: { name: legalRepName } } : {}),
      listTypeCode: COURT_DISHONEST_LIST_TYPE,
      basis: `${executionBasisNumber}（${executionBasisIssuer}）`,
      decidingDepartment: court,
      listedOn: publishedOn,
      // Last day in effect: the ground's period (or until performance), the court's 有效期至 within
      // its cap, the day before 移出日期, or the removal deadline after 全部履行 — whichever is first.
      validUntil: listing.effectiveUntil,
      periodRule: listing.rule,
      grounds: listing.grounds,
      ...(listing.cap ? { listingCap: listing.cap } : {}),
      ...(listing.removal
        ? {
            removalDueBy: listing.removal.dueBy,
            removalFrom: listing.removal.from,
            removalWorkingDays: listing.removal.workingDays,
            endBeforeRemoval: listing.endBeforeRemoval,
          }
        : {}),
      ...(removedOn !== undefined ? { removedOn } : {}),
      reason: conduct,
      ...courtSeverity(),
      agencyCode: context.agency.code,
      court,
      province: cell.required(cells, 'province'),
      caseNumber: cell.required(cells, 'caseNumber'),
      filedOn,
      executionBasisNumber,
      executionBasisIssuer,
      obligation: cell.required(cells, 'obligation'),
      performance,
    },
  };
}

/** The court's format has no severity column: the default rules decide (失信被执行人 is a severe list). */
function courtSeverity(): Pick<CourtDishonestRecord, 'severity' | 'severityBasis' | 'severityRule'> {
  const decision = classifySeverity({ dataset: 'court-dishonest', severeList: true });
  if (!decision.ok) return {};
  return {
    severity: decision.severity,
    severityBasis: decision.basis,
    ...(decision.rule ? { severityRule: decision.rule.id } : {}),
  };
}

export const courtDishonestSchema: DatasetSchema<CourtDishonestRecord> = {
  id: 'court-dishonest',
  title: 'Dishonest judgment debtors (court lists)',
  titleZh: '失信被执行人',
  fields: courtDishonestFields,
  rules: [
    '身份证号码/组织机构代码 as courts publish it: a masked resident ID (e.g. 4407021975****4129) is accepted, flagged ID_MASKED_UNVERIFIED and keyed by masked ID + name; a full resident ID is validated; organisations by organisation code (9, check character validated) or USCC (18).',
    '发布时间 may not be after today nor before 立案时间.',
    'The entry is stored as a list entry of list type COURT-SXBZXR, in effect from 发布时间 by the period rule of its ground (法释〔2017〕7号, config/court-dishonest-grounds.json): art. 1 item 1 (有履行能力而拒不履行) until performance or removal; items 2–6 for 2 years, which the court may extend by 1–3 years (有效期至 beyond that cap is rejected, VALID_UNTIL_BEYOND_CAP); periods end per 民法典 art. 202 (2024-02-29 + 2 years = 2026-02-28). 全部履行 without 移出日期 is flagged PERFORMED_NOT_REMOVED and the entry ends after the removal deadline in working days; 移出日期 ends it the day before.',
    'Severity: 严重 by the severe-list rule of config/severity.json (the court list is a 严重失信主体名单; the format has no severity column).',
    'Business key: 执行法院 + 案号 + subject; re-submitting updates the entry and keeps history.',
  ],
  buildRow: buildCourtDishonest,
  businessKey: (record) => `${record.court}|${record.caseNumber}|${record.subject.key}`,
};

/**
 * The entry with its removal clock started on `from`, an earlier arrival of the same 全部履行
 * state, instead of this file's day: the deadline and the last day in effect follow from it.
 */
export function withRemovalFrom(
  record: CourtDishonestRecord,
  from: string,
  addWorkingDaysOrNull: (from: string, days: number) => string | null = workingDaysOrNull,
): CourtDishonestRecord {
  if (!record.removalFrom || !record.removalWorkingDays || from >= record.removalFrom) return record;
  const removalDueBy = addWorkingDaysOrNull(from, record.removalWorkingDays);
  const validUntil = earliest([record.endBeforeRemoval ?? null, removalDueBy]);
  return { ...record, removalFrom: from, removalDueBy, validUntil };
}
