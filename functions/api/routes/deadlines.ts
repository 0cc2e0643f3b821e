import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { z } from 'zod';
import { json } from '#functions/shared/http';
import { addCalendarDays } from '#lib/calendar/calendar';
import {
  assembleCalendarYear,
  CalendarMergeUnavailableError,
  CalendarYearIncompleteError,
} from '#lib/calendar/calendar-year';
import { clearWorkingCalendarCache } from '#lib/calendar/stored-calendar';
import { CalendarYearUnavailableError, InvalidCalendarDateError } from '#lib/calendar/working-days';
import { loadDueDateResolver } from '#lib/deadlines/due-dates';
import { resolveRules, ruleOverridesSchema } from '#lib/deadlines/rules';
import { ProblemError } from '#lib/http/problem';
import type { Observability } from '#lib/platform/observability';
import { metrics as metricDefinitions } from '#lib/platform/resources';
import * as statistics from '#lib/stats/statistics';
import { defineRoute, type Route } from '../router';

// A real calendar day: 2026-02-30 is refused like 2026/02/28, never handed on to date arithmetic.
const isoDate = z.iso.date('use YYYY-MM-DD (a real calendar day)');

/** A missing calendar year is an explicit 422 with a stable code, a log line and a metric (alarmed). */
function calendarProblem(error: unknown, { logger, metrics }: Observability): never {
  if (error instanceof CalendarYearUnavailableError) {
    logger.error('Deadline not computable: calendar year missing', {
      year: error.year,
      code: 'CALENDAR_YEAR_UNAVAILABLE',
    });
    metrics.addMetric(metricDefinitions.names.calendarYearMissing, MetricUnit.Count, 1);
    throw new ProblemError(
      422,
      'CALENDAR_YEAR_UNAVAILABLE',
      `no official calendar for ${error.year}: the credit office must add the State Council notice for ${error.year} (a calendar file or PUT /v1/calendar/years/${error.year}) before deadlines in ${error.year} can be counted`,
    );
  }
  if (error instanceof InvalidCalendarDateError) throw new ProblemError(400, 'INVALID_DATE', error.message);
  throw error;
}

/** A partial year is refused with each statutory holiday it lacks (one error per holiday). */
function calendarYearProblem(error: unknown): never {
  if (error instanceof CalendarYearIncompleteError) {
    throw new ProblemError(
      422,
      'CALENDAR_YEAR_INCOMPLETE',
      error.message,
      error.missing.map((holiday) => ({
        field: 'body.days',
        code: 'STATUTORY_HOLIDAY_MISSING',
        reason: `${holiday.name}: ${holiday.dates.join(', ')} not given as days off`,
      })),
    );
  }
  if (error instanceof CalendarMergeUnavailableError)
    throw new ProblemError(422, 'CALENDAR_MERGE_UNAVAILABLE', error.message);
  throw error;
}

const dueDateQuery = z
  .object({
    from: isoDate,
    workingDays: z.coerce.number().int().min(0).max(366).optional(),
    dataset: z.string().min(1).optional(),
  })
  .refine((query) => query.workingDays !== undefined || query.dataset !== undefined, {
    message: 'give workingDays or a dataset whose rule applies',
    path: ['workingDays'],
  });

const statsQuery = z
  .object({ from: isoDate, to: isoDate })
  .refine((query) => query.from <= query.to, { message: 'from must not be after to', path: ['to'] })
  .refine((query) => addCalendarDays(query.from, 366) >= query.to, {
    message: 'at most 366 days',
    path: ['to'],
  });

const calendarYearBody = z.object({
  days: z
    .array(
      z
        .object({ date: isoDate, kind: z.enum(['holiday', 'workday']), name: z.string().max(50).optional() })
        .strict(),
    )
    .min(1)
    .max(400),
  /** `whole` (default): the days are the entire notice; `merge`: they correct the package's year. */
  mode: z.enum(['whole', 'merge']).optional(),
});

