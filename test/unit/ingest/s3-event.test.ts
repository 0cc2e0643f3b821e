import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIncomingKey } from '#lib/ingest/object-key';
import { MalformedS3NotificationError, objectsCreatedIn } from '#lib/ingest/s3-event';

const sample = JSON.parse(
  readFileSync(new URL('../../../events/ingest/sqs-s3-object-created.json', import.meta.url), 'utf8'),
);

describe('Function: objectsCreatedIn', () => {
  it('decodes the URL-encoded key of an S3 notification delivered through SQS', () => {
    const [object] = objectsCreatedIn(sample.Records[0].body);
    expect(object).toMatchObject({
      bucket: 'joint-credit-local-data',
      key: 'incoming/SCJG/admin-penalty/2026年11月 处罚.csv',
      eventTime: '2026-11-24T02:15:30.000Z',
    });
  });

  it('ignores the test event S3 sends when a notification is configured', () => {
    expect(objectsCreatedIn(JSON.stringify({ Event: 's3:TestEvent', Bucket: 'b' }))).toEqual([]);
  });

  it('rejects a body that is not an S3 notification', () => {
    expect(() => objectsCreatedIn('{"hello":1}')).toThrow(MalformedS3NotificationError);
    expect(() => objectsCreatedIn('not json')).toThrow(MalformedS3NotificationError);
  });
});

describe('Function: parseIncomingKey', () => {
  it('reads agency, dataset and file name and derives the report key', () => {
    expect(parseIncomingKey('incoming/SCJG/admin-penalty/2026/11/a.csv')).toEqual({
      ok: true,
      agencyCode: 'SCJG',
      dataset: 'admin-penalty',
      fileName: '2026/11/a.csv',
      reportKey: 'reports/SCJG/admin-penalty/2026/11/a.csv.result.json',
    });
  });

  it('rejects a key outside the convention with a report under reports/_rejected/', () => {
    const parsed = parseIncomingKey('incoming/stray.csv');
    expect(parsed).toMatchObject({
      ok: false,
      reportKey: 'reports/_rejected/incoming/stray.csv.result.json',
    });
  });
});

describe('Function: parseIncomingKey — unsafe keys', () => {
  it.each([
    ['a .. segment', 'incoming/SCJG/admin-penalty/../../ZYFY/court-dishonest/evil.csv'],
    ['a . segment', 'incoming/SCJG/admin-penalty/./a.csv'],
    ['an empty segment', 'incoming/SCJG/admin-penalty//a.csv'],
    ['a control character', 'incoming/SCJG/admin-penalty/a\n.csv'],
    ['a NUL', 'incoming/SCJG/admin-penalty/a\u0000.csv'],
    ['a .. dataset', 'incoming/SCJG/../ZYFY/court-dishonest/a.csv'],
  ])('refuses %s with a report in the uploader’s own folder, as one safe segment', (_case, key) => {
    // Act
    const parsed = parseIncomingKey(key);
    // Assess
    expect(parsed).toMatchObject({ ok: false, code: 'KEY_UNSAFE', agencyCode: 'SCJG' });
    expect(parsed.reportKey.startsWith('reports/SCJG/_rejected/')).toBe(true);
    const name = parsed.reportKey.slice('reports/SCJG/_rejected/'.length);
    expect(name).not.toContain('/');
    expect([...name].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)).toBe(false);
    expect(name.endsWith('.result.json')).toBe(true);
  });

  it('keeps the report of an unsafe key without an agency folder under reports/_rejected/, as one segment', () => {
    const parsed = parseIncomingKey('incoming/../reports/ZYFY/x.csv');
    expect(parsed).toMatchObject({ ok: false, code: 'KEY_UNSAFE' });
    expect(parsed.reportKey).toMatch(/^reports\/_rejected\/[^/]+\.result\.json$/);
  });

  it('bounds the report key of a very long unsafe key', () => {
    const parsed = parseIncomingKey(`incoming/SCJG/admin-penalty/../${'长'.repeat(900)}.csv`);
    expect(parsed.reportKey.length).toBeLessThan(600);
  });
});
