import { describe, expect, it } from 'vitest';
import { MaskingLogFormatter } from '#lib/platform/observability';
import { codes } from '#test/support/csv-fixtures';

describe('Class: MaskingLogFormatter', () => {
  const formatter = new MaskingLogFormatter();
  const base = {
    awsRegion: 'cn-north-1',
    environment: '',
    logLevel: 'INFO' as const,
    timestamp: new Date('2026-11-24T02:00:00Z'),
    serviceName: 'match',
    sampleRateValue: 0,
    message: `screened ID#${codes.personId}`,
  };

  it('masks an ID in the message and in attributes, and keeps Powertools’ standard keys', () => {
    // Act
    const line = formatter
      .formatAttributes(base, { subjectKey: `ID#${codes.personId}`, nested: { ids: [codes.personId] } })
      .getAttributes();
    // Assess
    expect(line).toMatchObject({
      level: 'INFO',
      service: 'match',
      timestamp: '2026-11-24T02:00:00.000Z',
      message: 'screened ID#4407021975****4129',
      subjectKey: 'ID#4407021975****4129',
      nested: { ids: ['4407021975****4129'] },
    });
  });

  it('masks an ID in an error’s message and stack', () => {
    const line = formatter
      .formatAttributes({ ...base, message: 'failed' }, { error: new Error(`no subject ${codes.personId}`) })
      .getAttributes();
    expect(JSON.stringify(line)).not.toContain(codes.personId);
    expect(line.error).toMatchObject({ name: 'Error', message: 'no subject 4407021975****4129' });
  });
});
