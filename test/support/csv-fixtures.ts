import { Readable } from 'node:stream';
import { type ListTypeRules, listTypeRulesOf } from '#lib/datasets/list-authority';

/** Valid codes computed with the national algorithms (see test/unit/identifiers). */
export const codes = {
  agencyUscc: '11440700007012346L',
  companyUscc: '91440703MA4W12346G',
  otherCompanyUscc: '91440704MA51K2Q82R',
  personId: '440702197506204129',
  legalRepId: '44070319800115231X',
} as const;

export const penaltyHeader = [
  'CF_XDR_MC',
  'CF_XDR_LB',
  'CF_XDR_SHXYM',
  'CF_XDR_GSZC',
  'CF_XDR_ZJLX',
  'CF_XDR_ZJHM',
  'CF_WSH',
  'CF_WFXW',
  'CF_SY',
  'CF_YJ',
  'CF_CFLB',
  'CF_NR',
  'CF_NR_FK',
  'CF_NR_WFFF',
  'CF_NR_ZKDX',
  'CF_JDRQ',
  'CF_YXQ',
  'CF_GSJZQ',
  'CF_CFJG',
  'CF_CFJGDM',
  'CF_SJLY',
  'CF_SJLYDM',
];

export type PenaltyRow = Partial<Record<(typeof penaltyHeader)[number], string>>;

export function penaltyRow(overrides: PenaltyRow = {}): string[] {
  const base: Record<string, string> = {
    CF_XDR_MC: '江门市鸿运建材有限公司',
    CF_XDR_LB: '法人及非法人组织',
    CF_XDR_SHXYM: codes.companyUscc,
    CF_XDR_GSZC: '',
    CF_XDR_ZJLX: '',
    CF_XDR_ZJHM: '',
    CF_WSH: '江市监罚〔2026〕118号',
    CF_WFXW: '销售不合格产品',
    CF_SY: '销售抽检不合格的建筑用钢筋',
    CF_YJ: '《中华人民共和国产品质量法》第四十九条',
    CF_CFLB: '罚款',
    CF_NR: '罚款人民币8万元',
    CF_NR_FK: '8',
    CF_NR_WFFF: '',
    CF_NR_ZKDX: '',
    CF_JDRQ: '2026/11/12',
    CF_YXQ: '2099/12/31',
    CF_GSJZQ: '',
    CF_CFJG: '江门市市场监督管理局',
    CF_CFJGDM: codes.agencyUscc,
    CF_SJLY: '江门市市场监督管理局',
    CF_SJLYDM: codes.agencyUscc,
  };
  const row = { ...base, ...overrides } as Record<string, string>;
  return penaltyHeader.map((column) => row[column] ?? '');
}