const submissionBody = z
  .object({
    kind: z.enum(['quarterly-report', 'monthly-cases']),
    period: z.string().regex(/^\d{4}-(Q[1-4]|\d{2})$/, 'use 2026-Q4 (quarterly) or 2026-11 (monthly)'),
    caseCount: z.number().int().min(0).max(100_000).optional(),
  })
  .refine((body) => (body.kind === 'quarterly-report') === /Q/.test(body.period), {
    message: 'quarterly reports use a 2026-Q4 period, monthly cases a 2026-11 period',
    path: ['period'],
  })
  .refine((body) => body.kind !== 'monthly-cases' || body.caseCount !== undefined, {
    message: 'monthly case reports give caseCount',
    path: ['caseCount'],
  });

const dueDateAnswer = z.object({
  from: isoDate,
  workingDays: z.number().int(),
  dueDate: isoDate,
  decisionDayCounted: z.literal(false),
  calendar: z.array(z.object({ year: z.number().int(), source: z.enum(['package', 'stored']) })),
});

const timelinessRow = z.object({
  agencyCode: z.string(),
  records: z.number().int(),
  onTime: z.number().int(),
  late: z.number().int(),
  /** Waiting for a calendar year at arrival: neither on time nor late, out of the rate. */
  pendingCalendar: z.number().int(),
  /** Pending records the deadlines run decided in the range, and how many of them late. */
  decidedLater: z.number().int(),
  decidedLaterLate: z.number().int(),
  rate: z.number().nullable(),
  target: z.number(),
  meetsTarget: z.boolean().nullable(),
});

const publicationRow = z.object({
  agencyCode: z.string(),
  /** First made public in the range: on time, late, or while the due date's calendar year was unknown. */
  published: z.number().int(),
  onTime: z.number().int(),
  late: z.number().int(),
  pendingCalendar: z.number().int(),
  /** First received in the range and withheld from the public view. */
  notPublishable: z.number().int(),
  rate: z.number().nullable(),
  target: z.number(),
  meetsTarget: z.boolean().nullable(),
});

type StatsQuery = z.infer<typeof statsQuery>;
const statsRoute = (
  name: 'timeliness' | 'publication' | 'feedback' | 'ingestion' | 'checks',
  summary: string,
  aggregate: (days: Parameters<typeof statistics.timeliness>[0]) => unknown,
  schema?: z.ZodType,
) =>
  defineRoute<undefined, StatsQuery>({
    method: 'GET',
    path: `/v1/stats/${name}`,
    summary,
    roles: ['credit-office'],
    query: statsQuery,
    success: {
      status: 200,
      description: `${name} statistics per agency over the days from..to`,
      ...(schema ? { schema } : {}),
    },
    handle: async ({ query, deps }) => {
      const days = await deps.deadlines.dailyStats(query.from, query.to);
      return json(200, {
        from: query.from,
        to: query.to,
        // The daily items are written by the deadlines run for the day before it runs.
        daysCovered: new Set(days.map((day) => day.date)).size,
        ...(aggregate(days) as object),
      });
    },
  });

