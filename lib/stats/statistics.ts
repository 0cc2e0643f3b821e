import type { DailyStats } from '../deadlines/types';

/**
 * Statistics for the credit office, aggregated from the daily per-agency items the deadlines run
 * writes (STATS#<month>, one item per agency per day). A range of a year reads 12 partitions of at
 * most agencies × 31 small items: bounded, whatever the number of records and checks behind them.
 */

/** The target of the documents: every 双公示 record on time. */
export const TIMELINESS_TARGET = 1;

export interface TimelinessRow {
  readonly agencyCode: string;
  readonly records: number;
  readonly onTime: number;
  readonly late: number;
  /**
   * Records whose lateness waited for a calendar year when they arrived: neither on time nor late,
   * and left out of the rate. `decidedLater` counts those the deadlines run decided in the range
   * (`decidedLaterLate` of them late), whenever they arrived.
   */
  readonly pendingCalendar: number;
  readonly decidedLater: number;
  readonly decidedLaterLate: number;
  /** onTime / (records − pendingCalendar); null without records decided. */
  readonly rate: number | null;
  readonly target: number;
  readonly meetsTarget: boolean | null;
}

function sumBy<K extends keyof DailyStats>(days: readonly DailyStats[], key: K): number {
  return days.reduce((total, day) => total + ((day[key] as number | undefined) ?? 0), 0);
}

function byAgency(days: readonly DailyStats[]): Map<string, DailyStats[]> {
  const grouped = new Map<string, DailyStats[]>();
  for (const day of days) grouped.set(day.agencyCode, [...(grouped.get(day.agencyCode) ?? []), day]);
  return new Map([...grouped].sort(([a], [b]) => a.localeCompare(b)));
}

const ratio = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;

export function timeliness(days: readonly DailyStats[]) {
  const agencies: TimelinessRow[] = [...byAgency(days)].map(([agencyCode, agencyDays]) => {
    const records = sumBy(agencyDays, 'records');
    const late = Math.min(sumBy(agencyDays, 'late'), records);
    const pendingCalendar = Math.min(sumBy(agencyDays, 'pendingCalendar'), records - late);
    const onTime = records - late - pendingCalendar;
    const rate = ratio(onTime, records - pendingCalendar);
    return {
      agencyCode,
      records,
      onTime,
      late,
      pendingCalendar,
      decidedLater: sumBy(agencyDays, 'pendingReevaluated'),
      decidedLaterLate: sumBy(agencyDays, 'pendingReevaluatedLate'),
      rate,
      target: TIMELINESS_TARGET,
      meetsTarget: rate === null ? null : rate >= TIMELINESS_TARGET,
    };
  });
  const total = (key: 'records' | 'late' | 'pendingCalendar' | 'decidedLater' | 'decidedLaterLate') =>
    agencies.reduce((sum, row) => sum + row[key], 0);
  const [records, late, pendingCalendar] = [total('records'), total('late'), total('pendingCalendar')];
  return {
    agencies,
    total: {
      records,
      onTime: records - late - pendingCalendar,
      late,
      pendingCalendar,
      decidedLater: total('decidedLater'),
      decidedLaterLate: total('decidedLaterLate'),
      rate: ratio(records - late - pendingCalendar, records - pendingCalendar),
      target: TIMELINESS_TARGET,
    },
  };
}

export interface PublicationRow {
  readonly agencyCode: string;
  /** Records first made public in the range, and how many within / after their due date. */
  readonly published: number;
  readonly onTime: number;
  readonly late: number;
  /** Made public while the due date's calendar year was unknown: neither on time nor late, out of the rate. */
  readonly pendingCalendar: number;
  /** Records first received in the range that the public view withholds (persons, 轻微, publishable false…). */
  readonly notPublishable: number;
  /** onTime / (onTime + late); null without publications decided. */
  readonly rate: number | null;
  readonly target: number;
  readonly meetsTarget: boolean | null;
}

function publicationRow(agencyCode: string, days: readonly DailyStats[]): PublicationRow {
  const onTime = sumBy(days, 'publishedOnTime');
  const late = sumBy(days, 'publishedLate');
  const pendingCalendar = sumBy(days, 'publishedPendingCalendar');
  const rate = ratio(onTime, onTime + late);
  return {
    agencyCode,
    published: onTime + late + pendingCalendar,
    onTime,
    late,
    pendingCalendar,
    notPublishable: sumBy(days, 'notPublishable'),
    rate,
    target: TIMELINESS_TARGET,
    meetsTarget: rate === null ? null : rate >= TIMELINESS_TARGET,
  };
}

