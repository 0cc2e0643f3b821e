import { describe, expect, it } from 'vitest';
import { csv } from '#test/support/csv-fixtures';
import { ingestText } from '../datasets/support';

describe('Dataset: list-type', () => {
  it('reads the Chinese template, upper-cases the code and parses the default period', async () => {
    const { outcome, record } = await ingestText(
      'list-type',
      csv([
        ['名单类型代码', '名单名称', '名单性质', '认定部门', '备忘录文号', '默认有效期（月）'],
        ['hmd-sw-zdsswf', '重大税收违法失信主体', '黑名单', '税务部门', '发改财金〔2016〕1580号', '36'],
      ]),
    );
    expect(outcome.counts).toMatchObject({ accepted: 1, rejected: 0 });
    expect(record).toMatchObject({
      dataset: 'list-type',
      code: 'HMD-SW-ZDSSWF',
      nature: '黑名单',
      memorandumNumber: '发改财金〔2016〕1580号',
      defaultPeriodMonths: 36,
    });
  });

  it('rejects an unknown nature and a period that is not a whole number of months, naming the column', async () => {
    const { outcome } = await ingestText(
      'list-type',
      csv([
        ['名单类型代码', '名单名称', '名单性质', '认定部门', '默认有效期（月）'],
        ['A', '甲', '灰名单', '部门', '12'],
        ['B', '乙', '红名单', '部门', '1.5'],
      ]),
    );
    expect(outcome.rejectedRows).toMatchObject([
      { row: 2, issues: [{ field: '名单性质', code: 'ENUM' }] },
      { row: 3, issues: [{ field: '默认有效期（月）', code: 'NOT_A_POSITIVE_INTEGER' }] },
    ]);
  });
});

describe('Dataset: memorandum', () => {
  it('splits signing departments and list types on ; (half or full width)', async () => {
    const { record } = await ingestText(
      'memorandum',
      csv([
        ['备忘录名称', '文号', '发文日期', '性质', '签署部门', '适用名单类型代码'],
        [
          '备忘录',
          '发改财金〔2016〕141号',
          '2016/01/20',
          '惩戒',
          '发展改革委；最高人民法院',
          'hmd-fy-sxbzxr; HMD-X',
        ],
      ]),
    );
    expect(record).toMatchObject({
      number: '发改财金〔2016〕141号',
      issuedOn: '2016-01-20',
      signingDepartments: ['发展改革委', '最高人民法院'],
      listTypeCodes: ['HMD-FY-SXBZXR', 'HMD-X'],
    });
  });
});

describe('Dataset: measure', () => {
  it('reads nature, binding and several targets, and rejects an unknown target', async () => {
    const header = [
      '措施编号',
      '备忘录文号',
      '措施类别',
      '措施性质',
      '约束性',
      '措施内容',
      '对象',
      '实施部门',
      '关联科室',
      '相关依据',
    ];
    const { outcome, record } = await ingestText(
      'measure',
      csv([
        header,
        [
          'm01',
          '文号',
          '任职限制',
          '惩戒',
          '必须',
          '限制任职',
          '法定代表人;主要负责人',
          '市场监管局',
          '登记科',
          '第二条',
        ],
        ['m02', '文号', '任职限制', '惩戒', '可选', '限制任职', '董事', '市场监管局', '', ''],
      ]),
    );
    expect(record).toMatchObject({
      code: 'M01',
      nature: '惩戒',
      binding: '必须',
      targets: ['法定代表人', '主要负责人'],
      section: '登记科',
      basis: '第二条',
    });
    expect(outcome.rejectedRows[0]!.issues.map((issue) => issue.field)).toEqual(['约束性', '对象']);
  });
});

describe('Dataset: matter', () => {
  it('reads the measures of a matter, and accepts a matter with none (the consistency report lists it)', async () => {
    const { stored } = await ingestText(
      'matter',
      csv([
        ['事项编码', '事项名称', '实施部门', '权责事项编码', '适用措施编号'],
        ['scjg-xk-001', '食品经营许可', '市场监管局', '440700-XK-001', 'm01;M02;m01'],
        ['SCJG-XK-002', '企业登记', '市场监管局', '', ''],
      ]),
    );
    expect(stored.map((row) => row.record)).toMatchObject([
      { code: 'SCJG-XK-001', powerItemCode: '440700-XK-001', measureCodes: ['M01', 'M02'] },
      { code: 'SCJG-XK-002', measureCodes: [] },
    ]);
  });
});
