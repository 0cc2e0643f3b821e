import { describe, expect, it } from 'vitest';
import { personWatchItem, personWatchOf, watchItem } from '#lib/aws/push-store';
import {
  openWatchRequestSchema,
  watchedPersonName,
  watchIdFor,
  watchRecord,
  watchStatus,
  watchView,
} from '#lib/push/watches';
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

describe('Function: personWatchItem', () => {
  const opened = {
    agencyCode: 'SCJG',
    watchId: 'wch-1',
    caseRef: 'JM-1',
    openedAt: '2026-11-24T02:00:00.000Z',
    openedBy: 'request' as const,
  };

  it('files a named person watch under its division code, sorted by the full ID, and keeps the name off the watch item', () => {
    // Prepare
    const record = watchRecord({
      ...opened,
      subjectKey: personKey,
      personName: '王小明',
      until: '2026-12-31',
    });
    // Act
    const index = personWatchItem(record);
    // Assess
    expect(index).toMatchObject({
      pk: 'WATCHED-ID#440702',
      sk: `${codes.personId}#SCJG#wch-1`,
      type: 'person-watch',
      residentId: codes.personId,
      personName: '王小明',
      until: '2026-12-31',
    });
    expect(index && personWatchOf(index)).toEqual({
      watchId: 'wch-1',
      agencyCode: 'SCJG',
      caseRef: 'JM-1',
      subjectKey: personKey,
      residentId: codes.personId,
      personName: '王小明',
      until: '2026-12-31',
      subject: { key: 'ID#4407021975****4129' },
    });
    expect(JSON.stringify(watchItem(record))).not.toContain('王小明');
  });

  it('has none for an organisation or a person watched without a name', () => {
    expect(
      personWatchItem(
        watchRecord({ ...opened, subjectKey: `USCC#${codes.companyUscc}`, personName: '某公司' }),
      ),
    ).toBeUndefined();
    expect(personWatchItem(watchRecord({ ...opened, subjectKey: personKey }))).toBeUndefined();
  });
});

describe('Function: watchedPersonName', () => {
  it('takes the name given, else the person’s known name, and none for an organisation', () => {
    const known = { key: personKey, kind: 'person' as const, name: '王小明', flags: [] };
    expect(watchedPersonName(personKey, '王晓明', known)).toBe('王晓明');
    expect(watchedPersonName(personKey, undefined, known)).toBe('王小明');
    expect(watchedPersonName(personKey, undefined, undefined)).toBeUndefined();
    expect(watchedPersonName(`USCC#${codes.companyUscc}`, '某公司', undefined)).toBeUndefined();
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
