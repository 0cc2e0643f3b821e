import { describe, expect, it } from 'vitest';
import { identifySubject, type SubjectCells } from '#lib/datasets/subject';
import { computeBusinessRegistrationCheckDigit, computeUsccCheckCharacter } from '#lib/identifiers/index';
import { csv, penaltyHeader, penaltyRow, registrationNumber } from '#test/support/csv-fixtures';
import { ingestText } from './support';

// Any fixed day after every birth date the examples carry.
const TODAY = '2026-06-01';

const labels = {
  uscc: 'CF_XDR_SHXYM',
  registrationNumber: 'CF_XDR_GSZC',
  idType: 'CF_XDR_ZJLX',
  idNumber: 'CF_XDR_ZJHM',
};

const organisation = (uscc: string): SubjectCells => ({
  name: '江门市恒通实业有限公司',
  category: '法人及非法人组织',
  uscc,
});

const individualBusiness = (registration: string): SubjectCells => ({
  name: '蓬江区老陈五金店',
  category: '个体工商户',
  uscc: '00000000000000000X',
  registrationNumber: registration,
});

describe('Function: identifySubject — identifier structure', () => {
  it.each([
    ['00440700MA4UJ8T28L', 'USCC_REGISTRATION_AUTHORITY', 'registration authority code "0" at position 1'],
    ['YY440700MA4UJ8T28Q', 'USCC_ORGANISATION_CATEGORY', 'organisation category "Y" at position 2'],
    ['91ABCDEFMA4UJ8T28J', 'USCC_DIVISION_CODE', 'character "A" at position 3'],
    [
      '91440700MA4UJ8T275',
      'USCC_ORGANISATION_CODE',
      'positions 9–17 "MA4UJ8T27" are not a valid organisation code',
    ],
  ])('rejects %s with %s and a reason naming the position', (uscc, code, reason) => {
    // Prepare
    const cells = organisation(uscc);

    // Act
    const result = identifySubject(cells, labels, { today: TODAY });

    // Assess
    expect(result).toMatchObject({ ok: false, issues: [{ field: 'CF_XDR_SHXYM', value: uscc, code }] });
    expect(!result.ok && result.issues[0]?.reason).toContain(reason);
  });

  it('accepts a USCC whose division is under no known province, with the USCC_DIVISION_UNKNOWN flag', () => {
    // Prepare
    const first17 = '91990000MA4UJ8T28';
    const uscc = first17 + computeUsccCheckCharacter(first17);

    // Act
    const result = identifySubject(organisation(uscc), labels, { today: TODAY });

    // Assess
    expect(result).toMatchObject({
      ok: true,
      subject: { key: `USCC#${uscc}`, flags: ['USCC_DIVISION_UNKNOWN'] },
    });
  });

  it('rejects the 工商注册号 440700600000003 under the placeholder: its GS15 check digit is wrong', () => {
    // Prepare: the right check digit for 44070060000000 is computed, and differs from 3
    const expected = computeBusinessRegistrationCheckDigit('44070060000000');

    // Act
    const result = identifySubject(individualBusiness('440700600000003'), labels, { today: TODAY });

    // Assess
    expect(expected).not.toBe('3');
    expect(result).toEqual({
      ok: false,
      issues: [
        {
          field: 'CF_XDR_GSZC',
          value: '440700600000003',
          code: 'REGISTRATION_NUMBER_CHECK_CHARACTER',
          reason: `工商注册号: check digit at position 15 should be "${expected}" but is "3"`,
        },
      ],
    });
  });

  it.each([
    ['4407006000000', 'REGISTRATION_NUMBER_LENGTH'],
    ['44070060000000A', 'REGISTRATION_NUMBER_CHARACTER'],
  ])('rejects the 工商注册号 %s under the placeholder with %s', (registration, code) => {
    // Prepare
    const cells = individualBusiness(registration);

    // Act
    const result = identifySubject(cells, labels, { today: TODAY });

    // Assess
    expect(result).toMatchObject({ ok: false, issues: [{ field: 'CF_XDR_GSZC', code }] });
  });

  it('accepts a valid 工商注册号 under the placeholder, normalised, as the subject key', () => {
    // Prepare
    const typed = ` ${registrationNumber.slice(0, 6)} ${registrationNumber.slice(6)} `;

    // Act
    const result = identifySubject(individualBusiness(typed), labels, { today: TODAY });

    // Assess
    expect(result).toMatchObject({
      ok: true,
      subject: {
        key: `REG#${registrationNumber}`,
        registrationNumber,
        kind: 'individual-business',
        flags: [],
      },
    });
  });

  it('rejects a natural person whose ID begins with no province code (ID_REGION)', () => {
    // Prepare
    const cells: SubjectCells = {
      name: '王小明',
      category: '自然人',
      idNumber: '990105194912310026',
    };

    // Act
    const result = identifySubject(cells, labels, { today: TODAY });

    // Assess
    expect(result).toMatchObject({ ok: false, issues: [{ field: 'CF_XDR_ZJHM', code: 'ID_REGION' }] });
  });
});

describe('Dataset report: identifier warnings travel as row flags', () => {
  it('accepts the row and lists USCC_DIVISION_UNKNOWN under flaggedRows', async () => {
    // Prepare
    const first17 = '91990000MA4UJ8T28';
    const uscc = first17 + computeUsccCheckCharacter(first17);
    const body = csv([penaltyHeader, penaltyRow({ CF_XDR_SHXYM: uscc })]);

    // Act
    const { outcome } = await ingestText('admin-penalty', body);

    // Assess
    expect(outcome.counts).toMatchObject({ accepted: 1, rejected: 0 });
    expect(outcome.flaggedRows).toEqual([{ row: 2, flags: ['USCC_DIVISION_UNKNOWN'] }]);
  });

  it('rejects 91440700MA4UJ8T275 in a penalty file with the reason in the report', async () => {
    // Prepare
    const body = csv([penaltyHeader, penaltyRow({ CF_XDR_SHXYM: '91440700MA4UJ8T275' })]);

    // Act
    const { outcome } = await ingestText('admin-penalty', body);

    // Assess
    expect(outcome.rejectedRows).toMatchObject([
      { row: 2, issues: [{ field: 'CF_XDR_SHXYM', code: 'USCC_ORGANISATION_CODE' }] },
    ]);
  });
});
