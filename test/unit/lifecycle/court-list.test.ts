import { describe, expect, it } from 'vitest';
import { addWorkingDays, CalendarYearUnavailableError } from '#lib/calendar/working-days';
import {
  type AddWorkingDays,
  COURT_GROUND_TABLE,
  evaluateCourtListing,
  isListingInEffectOn,
  parseCourtGroundTable,
  recogniseGrounds,
} from '#lib/lifecycle/court-list';

/** The package calendar, with "year not known" as null: what the lead's calendar resolver returns. */
const workingDays: AddWorkingDays = (from, n) => {
  try {
    return addWorkingDays(from, n);
  } catch (error) {
    if (error instanceof CalendarYearUnavailableError) return null;
    throw error;
  }
};

const ITEM_1 = '有履行能力而拒不履行生效法律文书确定义务';
const ITEM_4 = '违反财产报告制度';

const listing = (overrides: Partial<Parameters<typeof evaluateCourtListing>[0]> = {}) => ({
  conduct: ITEM_4,
  publishedOn: '2024-03-01',
  performance: '全部未履行' as const,
  receivedOn: '2024-03-05',
  ...overrides,
});

describe('Function: recogniseGrounds', () => {
  it.each([
    [ITEM_1, [1]],
    ['其他有履行能力而拒不履行生效法律文书确定义务', [1]],
    ['以伪造证据、暴力、威胁等方法妨碍、抗拒执行', [2]],
    ['以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行', [3]],
    ['违反 财产报告制度', [4]],
    ['违反限制消费令', [5]],
    ['无正当理由拒不履行执行和解协议', [6]],
    ['违反财产报告制度；违反限制消费令', [4, 5]],
    ['5', [5]],
    ['其他情形', []],
  ])('reads "%s" as art. 1 item(s) %o', (conduct, items) => {
    // Prepare
    const text = conduct;

    // Act
    const grounds = recogniseGrounds(text);

    // Assess
    expect(grounds.map((ground) => ground.item)).toEqual(items);
  });
});

