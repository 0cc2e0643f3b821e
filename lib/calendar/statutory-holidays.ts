import chineseDays from 'chinese-days';
import { z } from 'zod';
import statutoryHolidaysJson from '#config/statutory-holidays.json' with { type: 'json' };
import type { StoredCalendarDay } from './types';
import { DAY_MS, formatDay, parseDay } from './working-days';

/**
 * The statutory holidays (法定节假日) of a year, from the version of 国务院《全国年节及纪念日放假办法》
 * in force that year (config/statutory-holidays.json), resolved to calendar days: lunar dates and
 * the 清明 solar term through chinese-days' astronomical tables, which — unlike its notice data —
 * cover every year to 2100. A stored year is whole only if it gives each of these days off.
 */

const daySpec = z.union([
  z.strictObject({ solar: z.string().regex(/^\d{2}-\d{2}$/) }),
  z.strictObject({ lunar: z.string().regex(/^\d{2}-\d{2}$/) }),
  z.strictObject({ lunarNewYearsEve: z.literal(true) }),
  z.strictObject({ solarTerm: z.literal('pure_brightness') }),
]);

const configSchema = z.object({
  versions: z
    .array(
      z.object({
        id: z.string().min(1),
        fromYear: z.number().int(),
        source: z.string().min(1),
        holidays: z.array(z.object({ name: z.string().min(1), days: z.array(daySpec).min(1) })).min(1),
      }),
    )
    .min(1),
});

type DaySpec = z.infer<typeof daySpec>;
type RuleVersion = z.infer<typeof configSchema>['versions'][number];

const versions = [...configSchema.parse(statutoryHolidaysJson).versions].sort(
  (a, b) => b.fromYear - a.fromYear,
);

export interface StatutoryHoliday {
  /** 春节, 国庆节, … as the rule names it. */
  readonly name: string;
  /** Its statutory days that year, YYYY-MM-DD ascending. */
  readonly dates: readonly string[];
}

export interface StatutoryYear {
  readonly year: number;
  /** The rule version in force that year (config id) and its source. */
  readonly ruleVersion: string;
  readonly source: string;
  readonly holidays: readonly StatutoryHoliday[];
}

function ruleFor(year: number): RuleVersion | undefined {
  return versions.find((version) => version.fromYear <= year);
}

function lunarToSolar(year: number, monthDay: string): string {
  return chineseDays.getSolarDateFromLunar(`${year}-${monthDay}`).date;
}

function resolveDay(year: number, spec: DaySpec): string {
  if ('solar' in spec) return `${year}-${spec.solar}`;
  if ('lunar' in spec) return lunarToSolar(year, spec.lunar);
  if ('lunarNewYearsEve' in spec) return formatDay(parseDay(lunarToSolar(year, '01-01')) - 1);
  return chineseDays.getSolarTermDate(year, 4, spec.solarTerm);
}

/** The statutory holidays of `year`, or undefined for a year before the first rule version in the table. */
export function statutoryHolidays(year: number): StatutoryYear | undefined {
  const rule = ruleFor(year);
  if (!rule) return undefined;
  return {
    year,
    ruleVersion: rule.id,
    source: rule.source,
    holidays: rule.holidays.map((holiday) => ({
      name: holiday.name,
      dates: holiday.days.map((spec) => resolveDay(year, spec)).sort(),
    })),
  };
}

/** What a year's days lack to be whole: each statutory holiday with the days not given off. */
export type YearCompleteness =
  | { readonly year: number; readonly complete: true; readonly ruleVersion: string }
  | {
      readonly year: number;
      readonly complete: false;
      readonly ruleVersion: string | null;
      readonly missing: readonly StatutoryHoliday[];
    };

/** Whether `days` (one year's notice) give every statutory holiday of `year` off. */
export function yearCompleteness(year: number, days: readonly StoredCalendarDay[]): YearCompleteness {
  const statutory = statutoryHolidays(year);
  if (!statutory) return { year, complete: false, ruleVersion: null, missing: [] };
  const off = new Set(days.filter((day) => day.kind === 'holiday').map((day) => day.date));
  const missing = statutory.holidays
    .map((holiday) => ({ name: holiday.name, dates: holiday.dates.filter((date) => !off.has(date)) }))
    .filter((holiday) => holiday.dates.length > 0);
  return missing.length === 0
    ? { year, complete: true, ruleVersion: statutory.ruleVersion }
    : { year, complete: false, ruleVersion: statutory.ruleVersion, missing };
}

/** A refusal reason naming what is missing: `春节 (2027-02-05, 2027-02-06), 国庆节 (2027-10-02)`. */
export function describeMissing(completeness: YearCompleteness): string {
  if (completeness.complete) return '';
  if (completeness.ruleVersion === null)
    return `no statutory-holiday rule covers ${completeness.year} (config/statutory-holidays.json)`;
  const names = completeness.missing.map((holiday) => `${holiday.name} (${holiday.dates.join(', ')})`);
  return `${completeness.year} lacks statutory days off under ${completeness.ruleVersion}: ${names.join(', ')}`;
}

/** The completeness of every year the days cover. */
export function incompleteYears(
  days: readonly StoredCalendarDay[],
): Extract<YearCompleteness, { complete: false }>[] {
  const years = [...new Set(days.map((day) => Number(day.date.slice(0, 4))))].sort((a, b) => a - b);
  return years
    .map((year) =>
      yearCompleteness(
        year,
        days.filter((day) => day.date.startsWith(`${year}-`)),
      ),
    )
    .filter((result): result is Extract<YearCompleteness, { complete: false }> => !result.complete);
}

/** chinese-days names a holiday or 调休 day `Spring Festival,春节,4`; the Chinese name is the second part. */
function chineseName(name: string): string | undefined {
  const parts = name.split(',');
  return parts.length >= 2 ? parts[1] : undefined;
}

/**
 * The package's data for a year as a stored notice would list it: every day off that is a named
 * holiday (weekend days of a holiday period included) and every worked weekend day (调休). Used to
 * merge a partial upload over the package's year explicitly.
 */
export function packageYearDays(year: number): StoredCalendarDay[] {
  const days: StoredCalendarDay[] = [];
  const last = parseDay(`${year}-12-31`);
  for (let day = parseDay(`${year}-01-01`); day <= last; day++) {
    const date = formatDay(day);
    const detail = chineseDays.getDayDetail(date);
    const weekend = [0, 6].includes(new Date(day * DAY_MS).getUTCDay());
    const name = chineseName(detail.name);
    if (!detail.work && name) days.push({ date, kind: 'holiday', name });
    else if (!detail.work && !weekend) days.push({ date, kind: 'holiday' });
    else if (detail.work && weekend) days.push({ date, kind: 'workday', ...(name ? { name } : {}) });
  }
  return days;
}
