import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { entriesOfSubject } from '#lib/audit/personal-data-log';
import type { ReferenceSecret } from '#lib/audit/ports';
import { hmacSubjectReferencer, referenceKeyOf } from '#lib/audit/subject-reference';
import type { PersonalDataAccess } from '#lib/audit/types';
import { classifySubjectCode, type SubjectCodeCandidate } from '#lib/identifiers/classify';
import { codes } from '#test/support/csv-fixtures';

const today = '2026-06-01';

function candidatesOf(code: string): SubjectCodeCandidate[] {
  const classified = classifySubjectCode(code, { today });
  if (!classified.ok) throw new Error(classified.message);
  return [...classified.candidates];
}

/** A key source that counts its reads and can be told to fail. */
class CountingSecret implements ReferenceSecret {
  reads = 0;
  failNext = false;
  constructor(private readonly key: string) {}
  async read() {
    this.reads += 1;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('secret unavailable');
    }
    return this.key;
  }
}

describe('Function: hmacSubjectReferencer', () => {
  it('gives the same subject the same reference, and another subject another', async () => {
    const referencer = hmacSubjectReferencer(new CountingSecret('key-1'));
    const first = await referencer.reference(`ID#${codes.personId}`);
    expect(await referencer.reference(`ID#${codes.personId}`)).toBe(first);
    expect(await referencer.reference(`ID#${codes.legalRepId}`)).not.toBe(first);
    expect(first).toMatch(/^sub-[0-9a-f]{32}$/);
  });

  it('depends on the key: no unkeyed hash of the ID, and another key gives another reference', async () => {
    const reference = await hmacSubjectReferencer(new CountingSecret('key-1')).reference(
      `ID#${codes.personId}`,
    );
    const other = await hmacSubjectReferencer(new CountingSecret('key-2')).reference(`ID#${codes.personId}`);
    expect(other).not.toBe(reference);
    for (const value of [codes.personId, `ID#${codes.personId}`]) {
      const unkeyed = createHash('sha256').update(value).digest('hex');
      expect(reference).not.toContain(unkeyed.slice(0, 16));
    }
  });

  it('reads the key once per container, and again after a failed read', async () => {
    const secret = new CountingSecret('key-1');
    const referencer = hmacSubjectReferencer(secret);
    secret.failNext = true;
    await expect(referencer.reference('ID#1')).rejects.toThrow('secret unavailable');
    await referencer.reference('ID#1');
    await referencer.reference('ID#2');
    expect(secret.reads).toBe(2);
  });
});

describe('Function: referenceKeyOf', () => {
  it('keys a resident ID as its subject partition, the 15-digit form as the 18-digit one', () => {
    const legacy = `${codes.personId.slice(0, 6)}${codes.personId.slice(8, 17)}`;
    expect(referenceKeyOf({ candidates: candidatesOf(codes.personId) })).toBe(`ID#${codes.personId}`);
    expect(referenceKeyOf({ candidates: candidatesOf(legacy) })).toBe(`ID#${codes.personId}`);
  });

  it('keys a subject found by another code by its partition, else the code by kind, else the name', () => {
    expect(
      referenceKeyOf({
        candidates: candidatesOf(codes.companyUscc),
        subjectKey: `USCC#${codes.companyUscc}`,
      }),
    ).toBe(`USCC#${codes.companyUscc}`);
    expect(referenceKeyOf({ candidates: candidatesOf(codes.companyUscc) })).toBe(`USCC#${codes.companyUscc}`);
    expect(referenceKeyOf({ candidates: [], name: ' 王 小明 ' })).toBe(
      referenceKeyOf({ candidates: [], name: '王小明' }),
    );
  });
});

describe('Function: entriesOfSubject', () => {
  it('keeps the entries of one reference, or all without one', () => {
    const entry = (subjectRef: string): PersonalDataAccess => ({
      at: '2026-06-01T02:00:00.000Z',
      agencyCode: 'SCJG',
      keyId: 'k1',
      roles: ['case-officer'],
      action: 'check',
      subject: '4407021975****4129',
      subjectRef,
      purpose: null,
      fullView: false,
    });
    const entries = [entry('sub-a'), entry('sub-b'), entry('sub-a')];
    expect(entriesOfSubject(entries, 'sub-a')).toHaveLength(2);
    expect(entriesOfSubject(entries, undefined)).toHaveLength(3);
  });
});
