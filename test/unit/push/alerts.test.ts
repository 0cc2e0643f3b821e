import { describe, expect, it } from 'vitest';
import { alertItem, outboxItem } from '#lib/aws/push-store';
import type { ListEntryRecord } from '#lib/datasets/index';
import type { StoredListEntry } from '#lib/matching/screen';
import {
  alertEvent,
  alertFromItem,
  alertHit,
  alertIdFor,
  alertSubject,
  buildAlert,
  maskSubjectKey,
} from '#lib/push/alerts';
import { codes } from '#test/support/csv-fixtures';

const companyKey = `USCC#${codes.companyUscc}`;
const personKey = `ID#${codes.personId}`;

function storedEntry(overrides: Partial<ListEntryRecord> = {}): StoredListEntry {
  return {
    entryId: 'e1',
    agencyCode: 'SWJ',
    record: {
      dataset: 'list-entry',
      subject: {
        key: companyKey,
        kind: 'organisation',
        name: '江门市鸿运建材有限公司',
        uscc: codes.companyUscc,
        flags: [],
      } as ListEntryRecord['subject'],
      listTypeCode: 'HMD-SW-ZDSSWF',
      basis: '《重大税收违法失信主体信息公布管理办法》第六条',
      decidingDepartment: '国家税务总局江门市税务局',
      listedOn: '2026-03-18',
      validUntil: '2029-03-17',
      reason: '虚开增值税专用发票',
      agencyCode: 'SWJ',
      ...overrides,
    },
  };
}

function sampleAlert(change: 'hit-started' | 'hit-ended' = 'hit-started') {
  return buildAlert({
    watch: { watchId: 'wch-1', agencyCode: 'SCJG', caseRef: 'JM-2026-0099' },
    subjectKey: companyKey,
    subject: alertSubject(companyKey, storedEntry().record.subject),
    hit: alertHit('e1', storedEntry()),
    change,
    date: '2026-11-24',
    createdAt: '2026-11-24T02:00:00.000Z',
  });
}

describe('Function: maskSubjectKey', () => {
  it('masks the birth month and day of a natural person’s ID number', () => {
    expect(maskSubjectKey(personKey)).toBe(
      `ID#${codes.personId.slice(0, 10)}****${codes.personId.slice(14)}`,
    );
  });

  it('leaves organisations’ codes as they are (they are public)', () => {
    expect(maskSubjectKey(companyKey)).toBe(companyKey);
    expect(maskSubjectKey('REG#440703000012345')).toBe('REG#440703000012345');
  });

  it('shows only the last four characters of another identity document', () => {
    expect(maskSubjectKey('DOC#护照#E12345678')).toBe('DOC#护照#*****5678');
  });
});

describe('Function: alertSubject', () => {
  it('masks a natural person’s name and key', () => {
    // Act
    const subject = alertSubject(personKey, {
      key: personKey,
      kind: 'person',
      name: '欧阳明华',
      idNumber: codes.personId,
      flags: [],
    } as unknown as ListEntryRecord['subject']);
    // Assess
    expect(subject).toEqual({ key: maskSubjectKey(personKey), kind: 'person', name: '欧阳**' });
    expect(JSON.stringify(subject)).not.toContain(codes.personId);
  });

  it('shows only the masked key of a subject with no data yet', () => {
    expect(alertSubject(personKey, undefined)).toEqual({ key: maskSubjectKey(personKey) });
  });
});

describe('Function: alertIdFor', () => {
  it('gives the same id for the same watch, entry and change, and another for anything else', () => {
    const id = alertIdFor('wch-1', 'e1', 'hit-started');
    expect(alertIdFor('wch-1', 'e1', 'hit-started')).toBe(id);
    expect(id).toMatch(/^alt-[0-9a-f]{24}$/);
    expect(
      new Set([
        id,
        alertIdFor('wch-1', 'e1', 'hit-ended'),
        alertIdFor('wch-2', 'e1', 'hit-started'),
        alertIdFor('wch-1', 'e2', 'hit-started'),
      ]).size,
    ).toBe(4);
  });
});

describe('Function: buildAlert', () => {
  it('explains the hit: list type, period, deciding department, basis and reason', () => {
    expect(sampleAlert()).toEqual({
      alertId: alertIdFor('wch-1', 'e1', 'hit-started'),
      agencyCode: 'SCJG',
      watchId: 'wch-1',
      caseRef: 'JM-2026-0099',
      subject: { key: companyKey, kind: 'organisation', name: '江门市鸿运建材有限公司' },
      hit: {
        entryId: 'e1',
        listTypeCode: 'HMD-SW-ZDSSWF',
        listedOn: '2026-03-18',
        validUntil: '2029-03-17',
        decidingDepartment: '国家税务总局江门市税务局',
        basis: '《重大税收违法失信主体信息公布管理办法》第六条',
        reason: '虚开增值税专用发票',
      },
      change: 'hit-started',
      date: '2026-11-24',
      createdAt: '2026-11-24T02:00:00.000Z',
    });
  });

  it('carries the removal date of an ended hit, and an unknown list type when the entry is gone', () => {
    expect(alertHit('e1', storedEntry({ removedOn: '2026-11-20' })).removedOn).toBe('2026-11-20');
    expect(alertHit('gone', undefined)).toEqual({ entryId: 'gone', listTypeCode: 'unknown' });
  });
});

describe('Function: alertItem / outboxItem (the adapter’s item shapes)', () => {
  it('lists the alert under its agency, newest first by creation time, and reads back as the same alert', () => {
    // Prepare
    const alert = sampleAlert();
    // Act
    const item = alertItem(alert, companyKey);
    // Assess
    expect(item).toMatchObject({
      pk: `ALERT#${alert.alertId}`,
      sk: 'ALERT',
      type: 'alert',
      gsi1pk: 'AGENCY#SCJG#ALERT',
      gsi1sk: `2026-11-24T02:00:00.000Z#${alert.alertId}`,
      subjectKey: companyKey,
      listTypeCode: 'HMD-SW-ZDSSWF',
      change: 'hit-started',
    });
    expect(alertFromItem(item)).toEqual(alert);
  });

  it('keeps the outbox entry in the subject partition, where the next screening finds it', () => {
    const alert = sampleAlert('hit-ended');
    const item = outboxItem(alert, companyKey);
    expect(item).toEqual({
      pk: `SUBJECT#${companyKey}`,
      sk: `OUTBOX#${alert.alertId}`,
      type: 'outbox',
      alert,
    });
    expect(alertFromItem(item)).toEqual(alert);
  });
});

describe('Function: alertEvent', () => {
  it('is a credit.alert event from joint-credit.match with the alert as detail, timed at its creation', () => {
    // Prepare
    const alert = sampleAlert();
    // Act
    const event = alertEvent(alert);
    // Assess
    expect(event).toEqual({
      id: alert.alertId,
      source: 'joint-credit.match',
      detailType: 'credit.alert',
      detail: alert,
      time: new Date('2026-11-24T02:00:00.000Z'),
    });
    expect(JSON.parse(JSON.stringify(event.detail))).toMatchObject({
      agencyCode: 'SCJG',
      change: 'hit-started',
    });
  });
});
