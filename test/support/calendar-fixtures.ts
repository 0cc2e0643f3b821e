import type { StoredCalendarDay } from '#lib/calendar/calendar';

const off = (name: string, ...dates: string[]): StoredCalendarDay[] =>
  dates.map((date) => ({ date, kind: 'holiday', name }));
const worked = (name: string, ...dates: string[]): StoredCalendarDay[] =>
  dates.map((date) => ({ date, kind: 'workday', name: `${name}调休` }));

/**
 * A whole 2027 notice as the credit office would transcribe it: every statutory day of the 2024
 * rule (元旦, 春节 除夕–初三, 清明, 劳动节 ×2, 端午, 中秋, 国庆 ×3) off, with illustrative bridging
 * days and 调休 (the State Council publishes the real notice late in 2026; only its shape matters).
 */
export const notice2027: readonly StoredCalendarDay[] = [
  ...off('元旦', '2027-01-01', '2027-01-02', '2027-01-03'),
  ...off(
    '春节',
    '2027-02-05',
    '2027-02-06',
    '2027-02-07',
    '2027-02-08',
    '2027-02-09',
    '2027-02-10',
    '2027-02-11',
  ),
  ...worked('春节', '2027-02-13'),
  ...off('清明节', '2027-04-03', '2027-04-04', '2027-04-05'),
  ...off('劳动节', '2027-05-01', '2027-05-02', '2027-05-03', '2027-05-04', '2027-05-05'),
  ...worked('劳动节', '2027-04-25'),
  ...off('端午节', '2027-06-09'),
  ...off('中秋节', '2027-09-15'),
  ...off(
    '国庆节',
    '2027-10-01',
    '2027-10-02',
    '2027-10-03',
    '2027-10-04',
    '2027-10-05',
    '2027-10-06',
    '2027-10-07',
  ),
  ...worked('国庆节', '2027-09-26', '2027-10-09'),
];

/** The notice as a `calendar` file's rows (日期, 类型, 名称). */
export function noticeRows(days: readonly StoredCalendarDay[]): string[][] {
  return [
    ['日期', '类型', '名称'],
    ...days.map((day) => [day.date, day.kind === 'holiday' ? '休息日' : '工作日', day.name ?? '']),
  ];
}
