import type { CalendarDayKind, StoredCalendarDay } from '../calendar/calendar';
import { keys } from '../store/keys';
import type { FieldSpec } from './fields';
import { cell, type DatasetSchema, type ParsedCells, type RowContext, type RowOutcome } from './schema';

/**
 * The `calendar` dataset: the credit office transcribes the State Council's yearly holiday notice
 * (国务院办公厅关于<year>年部分节假日安排的通知) — every statutory day off and every adjusted working
 * weekend (调休) — so that deadlines can be counted in a year chinese-days does not know yet. A
 * stored year replaces the package's data for that year; days not listed are Monday–Friday.
 */
export const CALENDAR_SUBMITTER_ROLE = 'credit-office';

const kindsZh = ['休息日', '工作日', '节假日', '调休上班', 'holiday', 'workday'] as const;

export const calendarFields: readonly FieldSpec[] = [
  {
    key: 'date',
    nameZh: '日期',
    alias: 'date',
    kind: 'date',
    required: true,
    description: 'The day, YYYY-MM-DD or YYYY/MM/DD',
  },
  {
    key: 'kind',
    nameZh: '类型',
    alias: 'kind',
    kind: 'enum',
    required: true,
    values: kindsZh,
    description: '休息日 (day off) or 工作日 (adjusted working day)',
  },
  {
    key: 'name',
    nameZh: '名称',
    alias: 'name',
    kind: 'text',
    required: false,
    maxLength: 50,
    description: 'Holiday name, e.g. 春节',
  },
];

export interface CalendarDayRecord extends StoredCalendarDay {
  readonly dataset: 'calendar';
  readonly agencyCode: string;
}

function kindOf(raw: string): CalendarDayKind {
  return raw === '工作日' || raw === '调休上班' || raw === 'workday' ? 'workday' : 'holiday';
}

function build(cells: ParsedCells, context: RowContext): RowOutcome<CalendarDayRecord> {
  const date = cell.required(cells, 'date');
  const kind = kindOf(cell.required(cells, 'kind'));
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  const name = cell.text(cells, 'name');
  return {
    ok: true,
    // A working Monday or a day-off Saturday restates the default: kept, but flagged for review.
    flags: kind === 'workday' && !weekend ? ['WORKDAY_ON_WEEKDAY'] : [],
    value: { dataset: 'calendar', date, kind, ...(name ? { name } : {}), agencyCode: context.agency.code },
  };
}

export const calendarSchema: DatasetSchema<CalendarDayRecord> = {
  id: 'calendar',
  title: 'Official working-day calendar (State Council holiday notice)',
  titleZh: '法定节假日及调休安排',
  fields: calendarFields,
  buildRow: build,
  businessKey: (record) => record.date,
};

/** Every year a file covers must be complete: at least 元旦 (Jan 1) and 国庆 (Oct 1) listed as days off. */
export function incompleteYears(days: readonly StoredCalendarDay[]): number[] {
  const years = [...new Set(days.map((day) => Number(day.date.slice(0, 4))))];
  const off = new Set(days.filter((day) => day.kind === 'holiday').map((day) => day.date));
  return years.filter((year) => !off.has(`${year}-01-01`) || !off.has(`${year}-10-01`));
}

/**
 * The item one accepted calendar row becomes: pk CALENDAR, sk DAY#<date> — the same item
 * PUT /v1/calendar/years/{year} writes, read by lib/calendar/stored-calendar. Re-submitting a day
 * replaces it. (For the ingest path: lib/store/items.ts maps rows of this dataset with it.)
 */
export function calendarItems(
  record: CalendarDayRecord,
  provenance: { agencyCode: string; jobId: string; sourceKey: string; receivedAt: string },
): { pk: string; sk: string; [attribute: string]: unknown }[] {
  return [
    {
      pk: keys.calendar,
      sk: keys.calendarDay(record.date),
      type: 'calendar-day',
      date: record.date,
      kind: record.kind,
      ...(record.name ? { name: record.name } : {}),
      agencyCode: provenance.agencyCode,
      jobId: provenance.jobId,
      sourceKey: provenance.sourceKey,
      storedAt: provenance.receivedAt,
    },
  ];
}