describe('Function: evaluateCourtListing', () => {
  it('keeps an item-1 listing published 2024-03-01 without 有效期至 in effect on 2026-03-01: until performance', () => {
    // Prepare
    const input = listing({ conduct: ITEM_1 });

    // Act
    const result = evaluateCourtListing(input, workingDays);

    // Assess
    expect(result).toEqual({
      ok: true,
      grounds: [1],
      rule: 'until-performance',
      periodEnd: null,
      cap: null,
      effectiveUntil: null,
      endBeforeRemoval: null,
      removal: null,
      warnings: [],
    });
    const effective = {
      publishedOn: input.publishedOn,
      effectiveUntil: result.ok ? result.effectiveUntil : '',
    };
    expect(isListingInEffectOn(effective, '2026-03-01')).toBe(true);
    expect(isListingInEffectOn(effective, '2030-12-31')).toBe(true);
  });

  it('accepts 2099/12/31 (no end) for item 1, and ends the listing on its 移出日期', () => {
    // Prepare
    const open = listing({ conduct: ITEM_1, validUntil: '2099-12-31' });
    const removed = listing({
      conduct: ITEM_1,
      validUntil: '2099-12-31',
      removedOn: '2026-01-20',
      performance: '全部履行',
    });

    // Act
    const results = [evaluateCourtListing(open, workingDays), evaluateCourtListing(removed, workingDays)];

    // Assess
    expect(results[0]).toMatchObject({ ok: true, effectiveUntil: null });
    expect(results[1]).toMatchObject({ ok: true, effectiveUntil: '2026-01-19', removal: null, warnings: [] });
  });

  it('ends a fixed-period listing published 2024-02-29 on 2026-02-28 (民法典 art. 202), not 2026-03-01', () => {
    // Prepare
    const input = listing({ publishedOn: '2024-02-29', receivedOn: '2024-02-29' });

    // Act
    const result = evaluateCourtListing(input, workingDays);

    // Assess
    expect(result).toMatchObject({
      ok: true,
      grounds: [4],
      rule: 'fixed',
      periodEnd: '2026-02-28',
      cap: '2029-02-28',
      effectiveUntil: '2026-02-28',
    });
    const effective = {
      publishedOn: input.publishedOn,
      effectiveUntil: result.ok ? result.effectiveUntil : null,
    };
    expect(isListingInEffectOn(effective, '2026-02-28')).toBe(true);
    expect(isListingInEffectOn(effective, '2026-03-01')).toBe(false);
  });

  it('rejects 有效期至 2099/12/31 for a ground capped at 2 + 3 years', () => {
    // Prepare
    const input = listing({ validUntil: '2099-12-31' });

    // Act
    const result = evaluateCourtListing(input, workingDays);

    // Assess
    expect(result).toEqual({
      ok: false,
      code: 'VALID_UNTIL_BEYOND_CAP',
      message:
        '有效期至 2099-12-31 (no end) is impossible for this ground: 2 years from 发布时间 2024-03-01 extended by at most 3 years ends on 2029-03-01 (法释〔2017〕7号 (2017 amendment) art. 2)',
    });
  });

  it('accepts an extension up to the cap and rejects a day beyond it', () => {
    // Prepare
    const atCap = listing({ validUntil: '2029-03-01' });
    const beyond = listing({ validUntil: '2029-03-02' });

    // Act
    const results = [evaluateCourtListing(atCap, workingDays), evaluateCourtListing(beyond, workingDays)];

    // Assess
    expect(results[0]).toMatchObject({ ok: true, effectiveUntil: '2029-03-01', warnings: [] });
    expect(results[1]).toMatchObject({ ok: false, code: 'VALID_UNTIL_BEYOND_CAP' });
  });

  it('keeps but flags an 有效期至 shorter than the period, or extending it by less than a year', () => {
    // Prepare
    const short = listing({ validUntil: '2025-12-31' });
    const slightlyLonger = listing({ validUntil: '2026-09-01' });

    // Act
    const results = [
      evaluateCourtListing(short, workingDays),
      evaluateCourtListing(slightlyLonger, workingDays),
    ];

    // Assess
    expect(results[0]).toMatchObject({
      ok: true,
      effectiveUntil: '2025-12-31',
      warnings: [{ code: 'VALID_UNTIL_BELOW_PERIOD' }],
    });
    expect(results[1]).toMatchObject({
      ok: true,
      effectiveUntil: '2026-09-01',
      warnings: [{ code: 'VALID_UNTIL_IRREGULAR_EXTENSION' }],
    });
  });

  it('flags 全部履行 without 移出日期 and makes it due for removal within 3 working days', () => {
    // Prepare: received 2026-04-30; 05-01 to 05-05 are holidays
    const input = listing({ conduct: ITEM_1, performance: '全部履行', receivedOn: '2026-04-30' });

    // Act
    const result = evaluateCourtListing(input, workingDays);

    // Assess
    expect(result).toMatchObject({
      ok: true,
      removal: { workingDays: 3, from: '2026-04-30', dueBy: '2026-05-08', pendingCalendar: false },
      effectiveUntil: '2026-05-08',
      warnings: [{ code: 'PERFORMED_NOT_REMOVED' }],
    });
    expect(result.ok && result.warnings[0]!.message).toContain(
      '全部履行 without 移出日期: to be removed within 3 working days of 2026-04-30 (2026-05-08;',
    );
  });

  it('says the removal date is pending when the due date falls in a year with no calendar', () => {
    // Prepare: 2026-12-30 + 3 working days lands in 2027
    const input = listing({ conduct: ITEM_1, performance: '全部履行', receivedOn: '2026-12-30' });

    // Act
    const result = evaluateCourtListing(input, workingDays);

    // Assess
    expect(result).toMatchObject({
      ok: true,
      removal: { dueBy: null, pendingCalendar: true },
      effectiveUntil: null,
    });
  });

  it('gives an unrecognised ground the 2-year period and a GROUND_UNKNOWN warning', () => {
    // Prepare
    const input = listing({ conduct: '其他情形' });

    // Act
    const result = evaluateCourtListing(input, workingDays);

    // Assess
    expect(result).toMatchObject({ ok: true, grounds: [], rule: 'fixed', effectiveUntil: '2026-03-01' });
    expect(result.ok && result.warnings.map((w) => w.code)).toEqual(['GROUND_UNKNOWN']);
  });

  it('lets item 1 decide when it is named beside a fixed-period ground', () => {
    // Prepare
    const input = listing({ conduct: `${ITEM_1}；${ITEM_4}` });

    // Act
    const result = evaluateCourtListing(input, workingDays);

    // Assess
    expect(result).toMatchObject({
      ok: true,
      grounds: [1, 4],
      rule: 'until-performance',
      effectiveUntil: null,
    });
  });
});

describe('Function: parseCourtGroundTable', () => {
  it('refuses a table that lists an item twice or gives a fixed period without its extension', () => {
    // Prepare
    const twice = {
      ...COURT_GROUND_TABLE,
      grounds: [...COURT_GROUND_TABLE.grounds, COURT_GROUND_TABLE.grounds[0]],
    };
    const noExtension = {
      ...COURT_GROUND_TABLE,
      grounds: [{ item: 2, label: 'x', matches: ['x'], period: { kind: 'fixed', base: { years: 2 } } }],
    };

    // Act
    const parseTwice = () => parseCourtGroundTable(twice);
    const parseNoExtension = () => parseCourtGroundTable(noExtension);

    // Assess
    expect(parseTwice).toThrow('court grounds table lists item 1 twice');
    expect(parseNoExtension).toThrow();
  });
});
