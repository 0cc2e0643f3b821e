import { describe, expect, it } from 'vitest';
import { watchItem } from '#lib/aws/push-store';
import { openWatchRequestSchema, watchIdFor, watchRecord, watchStatus, watchView } from '#lib/push/watches';
import { codes } from '#test/support/csv-fixtures';

const personKey = `ID#${codes.personId}`;

describe('Function: watchIdFor', () => {
  it('gives one id per agency and case, so a check and an explicit watch on a case are one watch', () => {
    expect(watchIdFor('SCJG', 'JM-1')).toBe(watchIdFor('SCJG', 'JM-1'));
    expect(watchIdFor('SCJG', 'JM-1')).not.toBe(watchIdFor('SWJ', 'JM-1'));
    expect(watchIdFor('SCJG', 'JM-1')).toMatch(/^wch-[0-9a-f]{24}$/);
  });
});

describe('Function: watchItem', () => {
  it('sits in the subject partition and on the agency’s WATCH listing, grouped by watch id', () => {
    // Act
    const item = watchItem(
      watchRecord({
        agencyCode: 'SCJG',
        watchId: 'wch-1',
        subjectKey: personKey,
        caseRef: 'JM-1',
        openedAt: '2026-11-24T02:00:00.000Z',
        openedBy: 'request',
        until: '2026-12-31',
      }),
    );
    // Assess
    expect(item).toMatchObject({
      pk: `SUBJECT#${personKey}`,
      sk: 'WATCH#SCJG#wch-1',
      type: 'watch',
      status: 'open',
      gsi1pk: 'AGENCY#SCJG#WATCH',
      gsi1sk: `wch-1#${personKey}`,
      until: '2026-12-31',
    });
    expect(JSON.stringify(item.subject)).not.toContain(codes.personId);
  });
});

describe('Function: watchStatus / watchView', () => {
  const base = { type: 'watch', watchId: 'wch-1', caseRef: 'JM-1', subjectKey: personKey, openedAt: 'x' };

  it('is open through its until-date, expired after it, closed once closed', () => {
    expect(watchStatus({ ...base, status: 'open', until: '2026-11-24' }, '2026-11-24')).toBe('open');
    expect(watchStatus({ ...base, status: 'open', until: '2026-11-23' }, '2026-11-24')).toBe('expired');
    expect(watchStatus({ ...base, status: 'open' }, '2099-01-01')).toBe('open');
    expect(watchStatus({ ...base, status: 'closed' }, '2026-11-24')).toBe('closed');
  });

  it('shows a masked subject even for an item written without one', () => {
    const view = watchView({ ...base, status: 'open' }, '2026-11-24');
    expect(view.subject.key).toBe(`ID#${codes.personId.slice(0, 10)}****${codes.personId.slice(14)}`);
    expect(view).toMatchObject({ watchId: 'wch-1', status: 'open', openedBy: 'check' });
  });
});

describe('Schema: openWatchRequestSchema', () => {
  it('needs a subject code and a caseRef, and takes an ISO until-date', () => {
    expect(openWatchRequestSchema.safeParse({ subject: { code: 'x' }, caseRef: 'JM-1' }).success).toBe(true);
    expect(openWatchRequestSchema.safeParse({ subject: { code: 'x' } }).success).toBe(false);
    expect(
      openWatchRequestSchema.safeParse({ subject: { code: 'x' }, caseRef: 'JM-1', until: '2026/12/31' })
        .success,
    ).toBe(false);
  });
});
