import { describe, expect, it } from 'vitest';
import {
  classifySeverity,
  decidePublication,
  parseSeverityConfig,
  SEVERITY_CONFIG,
} from '#lib/lifecycle/severity';

describe('Function: classifySeverity', () => {
  it('takes the severity the source declared, over any default rule', () => {
    // Prepare: a warning-only penalty would default to 轻微
    const input = { dataset: 'admin-penalty', declared: '一般', penaltyCategories: ['警告'] };

    // Act
    const result = classifySeverity(input);

    // Assess
    expect(result).toEqual({ ok: true, severity: '一般', basis: 'declared' });
  });

  it.each([
    ['3', '严重'],
    ['严重失信', '严重'],
    [' minor ', '轻微'],
  ])('reads the declared spelling %s as %s', (declared, severity) => {
    // Prepare
    const input = { dataset: 'admin-penalty', declared };

    // Act
    const result = classifySeverity(input);

    // Assess
    expect(result).toMatchObject({ ok: true, severity, basis: 'declared' });
  });

  it('refuses a declared value it does not know rather than guessing', () => {
    // Prepare
    const input = { dataset: 'admin-penalty', declared: '较重' };

    // Act
    const result = classifySeverity(input);

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'SEVERITY_VALUE' });
    expect(!result.ok && result.message).toContain('"较重" is not a severity: use one of 轻微 / 一般 / 严重');
  });

  it('defaults a warning-only penalty to 轻微, naming the rule', () => {
    // Prepare
    const input = {
      dataset: 'admin-penalty',
      penaltyCategories: ['警告'],
      subjectCategory: '法人及非法人组织' as const,
    };

    // Act
    const result = classifySeverity(input);

    // Assess
    expect(result).toMatchObject({
      ok: true,
      severity: '轻微',
      basis: 'default-rule',
      rule: { id: 'warning-or-criticism-only' },
    });
  });

  it('defaults a 简易程序 penalty to 轻微, whatever its categories', () => {
    // Prepare
    const input = {
      dataset: 'admin-penalty',
      procedure: '简易程序',
      penaltyCategories: ['罚款'],
      fineWanYuan: 0.05,
    };

    // Act
    const result = classifySeverity(input);

    // Assess
    expect(result).toMatchObject({ severity: '轻微', rule: { id: 'simple-procedure' } });
  });

  it('defaults a natural person fined 100 yuan to 轻微 (within the 简易程序 amount), 200.01 yuan not', () => {
    // Prepare: amounts are in 万元 in the template
    const base = {
      dataset: 'admin-penalty',
      penaltyCategories: ['罚款'],
      subjectCategory: '自然人' as const,
    };

    // Act
    const hundred = classifySeverity({ ...base, fineWanYuan: 0.01 });
    const twoHundred = classifySeverity({ ...base, fineWanYuan: 0.02 });
    const over = classifySeverity({ ...base, fineWanYuan: 0.020001 });

    // Assess
    expect(hundred).toMatchObject({ severity: '轻微', rule: { id: 'simple-procedure-amount' } });
    expect(twoHundred).toMatchObject({ severity: '轻微' });
    expect(over).toEqual({ ok: true, severity: null, basis: 'none' });
  });

  it('uses the organisation limit (3,000 yuan) for an organisation', () => {
    // Prepare
    const base = { dataset: 'admin-penalty', penaltyCategories: ['警告', '罚款'] };

    // Act
    const company = classifySeverity({ ...base, subjectCategory: '法人及非法人组织', fineWanYuan: 0.3 });
    const person = classifySeverity({ ...base, subjectCategory: '自然人', fineWanYuan: 0.3 });

    // Assess
    expect(company).toMatchObject({ severity: '轻微' });
    expect(person).toMatchObject({ severity: null });
  });

  it('does not default a fine without its amount, or a penalty with a heavier category', () => {
    // Prepare
    const noAmount = {
      dataset: 'admin-penalty',
      penaltyCategories: ['罚款'],
      subjectCategory: '自然人' as const,
    };
    const heavier = { ...noAmount, penaltyCategories: ['警告', '吊销许可证件'], fineWanYuan: 0 };

    // Act
    const results = [classifySeverity(noAmount), classifySeverity(heavier)];

    // Assess
    for (const result of results) expect(result).toEqual({ ok: true, severity: null, basis: 'none' });
  });

  it('defaults a listing on a severe list (黑名单, court list) to 严重, and not a red-list entry', () => {
    // Prepare
    const black = { dataset: 'list-entry', severeList: true };
    const court = { dataset: 'court-dishonest', severeList: true };
    const red = { dataset: 'list-entry', severeList: false };

    // Act
    const results = [black, court, red].map((input) => classifySeverity(input));

    // Assess
    expect(results[0]).toMatchObject({ severity: '严重', rule: { id: 'severe-list' } });
    expect(results[1]).toMatchObject({ severity: '严重' });
    expect(results[2]).toMatchObject({ severity: null, basis: 'none' });
  });

  it('applies the configuration it is given: a rule can be changed without a release', () => {
    // Prepare: the credit office drops the amount rule
    const config = parseSeverityConfig({
      ...SEVERITY_CONFIG,
      defaults: SEVERITY_CONFIG.defaults.filter((rule) => rule.id !== 'simple-procedure-amount'),
    });
    const input = {
      dataset: 'admin-penalty',
      penaltyCategories: ['罚款'],
      subjectCategory: '自然人' as const,
      fineWanYuan: 0.01,
    };

    // Act
    const result = classifySeverity(input, config);

    // Assess
    expect(result).toMatchObject({ severity: null });
  });
});