/**
 * 双公示 publication timeliness: the 7 working days counted from the decision to the moment the
 * record became publicly visible (its first publication), per agency, by the day it was published.
 */
export function publication(days: readonly DailyStats[]) {
  const agencies = [...byAgency(days)].map(([agencyCode, agencyDays]) =>
    publicationRow(agencyCode, agencyDays),
  );
  const { agencyCode: _all, meetsTarget: _meets, ...total } = publicationRow('', days);
  return { agencies, total };
}

export function feedback(days: readonly DailyStats[]) {
  const agencies = [...byAgency(days)].map(([agencyCode, agencyDays]) => ({
    agencyCode,
    checksWithMeasures: sumBy(agencyDays, 'checksWithMeasures'),
    feedbackGiven: sumBy(agencyDays, 'feedbackGiven'),
    // Overdue is a state, not a flow: the latest day's count is the current backlog.
    overdue: agencyDays.reduce((latest, day) => (day.date > latest.date ? day : latest)).feedbackOverdue ?? 0,
  }));
  return {
    agencies,
    total: {
      checksWithMeasures: agencies.reduce((t, row) => t + row.checksWithMeasures, 0),
      feedbackGiven: agencies.reduce((t, row) => t + row.feedbackGiven, 0),
      overdue: agencies.reduce((t, row) => t + row.overdue, 0),
    },
  };
}

export function ingestion(days: readonly DailyStats[]) {
  const agencies = [...byAgency(days)].map(([agencyCode, agencyDays]) => ({
    agencyCode,
    jobs: sumBy(agencyDays, 'jobs'),
    jobsFailed: sumBy(agencyDays, 'jobsFailed'),
    rowsAccepted: sumBy(agencyDays, 'rowsAccepted'),
    rowsRejected: sumBy(agencyDays, 'rowsRejected'),
    late: sumBy(agencyDays, 'late'),
    lastActiveDay:
      agencyDays
        .filter((day) => day.jobs > 0)
        .map((day) => day.date)
        .sort()
        .at(-1) ?? null,
  }));
  const total = (key: 'jobs' | 'jobsFailed' | 'rowsAccepted' | 'rowsRejected' | 'late') =>
    agencies.reduce((t, row) => t + row[key], 0);
  const accepted = total('rowsAccepted');
  const rejected = total('rowsRejected');
  return {
    agencies,
    total: {
      jobs: total('jobs'),
      jobsFailed: total('jobsFailed'),
      rowsAccepted: accepted,
      rowsRejected: rejected,
      late: total('late'),
      rejectionRate: ratio(rejected, accepted + rejected),
    },
  };
}

export function checks(days: readonly DailyStats[]) {
  const checksTotal = sumBy(days, 'checks');
  const withHits = sumBy(days, 'checksWithHits');
  const byListType: Record<string, number> = {};
  const byMatter: Record<string, { checks: number; withHits: number }> = {};
  for (const day of days) {
    for (const [listType, count] of Object.entries(day.hitsByListType ?? {})) {
      byListType[listType] = (byListType[listType] ?? 0) + count;
    }
    for (const [matter, counts] of Object.entries(day.checksByMatter ?? {})) {
      const entry = byMatter[matter] ?? { checks: 0, withHits: 0 };
      byMatter[matter] = entry;
      entry.checks += counts.checks;
      entry.withHits += counts.withHits;
    }
  }
  return {
    checks: checksTotal,
    checksWithHits: withHits,
    hitRate: ratio(withHits, checksTotal),
    byListType: Object.entries(byListType)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([listTypeCode, hits]) => ({
        listTypeCode,
        checksWithHit: hits,
        hitRate: ratio(hits, checksTotal),
      })),
    byMatter: Object.entries(byMatter)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([matterCode, counts]) => ({
        matterCode,
        ...counts,
        hitRate: ratio(counts.withHits, counts.checks),
      })),
    byAgency: [...byAgency(days)].map(([agencyCode, agencyDays]) => ({
      agencyCode,
      checks: sumBy(agencyDays, 'checks'),
      checksWithHits: sumBy(agencyDays, 'checksWithHits'),
    })),
  };
}
