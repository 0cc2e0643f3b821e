import { describe, expect, it } from 'vitest';
import {
  computeDisplayPeriod,
  DISPLAY_PERIOD_TABLE,
  isDisplayedOn,
  NoDisplayRuleError,
  parseDisplayPeriodTable,
  ruleSetFor,
} from '#lib/lifecycle/display-period';
import { dayAfter } from '#lib/lifecycle/period';

const penalty = (decisionDate: string, severity: '轻微' | '一般' | '严重' | null, sourceEnd?: string) => ({
  dataset: 'admin-penalty',
  severity,
  decisionDate,
  ...(sourceEnd === undefined ? {} : { sourceEnd }),
});

describe('Function: ruleSetFor', () => {
  it.each([
    ['2019-08-01', 'ndrc-527-2019'],
    ['2023-04-30', 'ndrc-527-2019'],
    ['2023-05-01', 'order-58'],
    ['2026-03-31', 'order-58'],
    ['2026-04-01', 'order-36'],
    ['2030-01-01', 'order-36'],
  ])('a record decided %s falls under %s', (date, id) => {
    // Prepare
    const startDate = date;

    // Act
    const set = ruleSetFor(startDate);

    // Assess
    expect(set.id).toBe(id);
  });
});

describe('Function: computeDisplayPeriod', () => {
  it('stops a penalty decided 2023-06-01 with no 公示截止期 after the 3-year maximum: not shown on 2026-12-01', () => {
    // Prepare: with or without a severity, no tier lasts longer than 3 years
    const inputs = [penalty('2023-06-01', null), penalty('2023-06-01', '严重')];

    // Act
    const periods = inputs.map((input) => computeDisplayPeriod(input));

    // Assess
    for (const period of periods) {
      expect(period).toMatchObject({
        ruleSetId: 'order-58',
        displayFrom: '2023-06-01',
        displayUntil: '2026-06-01',
      });
      expect(isDisplayedOn(period, '2026-06-01')).toBe(true);
      expect(isDisplayedOn(period, '2026-06-02')).toBe(false);
      expect(isDisplayedOn(period, '2026-12-01')).toBe(false);
    }
    expect(periods[0]!.tier).toBe('unclassified');
    expect(periods[0]!.warnings.map((w) => w.code)).toEqual(['SEVERITY_UNDETERMINED']);
  });

  it('stops a 一般 penalty decided 2025-01-10 after 1 year: not shown on 2026-03-01', () => {
    // Prepare
    const input = penalty('2025-01-10', '一般');

    // Act
    const period = computeDisplayPeriod(input);

    // Assess
    expect(period).toMatchObject({
      ruleSetId: 'order-58',
      tier: '一般',
      displayUntil: '2026-01-10',
      minimumUntil: '2025-04-10',
      until: 'maximum',
      warnings: [],
    });
    expect(isDisplayedOn(period, '2026-03-01')).toBe(false);
  });

  it('caps 公示截止期 2099/12/31 (no end) at the maximum, with a warning', () => {
    // Prepare
    const input = penalty('2026-05-15', '一般', '2099-12-31');

    // Act
    const period = computeDisplayPeriod(input);

    // Assess
    expect(period).toMatchObject({ ruleSetId: 'order-36', displayUntil: '2027-05-15', until: 'maximum' });
    expect(period.warnings).toEqual([
      {
        code: 'SOURCE_END_CAPPED',
        message:
          '公示截止期 2099-12-31 (no end) is beyond the maximum of 1 year from 2026-05-15 (rule set order-36): display ends on 2027-05-15',
      },
    ]);
  });

  it('caps a 公示截止期 4 years out for a 严重 penalty at 3 years', () => {
    // Prepare
    const input = penalty('2026-04-01', '严重', '2030-04-02');

    // Act
    const period = computeDisplayPeriod(input);

    // Assess
    expect(period).toMatchObject({ displayUntil: '2029-04-01', until: 'maximum' });
    expect(period.warnings.map((w) => w.code)).toEqual(['SOURCE_END_CAPPED']);
  });

  it('keeps a 公示截止期 below the 3-month minimum but flags it', () => {
    // Prepare
    const input = penalty('2026-05-15', '一般', '2026-07-01');

    // Act
    const period = computeDisplayPeriod(input);

    // Assess
    expect(period).toMatchObject({
      displayUntil: '2026-07-01',
      until: 'source-end',
      minimumUntil: '2026-08-15',
    });
    expect(period.warnings).toEqual([
      {
        code: 'SOURCE_END_BELOW_MINIMUM',
        message:
          "公示截止期 2026-07-01 is before the end of the minimum of 3 months from 2026-05-15 (2026-08-15, rule set order-36): the source's date is kept, check it",
      },
    ]);
  });

  it('takes a 公示截止期 between minimum and maximum as given, silently', () => {
    // Prepare
    const input = penalty('2026-05-15', '一般', '2026-12-31');

    // Act
    const period = computeDisplayPeriod(input);

    // Assess
    expect(period).toMatchObject({ displayUntil: '2026-12-31', until: 'source-end', warnings: [] });
  });

  it('gives a 一般 penalty decided 2026-05-15: repairable from 2026-08-16, shown through 2027-05-15, gone 2027-05-16', () => {
    // Prepare
    const input = penalty('2026-05-15', '一般');

    // Act
    const period = computeDisplayPeriod(input);

    // Assess
    expect(dayAfter(period.minimumUntil)).toBe('2026-08-16');
    expect(isDisplayedOn(period, '2027-05-15')).toBe(true);
    expect(isDisplayedOn(period, '2027-05-16')).toBe(false);
  });

  it('ends the 3-month minimum of a penalty decided 2026-11-30 on 2027-02-28 (month end)', () => {
    // Prepare
    const input = penalty('2026-11-30', '一般');

    // Act
    const period = computeDisplayPeriod(input);

    // Assess
    expect(period.minimumUntil).toBe('2027-02-28');
  });

  it('uses the 527号 minimum of 6 months for a 严重 record decided before Order 58', () => {
    // Prepare
    const input = penalty('2022-08-31', '严重');

    // Act
    const period = computeDisplayPeriod(input);

    // Assess
    expect(period).toMatchObject({
      ruleSetId: 'ndrc-527-2019',
      minimumUntil: '2023-02-28',
      displayUntil: '2025-08-31',
    });
  });

  it('gives a 轻微 record at most 3 months and no minimum', () => {
    // Prepare
    const input = penalty('2026-06-30', '轻微');

    // Act
    const period = computeDisplayPeriod(input);

    // Assess
    expect(period).toMatchObject({ minimumUntil: '2026-06-30', displayUntil: '2026-09-30' });
  });

  it('covers list entries too, and refuses a dataset without display rules', () => {
    // Prepare
    const entry = { dataset: 'list-entry', severity: '严重' as const, decisionDate: '2026-04-10' };
    const licence = { dataset: 'admin-license', severity: null, decisionDate: '2026-04-10' };

    // Act
    const period = computeDisplayPeriod(entry);
    const refuse = () => computeDisplayPeriod(licence);

    // Assess
    expect(period).toMatchObject({ ruleSetId: 'order-36', displayUntil: '2029-04-10' });
    expect(refuse).toThrow(NoDisplayRuleError);
    expect(refuse).toThrow('rule set order-36 has no display periods for dataset admin-license');
  });

  it('counts from publication where a rule set says so', () => {
    // Prepare: the Order 36 draft counted from disclosure
    const table = parseDisplayPeriodTable({
      ...DISPLAY_PERIOD_TABLE,
      ruleSets: DISPLAY_PERIOD_TABLE.ruleSets.map((set) =>
        set.id === 'order-36' ? { ...set, start: 'publication-date' } : set,
      ),
    });
    const input = { ...penalty('2026-05-15', '一般'), publicationDate: '2026-05-20' };

    // Act
    const period = computeDisplayPeriod(input, table);
    const missing = () => computeDisplayPeriod(penalty('2026-05-15', '一般'), table);

    // Assess
    expect(period).toMatchObject({ displayFrom: '2026-05-20', displayUntil: '2027-05-20' });
    expect(missing).toThrow('counts from publication, and no publication date was given');
  });
});