describe('Function: decidePublication', () => {
  it('withholds a warning-only penalty of a company: 轻微', () => {
    // Prepare
    const severity = classifySeverity({ dataset: 'admin-penalty', penaltyCategories: ['警告'] });
    const input = {
      dataset: 'admin-penalty',
      severity: severity.ok ? severity.severity : null,
      subjectCategory: '法人及非法人组织' as const,
    };

    // Act
    const result = decidePublication(input);

    // Assess
    expect(result.publishable).toBe(false);
    expect(result.withheldBy.map((rule) => rule.id)).toEqual(['minor-severity']);
  });

  it('withholds a natural person fined 100 yuan under 简易程序, giving every reason', () => {
    // Prepare
    const input = {
      dataset: 'admin-penalty',
      severity: '轻微' as const,
      procedure: '简易',
      subjectCategory: '自然人' as const,
    };

    // Act
    const result = decidePublication(input);

    // Assess
    expect(result.publishable).toBe(false);
    expect(result.withheldBy.map((rule) => rule.id)).toEqual([
      'minor-severity',
      'simple-procedure',
      'natural-person',
    ]);
    expect(result.withheldBy[2]!.reason).toBe(
      'personal public-credit information is in principle not published',
    );
  });

  it('publishes a 一般 penalty of a company and of a 个体工商户', () => {
    // Prepare
    const inputs = [
      { dataset: 'admin-penalty', severity: '一般' as const, subjectCategory: '法人及非法人组织' as const },
      { dataset: 'admin-penalty', severity: '一般' as const, subjectCategory: '个体工商户' as const },
    ];

    // Act
    const results = inputs.map((input) => decidePublication(input));

    // Assess
    for (const result of results) expect(result).toEqual({ publishable: true, withheldBy: [] });
  });

  it('withholds a natural person’s 一般 penalty, but not a court-list natural person (a rule says otherwise)', () => {
    // Prepare
    const penalty = {
      dataset: 'admin-penalty',
      severity: '一般' as const,
      subjectCategory: '自然人' as const,
    };
    const court = {
      dataset: 'court-dishonest',
      severity: '严重' as const,
      subjectCategory: '自然人' as const,
    };

    // Act
    const results = [decidePublication(penalty), decidePublication(court)];

    // Assess
    expect(results[0]).toMatchObject({ publishable: false, withheldBy: [{ id: 'natural-person' }] });
    expect(results[1]).toEqual({ publishable: true, withheldBy: [] });
  });

  it('withholds on the source’s minor and secret-or-privacy flags', () => {
    // Prepare
    const input = {
      dataset: 'admin-penalty',
      severity: '严重' as const,
      subjectCategory: '法人及非法人组织' as const,
      withheldFlags: ['secret-or-privacy' as const],
    };

    // Act
    const result = decidePublication(input);

    // Assess
    expect(result).toMatchObject({ publishable: false, withheldBy: [{ id: 'secret-or-privacy' }] });
  });
});
