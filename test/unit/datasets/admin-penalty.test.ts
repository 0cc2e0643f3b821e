import { describe, expect, it } from 'vitest';
import { penaltyActions, penaltyCategories } from '#lib/datasets/admin-penalty';
import { csv, penaltyHeader, penaltyRow } from '#test/support/csv-fixtures';
import { ingestText } from './support';

const withAction = (action: string, overrides: Record<string, string> = {}) =>
  ingestText(
    'admin-penalty',
    csv([
      [...penaltyHeader, '操作类型'],
      [...penaltyRow(overrides), action],
    ]),
  );

describe('Dataset: admin-penalty (行政处罚)', () => {
  it.each([
    ['新增', 'add', 'active'],
    ['更新', 'update', 'active'],
    ['撤销', 'withdraw', 'withdrawn'],
    ['withdraw', 'withdraw', 'withdrawn'],
  ])('reads 操作类型 %s as %s (%s)', async (value, action, lifecycle) => {
    const { record, stored } = await withAction(value);
    expect(record?.action).toBe(action);
    expect(stored[0]!.lifecycle).toBe(lifecycle);
    expect(penaltyActions).toContain(value);
  });

  it('treats a file without 操作类型 as additions', async () => {
    const { record, stored } = await ingestText('admin-penalty', csv([penaltyHeader, penaltyRow()]));
    expect(record?.action).toBeUndefined();
    expect(stored[0]!.lifecycle).toBe('active');
  });

  it('rejects an unknown 操作类型', async () => {
    const { outcome } = await withAction('删除');
    expect(outcome.rejectedRows[0]!.issues).toMatchObject([{ field: '操作类型', code: 'ENUM' }]);
  });

  it('requires CF_NR_WFFF with a 没收 category and accepts decimal 万元', async () => {
    const missing = await withAction('', { CF_CFLB: '没收违法所得、没收非法财物', CF_NR_FK: '' });
    expect(missing.outcome.rejectedRows[0]!.issues).toMatchObject([
      { field: 'CF_NR_WFFF', code: 'REQUIRED' },
    ]);
    const given = await withAction('', { CF_CFLB: '罚款;没收违法所得', CF_NR_FK: '0.35', CF_NR_WFFF: '1.2' });
    expect(given.record).toMatchObject({ fineAmount: 0.35, confiscatedAmount: 1.2 });
  });

  it('rejects a negative or non-numeric amount', async () => {
    const { outcome } = await withAction('', { CF_NR_FK: '-1' });
    expect(outcome.rejectedRows[0]!.issues).toMatchObject([{ field: 'CF_NR_FK', code: 'AMOUNT_FORMAT' }]);
  });

  it.each(penaltyCategories.filter((c) => !/罚款|没收|暂扣|吊销/.test(c)))(
    'accepts 处罚类别 %s without amounts',
    async (category) => {
      const { record } = await withAction('', { CF_CFLB: category, CF_NR_FK: '' });
      expect(record?.categories).toEqual([category]);
    },
  );

  it('requires CF_NR_ZKDX with 吊销', async () => {
    const { outcome } = await withAction('', { CF_CFLB: '吊销许可证件', CF_NR_FK: '' });
    expect(outcome.rejectedRows[0]!.issues).toMatchObject([{ field: 'CF_NR_ZKDX', code: 'REQUIRED' }]);
  });
});
