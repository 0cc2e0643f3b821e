import { describe, expect, it } from 'vitest';
import { packageCalendar, WorkingCalendar } from '#lib/calendar/calendar';
import { DueDateResolver } from '#lib/deadlines/due-dates';
import { resolveRules } from '#lib/deadlines/rules';
import { notice2027 } from '#test/support/calendar-fixtures';

const penalty = (decisionDate: string, agencyCode = 'SCJG') => ({
  dataset: 'admin-penalty',
  agencyCode,
  decisionDate,
});

describe('Class: DueDateResolver', () => {
  it('gives pending-calendar, not on time, when the 7 working days run into a year without calendar', () => {
    // Prepare
    const resolver = new DueDateResolver(packageCalendar, resolveRules(undefined));
    // Act
    const timeliness = resolver.assess(penalty('2026-12-24'), '2027-03-01');
    // Assess
    expect(timeliness).toMatchObject({
      dueDate: null,
      late: false,
      timeliness: 'pending-calendar',
      pendingCalendarYear: 2027,
      workingDays: 7,
    });
  });

  it('decides the same record on a stored 2027: day 0 is the decision day, 元旦 skipped', () => {
    // Prepare
    const resolver = new DueDateResolver(new WorkingCalendar(notice2027), resolveRules(undefined));
    // Act / Assess: 12-25, 28, 29, 30, 31, (01-01…03 off), 01-04, 01-05
    expect(resolver.assess(penalty('2026-12-24'), '2027-03-01')).toMatchObject({
      dueDate: '2027-01-05',
      late: true,
      timeliness: 'late',
    });
    expect(resolver.assess(penalty('2026-12-24'), '2027-01-05')).toMatchObject({ timeliness: 'on-time' });
  });

  it("counts an agency's region override, as GET /v1/calendar/due-date does", () => {
    // Prepare: 江门 (440700) gives 3 working days for penalties; SCJG is in 江门
    const rules = resolveRules({
      regions: { '440700': { datasets: { 'admin-penalty': { workingDays: 3 } } } },
      agencies: { SCJG: { region: '440700' } },
    });
    const resolver = new DueDateResolver(packageCalendar, rules);
    // Act
    const inRegion = resolver.assess(penalty('2026-11-02'), '2026-11-06');
    const elsewhere = resolver.assess(penalty('2026-11-02', 'SWJ'), '2026-11-06');
    // Assess
    expect(inRegion).toMatchObject({ dueDate: '2026-11-05', late: true, workingDays: 3 });
    expect(elsewhere).toMatchObject({ dueDate: '2026-11-11', late: false, workingDays: 7 });
    expect(resolver.dueDate('2026-11-02', resolver.workingDays('admin-penalty', 'SCJG'))).toBe('2026-11-05');
  });

  it('gives no deadline to a dataset without a decision date', () => {
    const resolver = new DueDateResolver(packageCalendar, resolveRules(undefined));
    expect(
      resolver.assess({ dataset: 'list-entry', agencyCode: 'SWJ', decisionDate: null }, '2026-11-06'),
    ).toEqual({
      dueDate: null,
      late: false,
    });
  });
});
