import type { CalendarDayKind, StoredCalendarDay } from '../calendar/calendar';
import { describeMissing, incompleteYears } from '../calendar/statutory-holidays';
import type { FieldSpec } from './fields';
import { cell, type DatasetSchema, type ParsedCells, type RowContext, type RowOutcome } from './schema';

/**
 * The `calendar` dataset: the credit office transcribes the State Council's yearly holiday notice
 * (国务院办公厅关于<year>年部分节假日安排的通知) — every statutory day off and every adjusted working
 * weekend (调休) — so that deadlines can be counted in a year chinese-days does not know yet. A
 * stored year replaces the package's data for that year; days not listed are Monday–Friday. Only a
 * whole year counts: the file report names each statutory holiday a year lacks
 * (lib/calendar/statutory-holidays.ts), and the calendar sets such a year aside.
 * The rows are stored by lib/aws/items/calendar-items.ts.
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
  fileWarnings: (accepted) =>
    incompleteYears(accepted).map((year) => ({
      code: 'CALENDAR_YEAR_INCOMPLETE',
      reason: `${describeMissing(year)}: the days are stored, but ${year.year} is not counted on until its stored days give every statutory holiday off (with this file or a later one; or PUT /v1/calendar/years/${year.year} with mode=merge)`,
    })),
};
