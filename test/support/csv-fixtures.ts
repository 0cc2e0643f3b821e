import { Readable } from 'node:stream';

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

export function streamOf(text: string | Buffer, chunkSize = 7): Readable {
  const buffer = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const chunks: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += chunkSize) chunks.push(buffer.subarray(i, i + chunkSize));
  return Readable.from(chunks);
}
