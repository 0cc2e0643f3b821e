/** The shapes of stored calendar days (the credit office's transcription of a State Council notice). */

export type CalendarDayKind = 'holiday' | 'workday';

export interface StoredCalendarDay {
  /** YYYY-MM-DD */
  readonly date: string;
  readonly kind: CalendarDayKind;
  /** 名称, e.g. 春节 */
  readonly name?: string;
}
