import { expect } from 'vitest';
import {
  codes,
  csv,
  licenceHeader,
  licenceRow,
  listEntryHeader,
  listEntryRow,
  type PenaltyRow,
  penaltyHeader,
  penaltyRow,
  registrationNumber,
} from '#test/support/csv-fixtures';
import { ingestFile, registerAgency } from '../support/credit-fixtures';
import type { LocalStackHandle } from '../support/local-stack';

/** What the public must never see, wherever it might hide. */
export const secrets = {
  legalRepId: codes.legalRepId,
  personId: codes.personId,
  personName: '王丽华',
  phone: '13902281234',
  bankAccount: '6228 4801 2345 6789 012',
} as const;

export const shopName = '江门市蓬江区阿强五金店';
export const companyName = '江门市鸿运建材有限公司';

/** Real-shaped 违法事实 with a legal representative's ID, a phone number and a bank account in it. */
const facts = `当事人${companyName}（法定代表人李建国，身份证号码${secrets.legalRepId}，联系电话${secrets.phone}）销售抽检不合格的建筑用钢筋，货款汇入账户${secrets.bankAccount}`;

const penaltyColumns = [...penaltyHeader, 'CF_FRDB', 'CF_FR_ZJLX', 'CF_FR_ZJHM', '操作类型'];

function penaltyLine(overrides: PenaltyRow & Record<string, string> = {}): string[] {
  const extra: Record<string, string> = {
    CF_FRDB: '李建国',
    CF_FR_ZJLX: '身份证',
    CF_FR_ZJHM: secrets.legalRepId,
    操作类型: '',
  };
  const merged = { ...extra, ...overrides };
  return [
    ...penaltyRow(overrides),
    merged.CF_FRDB ?? '',
    merged.CF_FR_ZJLX ?? '',
    merged.CF_FR_ZJHM ?? '',
    merged.操作类型 ?? '',
  ];
}

export function penaltiesFile(rows: readonly (PenaltyRow & Record<string, string>)[]): string {
  return csv([penaltyColumns, ...rows.map(penaltyLine)]);
}

export const penaltyRows = {
  shown: { CF_WSH: '江市监罚〔2026〕118号', CF_SY: facts },
  expired: { CF_WSH: '江市监罚〔2026〕90号', CF_JDRQ: '2026/01/05', CF_GSJZQ: '2026/04/05' },
  withdrawnLater: { CF_WSH: '江市监罚〔2026〕120号' },
  person: {
    CF_WSH: '江市监罚〔2026〕121号',
    CF_XDR_MC: secrets.personName,
    CF_XDR_LB: '自然人',
    CF_XDR_SHXYM: '',
    CF_XDR_ZJLX: '身份证',
    CF_XDR_ZJHM: secrets.personId,
    CF_FRDB: '',
    CF_FR_ZJLX: '',
    CF_FR_ZJHM: '',
  },
  shop: {
    CF_WSH: '江市监罚〔2026〕122号',
    CF_XDR_MC: shopName,
    CF_XDR_LB: '个体工商户',
    CF_XDR_SHXYM: '00000000000000000X',
    CF_XDR_GSZC: registrationNumber,
    CF_FRDB: '',
    CF_FR_ZJLX: '',
    CF_FR_ZJHM: '',
  },
} as const;

/**
 * Agencies, the list-type catalogue, and a company's penalties, licences and list entry next to a
 * natural person's penalty and list entry and a 个体工商户's penalty — through the normal collection path.
 */
export async function ingestPublicData(stack: LocalStackHandle): Promise<void> {
  await registerAgency(stack, 'SCJG');
  await registerAgency(stack, 'SWJ', '11440700MB2C123480');
  await registerAgency(stack, 'XYB', '11440700MB2E345657', ['credit-office']);
  const reports = [
    await ingestFile(
      stack,
      'XYB',
      'list-type',
      'list-types.csv',
      csv([
        [
          '名单类型代码',
          '名单名称',
          '名单性质',
          '认定部门',
          '认定机构代码',
          '备忘录文号',
          '默认有效期（月）',
        ],
        [
          'HMD-SW-ZDSSWF',
          '重大税收违法失信主体',
          '黑名单',
          '税务部门',
          'SWJ',
          '发改财金〔2016〕1580号',
          '36',
        ],
      ]),
    ),
    await ingestFile(
      stack,
      'SCJG',
      'admin-penalty',
      'penalties.csv',
      penaltiesFile(Object.values(penaltyRows)),
    ),
    await ingestFile(
      stack,
      'SCJG',
      'admin-license',
      'licences.csv',
      csv([licenceHeader, licenceRow(), licenceRow({ XK_WSH: '江市监许〔2026〕302号', XK_ZT: '2' })]),
    ),
    await ingestFile(
      stack,
      'SWJ',
      'list-entry',
      'lists.csv',
      csv([
        listEntryHeader,
        listEntryRow(),
        listEntryRow({
          主体名称: secrets.personName,
          主体类别: '自然人',
          统一社会信用代码: '',
          证件类型: '身份证',
          证件号码: secrets.personId,
          法定代表人: '',
          法定代表人证件号码: '',
        }),
      ]),
    ),
  ];
  for (const report of reports)
    expect(report).toMatchObject({ status: 'completed', counts: { rejected: 0 } });
}