describe('Function: parseDisplayPeriodTable', () => {
  it('refuses rule sets that leave a gap, and a minimum longer than its maximum', () => {
    // Prepare
    const [first, second, third] = DISPLAY_PERIOD_TABLE.ruleSets;
    const gap = {
      ...DISPLAY_PERIOD_TABLE,
      ruleSets: [first, { ...second!, recordsFrom: '2023-06-01' }, third],
    };
    const tiers = third!.tables[0]!.tiers;
    const inverted = {
      ...DISPLAY_PERIOD_TABLE,
      ruleSets: [
        first,
        second,
        {
          ...third!,
          tables: [
            { ...third!.tables[0]!, tiers: { ...tiers, 一般: { min: { years: 2 }, max: { years: 1 } } } },
          ],
        },
      ],
    };

    // Act
    const parseGap = () => parseDisplayPeriodTable(gap);
    const parseInverted = () => parseDisplayPeriodTable(inverted);

    // Assess
    expect(parseGap).toThrow('rule sets ndrc-527-2019 and order-58 must meet: 2023-05-01 ≠ 2023-06-01');
    expect(parseInverted).toThrow(
      'rule set order-36, admin-penalty/list-entry 一般: minimum is longer than maximum',
    );
  });

  it('refuses a period with two units', () => {
    // Prepare
    const [first, second, third] = DISPLAY_PERIOD_TABLE.ruleSets;
    const tiers = third!.tables[0]!.tiers;
    const mixed = {
      ...DISPLAY_PERIOD_TABLE,
      ruleSets: [
        first,
        second,
        {
          ...third!,
          tables: [
            {
              ...third!.tables[0]!,
              tiers: { ...tiers, 一般: { min: { months: 3 }, max: { years: 1, months: 1 } } },
            },
          ],
        },
      ],
    };

    // Act
    const parse = () => parseDisplayPeriodTable(mixed);

    // Assess
    expect(parse).toThrow();
  });
});