function quote(cell: string): string {
  return /[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

export function csv(rows: readonly (readonly string[])[]): string {
  return `${rows.map((row) => row.map(quote).join(',')).join('\r\n')}\r\n`;
}

export function penaltyCsv(rows: readonly PenaltyRow[]): string {
  return csv([penaltyHeader, ...rows.map((row) => penaltyRow(row))]);
}

export const listEntryHeader = [
  '主体名称',
  '主体类别',
  '统一社会信用代码',
  '证件类型',
  '证件号码',
  '法定代表人',
  '法定代表人证件号码',
  '名单类型代码',
  '认定依据',
  '认定部门',
  '列入日期',
  '有效期至',
  '移出日期',
  '列入原因',
];

export function listEntryRow(overrides: Partial<Record<string, string>> = {}): string[] {
  const base: Record<string, string> = {
    主体名称: '江门市鸿运建材有限公司',
    主体类别: '法人及非法人组织',
    统一社会信用代码: codes.companyUscc,
    证件类型: '',
    证件号码: '',
    法定代表人: '李建国',
    法定代表人证件号码: codes.legalRepId,
    名单类型代码: 'HMD-SW-ZDSSWF',
    认定依据: '《重大税收违法失信主体信息公布管理办法》第六条',
    认定部门: '国家税务总局江门市税务局',
    列入日期: '2026/03/18',
    有效期至: '2029/03/17',
    移出日期: '',
    列入原因: '虚开增值税专用发票',
  };
  const row = { ...base, ...overrides } as Record<string, string>;
  return listEntryHeader.map((column) => row[column] ?? '');
}

/**
 * A court's 失信被执行人 entry for the natural person `codes.personId` (王小明), written as the court
 * writes it: 认定部门 the court, 认定依据 the case number, on ground item 1 (refusing to perform).
 */
export function courtPersonListingRow(overrides: Partial<Record<string, string>> = {}): string[] {
  return listEntryRow({
    主体名称: '王小明',
    主体类别: '自然人',
    统一社会信用代码: '',
    证件号码: codes.personId,
    法定代表人: '',
    法定代表人证件号码: '',
    名单类型代码: 'HMD-FY-SXBZXR',
    认定依据: '（2026）粤07执1234号',
    认定部门: '江门市中级人民法院',
    列入日期: '2026/06/02',
    有效期至: '2028/06/01',
    列入原因: '有履行能力而拒不履行生效法律文书确定义务',
    ...overrides,
  });
}

export function streamOf(text: string | Buffer, chunkSize = 7): Readable {
  const buffer = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const chunks: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += chunkSize) chunks.push(buffer.subarray(i, i + chunkSize));
  return Readable.from(chunks);
}

// --- Issue 3 collection datasets (行政许可, 失信被执行人, code mapping) and other formats ---

/** A valid 15-digit 工商注册号 (MOD 11,10 check digit). */
export const registrationNumber = '440703000001230';

export const licenceHeader = [
  'XK_XDR_MC',
  'XK_XDR_LB',
  'XK_XDR_SHXYM',
  'XK_XDR_GSZC',
  'XK_XDR_ZJLX',
  'XK_XDR_ZJHM',
  'XK_FRDB',
  'XK_FR_ZJHM',
  'XK_XKWS',
  'XK_WSH',
  'XK_XKLB',
  'XK_XKZS',
  'XK_XKBH',
  'XK_NR',
  'XK_JDRQ',
  'XK_YXQZ',
  'XK_YXQZI',
  'XK_XKJG',
  'XK_XKJGDM',
  'XK_ZT',
  'XK_LYDW',
  'XK_LYDWDM',
];

export function licenceRow(overrides: Partial<Record<string, string>> = {}): string[] {
  const base: Record<string, string> = {
    XK_XDR_MC: '江门市鸿运建材有限公司',
    XK_XDR_LB: '法人及非法人组织',
    XK_XDR_SHXYM: codes.companyUscc,
    XK_XDR_GSZC: '',
    XK_XDR_ZJLX: '',
    XK_XDR_ZJHM: '',
    XK_FRDB: '李建国',
    XK_FR_ZJHM: codes.legalRepId,
    XK_XKWS: '食品经营许可决定书',
    XK_WSH: '江市监许〔2026〕301号',
    XK_XKLB: '普通',
    XK_XKZS: '食品经营许可证',
    XK_XKBH: 'JY14407030012345',
    XK_NR: '预包装食品销售',
    XK_JDRQ: '2026/11/12',
    XK_YXQZ: '2026/11/12',
    XK_YXQZI: '2031/11/11',
    XK_XKJG: '江门市市场监督管理局',
    XK_XKJGDM: codes.agencyUscc,
    XK_ZT: '1',
    XK_LYDW: '江门市市场监督管理局',
    XK_LYDWDM: codes.agencyUscc,
  };
  const row = { ...base, ...overrides } as Record<string, string>;
  return licenceHeader.map((column) => row[column] ?? '');
}

/** List types (reference data) as the credit office keeps them, with the agencies entitled to each. */
export const listTypeHeader = [
  '名单类型代码',
  '名单名称',
  '名单性质',
  '认定部门',
  '认定机构代码',
  '备忘录文号',
  '默认有效期（月）',
];
export const listTypeRows: readonly (readonly string[])[] = [
  ['HMD-SW-ZDSSWF', '重大税收违法失信主体', '黑名单', '税务部门', 'SWJ', '发改财金〔2016〕1580号', '36'],
  ['HMD-FY-SXBZXR', '失信被执行人', '黑名单', '人民法院', 'ZYFY', '发改财金〔2016〕141号', '24'],
  ['HONG-SW-A', '纳税信用A级纳税人', '红名单', '税务部门', 'SWJ', '发改财金〔2016〕1467号', '12'],
];
/** listTypeRows with other agencies entitled on some list types: { 'HMD-SW-ZDSSWF': 'SWJ;FMT2' }. */
export function listTypeRowsEntitling(entitled: Readonly<Record<string, string>>): string[][] {
  return listTypeRows.map((row) => {
    const agencies = entitled[row[0]!];
    return agencies === undefined ? [...row] : [...row.slice(0, 4), agencies, ...row.slice(5)];
  });
}

/** The same list types as ingestion reads them (list authority). */
export const testListTypeRules: ListTypeRules = listTypeRulesOf(
  listTypeRows.map(([code, , nature, , agencies]) => ({
    code: code!,
    nature: nature as '红名单' | '黑名单',
    decidingAgencyCodes: agencies!.split(';'),
  })),
);

export const courtHeader = [
  '被执行人姓名/名称',
  '身份证号码/组织机构代码',
  '法定代表人或负责人',
  '执行法院',
  '省份',
  '执行依据文号',
  '立案时间',
  '案号',
  '做出执行依据单位',
  '生效法律文书确定的义务',
  '被执行人的履行情况',
  '失信被执行人行为具体情形',
  '发布时间',
];

export function courtRow(overrides: Partial<Record<string, string>> = {}): string[] {
  const base: Record<string, string> = {
    '被执行人姓名/名称': '王小明',
    '身份证号码/组织机构代码': '4407021975****4129',
    法定代表人或负责人: '',
    执行法院: '江门市蓬江区人民法院',
    省份: '广东',
    执行依据文号: '（2025）粤0703民初1234号',
    立案时间: '2026/01/05',
    案号: '（2026）粤0703执567号',
    做出执行依据单位: '江门市蓬江区人民法院',
    生效法律文书确定的义务: '偿还借款本金20万元及利息',
    被执行人的履行情况: '全部未履行',
    失信被执行人行为具体情形: '有履行能力而拒不履行生效法律文书确定义务',
    发布时间: '2026/03/02',
  };
  const row = { ...base, ...overrides } as Record<string, string>;
  return courtHeader.map((column) => row[column] ?? '');
}

export const codeMappingHeader = ['统一社会信用代码', '组织机构代码', '工商注册号', '税务登记号', '主体名称'];

export function codeMappingRow(overrides: Partial<Record<string, string>> = {}): string[] {
  const base: Record<string, string> = {
    统一社会信用代码: codes.otherCompanyUscc,
    组织机构代码: 'MA51K2Q8-2',
    工商注册号: registrationNumber,
    税务登记号: '440704MA51K2Q82',
    主体名称: '江门市恒信贸易有限公司',
  };
  const row = { ...base, ...overrides } as Record<string, string>;
  return codeMappingHeader.map((column) => row[column] ?? '');
}

/** The same rows as JSON Lines: one object per row, keyed by the header names. */
export function jsonLines(rows: readonly (readonly string[])[]): string {
  const [header, ...data] = rows;
  return `${data
    .map((row) => JSON.stringify(Object.fromEntries((header ?? []).map((name, i) => [name, row[i] ?? '']))))
    .join('\n')}\n`;
}

/** The same rows as an XLSX workbook (exceljs), in a sheet of the given name, after optional other sheets. */
export async function xlsxBuffer(
  rows: readonly (readonly string[])[],
  options: { sheet?: string; before?: string[] } = {},
): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  for (const name of options.before ?? []) workbook.addWorksheet(name).addRow(['不是数据']);
  const sheet = workbook.addWorksheet(options.sheet ?? 'Sheet1');
  for (const row of rows) sheet.addRow([...row]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