/** Calendar, deadline rules, periodic report submissions and statistics (issue 5). */
export const deadlineRoutes: Route[] = [
  defineRoute<undefined, z.infer<typeof dueDateQuery>>({
    method: 'GET',
    path: '/v1/calendar/due-date',
    summary:
      'The day N working days after a decision on the official calendar (the decision day not counted)',
    query: dueDateQuery,
    success: {
      status: 200,
      description: 'The due date and where the calendar data came from',
      schema: dueDateAnswer,
    },
    handle: async ({ query, caller, deps }) => {
      // The same resolver as ingestion's late flag and the deadlines run.
      const dueDates = await loadDueDateResolver(deps.deadlines);
      const workingDays = query.workingDays ?? dueDates.workingDays(query.dataset ?? '', caller.agencyCode);
      let dueDate: string;
      try {
        dueDate = dueDates.dueDate(query.from, workingDays);
      } catch (error) {
        calendarProblem(error, deps);
      }
      const years = [...new Set([query.from.slice(0, 4), dueDate.slice(0, 4)])].map(Number);
      return json(200, {
        from: query.from,
        workingDays,
        dueDate,
        decisionDayCounted: false,
        calendar: years.map((year) => ({ year, source: dueDates.calendar.sourceOf(year) })),
      });
    },
  }),
  defineRoute<z.infer<typeof calendarYearBody>>({
    method: 'PUT',
    path: '/v1/calendar/years/{year}',
    summary: "Stores a year's official holidays and adjusted working days (the State Council notice)",
    roles: ['credit-office'],
    body: calendarYearBody,
    success: { status: 200, description: 'The stored year' },
    handle: async ({ params, body, caller, deps }) => {
      const year = params.year ?? '';
      if (!/^\d{4}$/.test(year)) throw new ProblemError(400, 'INVALID_YEAR', 'the year is four digits');
      const outside = body.days.filter((day) => !day.date.startsWith(`${year}-`));
      if (outside.length > 0) {
        throw new ProblemError(
          400,
          'DATE_OUTSIDE_YEAR',
          `${outside.map((day) => day.date).join(', ')} not in ${year}`,
        );
      }
      const mode = body.mode ?? 'whole';
      let days: ReturnType<typeof assembleCalendarYear>;
      try {
        days = assembleCalendarYear(Number(year), body.days, mode);
      } catch (error) {
        calendarYearProblem(error);
      }
      await deps.deadlines.replaceCalendarYear(Number(year), days, {
        agencyCode: caller.agencyCode,
        storedAt: deps.clock.now().toISOString(),
      });
      // Records waiting for this year are decided by the next deadlines run.
      clearWorkingCalendarCache();
      return json(200, { year: Number(year), days: days.length, mode, source: 'stored' });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/deadlines/rules',
    summary: 'The deadline rules in force: defaults with the credit office overrides',
    success: { status: 200, description: 'The resolved rules and the stored overrides' },
    handle: async ({ deps }) => {
      const overrides = await deps.deadlines.ruleOverrides();
      return json(200, { rules: resolveRules(overrides), overrides: overrides ?? null });
    },
  }),
  defineRoute<z.infer<typeof ruleOverridesSchema>>({
    method: 'PUT',
    path: '/v1/deadlines/rules',
    summary: 'Replaces the deadline rule overrides (per dataset, region and agency)',
    roles: ['credit-office'],
    body: ruleOverridesSchema,
    success: { status: 200, description: 'The resolved rules' },
    handle: async ({ body, caller, deps }) => {
      await deps.deadlines.putRuleOverrides(body, caller.agencyCode, deps.clock.now().toISOString());
      return json(200, { rules: resolveRules(body), overrides: body });
    },
  }),
  defineRoute<z.infer<typeof submissionBody>>({
    method: 'POST',
    path: '/v1/report-submissions',
    summary: "Records the caller agency's quarterly report or monthly case report for a period",
    // An auditor reads; only officers of the agency file (and so may overwrite) its reports.
    roles: ['case-officer', 'credit-office'],
    body: submissionBody,
    success: { status: 201, description: 'The stored submission (a resubmission replaces it)' },
    handle: async ({ body, caller, deps }) => {
      const submission = {
        agencyCode: caller.agencyCode,
        kind: body.kind,
        period: body.period,
        ...(body.caseCount !== undefined ? { caseCount: body.caseCount } : {}),
        submittedAt: deps.clock.now().toISOString(),
        submittedBy: caller.keyId,
      };
      await deps.deadlines.putReportSubmission(submission);
      return json(201, submission);
    },
  }),
  statsRoute(
    'timeliness',
    '双公示 timeliness per agency: records, on time, late, rate against the 100% target',
    statistics.timeliness,
    z.object({
      from: isoDate,
      to: isoDate,
      daysCovered: z.number().int(),
      agencies: z.array(timelinessRow),
      total: timelinessRow.omit({ agencyCode: true, meetsTarget: true }),
    }),
  ),
  statsRoute(
    'publication',
    '双公示 publication timeliness per agency: records made public within 7 working days of the decision, late, pending a calendar, and withheld',
    statistics.publication,
    z.object({
      from: isoDate,
      to: isoDate,
      daysCovered: z.number().int(),
      agencies: z.array(publicationRow),
      total: publicationRow.omit({ agencyCode: true, meetsTarget: true }),
    }),
  ),
  statsRoute(
    'feedback',
    'Checks with measures applied, feedback given and feedback overdue, per agency',
    statistics.feedback,
  ),
  statsRoute(
    'ingestion',
    'Files and rows received per agency: jobs, failures, accepted, rejected, late',
    statistics.ingestion,
  ),
  statsRoute('checks', 'Checks and hit rate, by list type and by matter', statistics.checks),
];
