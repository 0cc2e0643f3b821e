import { beforeEach, describe, expect, it } from 'vitest';
import { IdempotencyKeyReusedError } from '#lib/check/errors';
import type { Caller } from '#lib/check/types';
import { clockOf } from '#lib/clock/clock';
import { objectionDeadlines } from '#lib/objections/deadlines';
import {
  acceptObjection,
  answerObjection,
  forwardObjection,
  resolveObjection,
  returnObjection,
  withdrawObjection,
} from '#lib/objections/decisions';
import {
  FieldNotCorrectableError,
  ObjectedRecordNotFoundError,
  ObjectionNotFoundError,
  ObjectionStateError,
  UnknownClaimFieldError,
} from '#lib/objections/errors';
import { fileObjection, type ObjectionDependencies } from '#lib/objections/filing';
import { applicationStatus, listObjections, readObjection } from '#lib/objections/reading';
import type { FilingRequest } from '#lib/objections/requests';
import { hashSecret } from '#lib/objections/secret';
import { codes } from '#test/support/csv-fixtures';
import { penalty } from '../disclosure/fixtures';
import { MemoryCalendar, MemoryObjectionStore, sequentialIds } from './memory-store';

const subjectKey = `USCC#${codes.companyUscc}`;
const ref = { dataset: 'admin-penalty' as const, recordId: 'rec-1' };
const office: Caller = { agencyCode: 'XYB', keyId: 'key-office', roles: ['credit-office'] };
const scjg: Caller = { agencyCode: 'SCJG', keyId: 'key-scjg', roles: ['case-officer'] };
const swj: Caller = { agencyCode: 'SWJ', keyId: 'key-swj', roles: ['case-officer'] };
const auditor: Caller = { agencyCode: 'AUD', keyId: 'key-aud', roles: ['auditor'] };

/** 10:00 in Shanghai on a day. */
const morningOf = (day: string) => `${day}T02:00:00Z`;

let store: MemoryObjectionStore;
let now: string;
let deps: ObjectionDependencies;

function filing(overrides: Partial<FilingRequest> = {}): FilingRequest {
  return {
    subjectCode: codes.companyUscc,
    contact: { name: '陈小明', phone: '13800138000' },
    record: ref,
    claim: { field: 'CF_NR_FK', currentValue: '8', assertedValue: '0.8' },
    evidence: '缴款书显示罚款为0.8万元',
    ...overrides,
  };
}

const noKey = (scope: string, body: unknown = {}) => ({ scope, body });
const withKey = (scope: string, key: string, body: unknown) => ({ scope, idempotencyKey: key, body });

async function fileOne(request = filing()) {
  return fileObjection(deps, request, {
    channel: 'online',
    actor: { kind: 'subject' },
    command: noKey('public', request),
  });
}

/** Filed, accepted and forwarded on the given day; returns the application number. */
async function forwardedOn(day: string): Promise<string> {
  now = morningOf(day);
  const { response } = await fileOne();
  await acceptObjection(deps, response.applicationNo, office, noKey('XYB#key-office'));
  await forwardObjection(deps, response.applicationNo, office, noKey('XYB#key-office'));
  return response.applicationNo;
}

beforeEach(() => {
  store = new MemoryObjectionStore().addRecord(subjectKey, ref, 'SCJG', { ...penalty() });
  now = morningOf('2026-04-30');
  deps = { store, calendar: new MemoryCalendar(), clock: clockOf(() => new Date(now)), ids: sequentialIds() };
});

describe('Function: fileObjection', () => {
  it('files on 2026-04-30, marks the record in the same change, and is due for acceptance on 2026-05-07 (劳动节)', async () => {
    // Act
    const { response, replayed } = await fileOne();

    // Assess: 05-01 to 05-05 are holidays, so +2 working days is Thursday 05-07
    expect(replayed).toBe(false);
    expect(response).toEqual({
      applicationNo: 'YY-20260430-0001',
      secret: 'secret-1',
      status: 'SUBMITTED',
      statusLabel: '已提交，待受理',
      receivedOn: '2026-04-30',
      acceptDueDate: '2026-05-07',
    });
    expect(store.record(subjectKey, ref)).toMatchObject({
      objectionOpen: true,
      openObjections: ['YY-20260430-0001'],
    });
    const stored = store.objections.get('YY-20260430-0001')!;
    expect(stored).toMatchObject({
      sourceAgency: 'SCJG',
      claim: { field: 'fineAmount', fieldLabel: 'CF_NR_FK' },
    });
    expect(stored.secretHash).toBe(hashSecret('secret-1'));
    expect(JSON.stringify(stored)).not.toContain('secret-1');
  });

  it('refuses a record the subject does not have and a field the dataset does not have', async () => {
    await expect(fileOne(filing({ record: { dataset: 'admin-penalty', recordId: 'nope' } }))).rejects.toThrow(
      ObjectedRecordNotFoundError,
    );
    await expect(
      fileOne(filing({ claim: { field: 'CF_NOPE', currentValue: '', assertedValue: 'x' } })),
    ).rejects.toThrow(UnknownClaimFieldError);
    expect(store.commits).toBe(0);
  });

  it('replays a retried filing with the same Idempotency-Key: same number and secret, one objection; another body is 409', async () => {
    const request = filing();
    const run = (body: FilingRequest) =>
      fileObjection(deps, body, {
        channel: 'online',
        actor: { kind: 'subject' },
        command: withKey('public', 'file-1', body),
      });

    const first = await run(request);
    const again = await run(request);

    expect(again).toEqual({ response: first.response, replayed: true });
    expect(store.objections.size).toBe(1);
    // The stored answer holds the secret only sealed
    expect(JSON.stringify([...store.commands.values()])).not.toContain(first.response.secret);
    await expect(run(filing({ evidence: 'another text' }))).rejects.toThrow(IdempotencyKeyReusedError);
  });
});

describe('Function: the workflow after filing', () => {
  it('accept → forward: the source reply filed and forwarded 2026-04-30 is due 2026-05-18 (05-09 is a working Saturday)', async () => {
    const id = await forwardedOn('2026-04-30');

    const objection = store.objections.get(id)!;
    expect(objection).toMatchObject({
      status: 'FORWARDED_TO_SOURCE',
      acceptedOn: '2026-04-30',
      platformCheckDueDate: '2026-05-07',
      forwardedTo: 'SCJG',
      sourceReplyDueDate: '2026-05-18',
    });
    expect((await store.history(id)).map((event) => [event.action, event.to])).toEqual([
      ['file', 'SUBMITTED'],
      ['accept', 'PLATFORM_CHECK'],
      ['forward', 'FORWARDED_TO_SOURCE'],
    ]);
  });

  it('CORRECTED by the source agency writes a new version with the asserted value, keeps the old one, and clears the mark', async () => {
    const id = await forwardedOn('2026-04-30');
    now = morningOf('2026-05-08');

    const { response } = await answerObjection(
      deps,
      id,
      scjg,
      { outcome: 'CORRECTED' },
      noKey('SCJG#key-scjg'),
    );

    const record = store.record(subjectKey, ref);
    expect(response).toMatchObject({ status: 'CLOSED', outcome: 'CORRECTED', closedOn: '2026-05-08' });
    expect(record.record.fineAmount).toBe(0.8);
    expect(record.versions.map((version) => version.fineAmount)).toEqual([8, 0.8]);
    expect(record).toMatchObject({ objectionOpen: false, openObjections: [] });
    expect(store.objections.get(id)?.correction).toMatchObject({
      field: 'fineAmount',
      previousValue: 8,
      value: 0.8,
    });
  });

  it('CORRECTED keeps the correction beside the record (the value the source sent, the corrected one), so that a re-submission of the wrong value keeps it', async () => {
    const first = await forwardedOn('2026-04-30');
    now = morningOf('2026-05-08');
    await answerObjection(deps, first, scjg, { outcome: 'CORRECTED' }, noKey('SCJG#key-scjg'));
    const second = await forwardedOn('2026-05-11');
    await answerObjection(
      deps,
      second,
      scjg,
      { outcome: 'CORRECTED', correctedValue: '0.08' },
      noKey('SCJG#key-scjg'),
    );

    // Corrected twice: the value found wrong is still what the source sent, not the first correction.
    expect(store.record(subjectKey, ref).corrections).toEqual({
      fineAmount: {
        objectionId: second,
        sourceValue: 8,
        value: 0.08,
        correctedAt: '2026-05-11T02:00:00.000Z',
      },
    });
  });

  it('a correction computed from a record a re-submission changed meanwhile is computed again from the new one', async () => {
    const id = await forwardedOn('2026-04-30');
    store.interfere = () => {
      const record = store.record(subjectKey, ref);
      record.record = { ...record.record, fineAmount: 9, facts: '复检确认' };
    };

    await answerObjection(deps, id, scjg, { outcome: 'CORRECTED' }, noKey('SCJG#key-scjg'));

    expect(store.record(subjectKey, ref).record).toMatchObject({ fineAmount: 0.8, facts: '复检确认' });
    expect(store.record(subjectKey, ref).corrections?.fineAmount).toMatchObject({
      sourceValue: 9,
      value: 0.8,
    });
  });

  it('UPHELD clears the mark and leaves the record as it was', async () => {
    const id = await forwardedOn('2026-04-30');

    await answerObjection(
      deps,
      id,
      scjg,
      { outcome: 'UPHELD', reason: '罚款金额与决定书一致' },
      noKey('SCJG#key-scjg'),
    );

    expect(store.record(subjectKey, ref)).toMatchObject({
      objectionOpen: false,
      versions: [expect.anything()],
    });
    expect(store.objections.get(id)).toMatchObject({ outcome: 'UPHELD', reason: '罚款金额与决定书一致' });
  });

  it('lets only the source agency answer: another agency gets not-found, and sees none of it', async () => {
    const id = await forwardedOn('2026-04-30');

    await expect(
      answerObjection(deps, id, swj, { outcome: 'UPHELD', reason: 'x' }, noKey('SWJ#key-swj')),
    ).rejects.toThrow(ObjectionNotFoundError);
    await expect(readObjection(store, swj, id)).rejects.toThrow(ObjectionNotFoundError);
    expect((await listObjections(store, swj)).objections).toEqual([]);
    expect((await listObjections(store, scjg)).objections.map((o) => o.objectionId)).toEqual([id]);
    expect((await listObjections(store, auditor)).objections).toHaveLength(1);
  });

  it('masks the contact for the source agency and the auditor, shows it to the credit office', async () => {
    const id = await forwardedOn('2026-04-30');

    expect((await readObjection(store, scjg, id)).contact).toEqual({ name: '陈**', phone: '138****8000' });
    expect((await readObjection(store, auditor, id)).contact.phone).toBe('138****8000');
    expect((await readObjection(store, office, id)).contact.phone).toBe('13800138000');
    expect(JSON.stringify(await readObjection(store, office, id))).not.toContain('secretHash');
  });

  it('refuses a command in the wrong state (accepting twice) and a correction of a field that is not correctable', async () => {
    const id = await forwardedOn('2026-04-30');
    await expect(acceptObjection(deps, id, office, noKey('XYB#key-office'))).rejects.toThrow(
      ObjectionStateError,
    );

    now = morningOf('2026-05-06');
    const { response } = await fileOne(
      filing({ claim: { field: 'CF_JDRQ', currentValue: '2026-11-12', assertedValue: '2026-11-13' } }),
    );
    await acceptObjection(deps, response.applicationNo, office, noKey('XYB#key-office'));
    await forwardObjection(deps, response.applicationNo, office, noKey('XYB#key-office'));
    await expect(
      answerObjection(deps, response.applicationNo, scjg, { outcome: 'CORRECTED' }, noKey('SCJG#key-scjg')),
    ).rejects.toThrow(FieldNotCorrectableError);
  });

  it('keeps the mark while another objection on the record is still open', async () => {
    const first = await forwardedOn('2026-04-30');
    const second = (await fileOne()).response.applicationNo;

    await answerObjection(deps, first, scjg, { outcome: 'UPHELD', reason: '一致' }, noKey('SCJG#key-scjg'));
    expect(store.record(subjectKey, ref)).toMatchObject({ objectionOpen: true, openObjections: [second] });

    await returnObjection(deps, second, office, '重复申请', noKey('XYB#key-office'));
    expect(store.record(subjectKey, ref)).toMatchObject({ objectionOpen: false, openObjections: [] });
  });

  it('re-reads and retries when a concurrent change moved the record', async () => {
    const first = await forwardedOn('2026-04-30');
    store.interfere = () => {
      store.record(subjectKey, ref).openObjections.push('YY-OTHER');
    };

    await answerObjection(deps, first, scjg, { outcome: 'UPHELD', reason: '一致' }, noKey('SCJG#key-scjg'));

    expect(store.record(subjectKey, ref).openObjections).toEqual(['YY-OTHER']);
  });

  it('replays an answer retried with its Idempotency-Key instead of refusing the closed state', async () => {
    const id = await forwardedOn('2026-04-30');
    const body = { outcome: 'UPHELD' as const, reason: '一致' };
    const command = withKey('SCJG#key-scjg', 'answer-1', { id, ...body });

    const first = await answerObjection(deps, id, scjg, body, command);
    const again = await answerObjection(deps, id, scjg, body, command);

    expect(again).toEqual({ response: first.response, replayed: true });
    expect((await store.history(id)).filter((event) => event.action === 'answer')).toHaveLength(1);
  });

  it('the credit office records UNRESOLVED only once the source agency’s date has passed', async () => {
    const id = await forwardedOn('2026-04-30');
    const unresolved = { outcome: 'UNRESOLVED' as const, reason: '来源单位逾期未答复' };
    now = morningOf('2026-05-18');
    await expect(resolveObjection(deps, id, office, unresolved, noKey('XYB#key-office'))).rejects.toThrow(
      ObjectionStateError,
    );

    now = morningOf('2026-05-19');
    const { response } = await resolveObjection(deps, id, office, unresolved, noKey('XYB#key-office'));
    expect(response).toMatchObject({ status: 'CLOSED', outcome: 'UNRESOLVED' });
  });
});

describe('Function: the filer’s view', () => {
  it('shows status with the secret, masked and without internals; a wrong secret is the same not-found', async () => {
    const { response } = await fileOne();

    const status = await applicationStatus(store, response.applicationNo, response.secret);

    expect(status).toEqual({
      applicationNo: response.applicationNo,
      kind: 'objection',
      status: 'SUBMITTED',
      statusLabel: '已提交，待受理',
      receivedOn: '2026-04-30',
      record: ref,
      claimField: 'CF_NR_FK',
      nextStepDueDate: '2026-05-07',
      contact: { name: '陈**', phone: '138****8000' },
    });
    await expect(applicationStatus(store, response.applicationNo, 'wrong')).rejects.toThrow(
      ObjectionNotFoundError,
    );
    await expect(applicationStatus(store, 'YY-NONE', response.secret)).rejects.toThrow(
      ObjectionNotFoundError,
    );
  });

  it('withdraws with the secret: closed as WITHDRAWN and the mark removed', async () => {
    const { response } = await fileOne();

    const withdrawn = await withdrawObjection(deps, response.applicationNo, response.secret, noKey('public'));

    expect(withdrawn.response).toMatchObject({
      status: 'CLOSED',
      outcome: 'WITHDRAWN',
      outcomeLabel: '申请人已撤回',
    });
    expect(store.record(subjectKey, ref).objectionOpen).toBe(false);
    await expect(withdrawObjection(deps, response.applicationNo, 'wrong', noKey('public'))).rejects.toThrow(
      ObjectionNotFoundError,
    );
  });
});

describe('Function: objectionDeadlines', () => {
  it('reports each open step after its last day: acceptance to the credit office, the answer to the source agency', async () => {
    const forwarded = await forwardedOn('2026-04-30');
    now = morningOf('2026-05-06');
    const waiting = (await fileOne()).response.applicationNo;
    const source = objectionDeadlines(store, 'XYB');

    // 05-08 is the last day of the acceptance filed 05-06; the reply is due 05-18
    expect(await source.overdueOn('2026-05-08')).toEqual([]);
    const items = await source.overdueOn('2026-05-19');

    expect(items).toEqual([
      expect.objectContaining({
        type: 'objection-overdue',
        agencyCode: 'SCJG',
        reference: forwarded,
        dueDate: '2026-05-18',
      }),
      expect.objectContaining({
        type: 'objection-overdue',
        agencyCode: 'XYB',
        reference: waiting,
        dueDate: '2026-05-08',
      }),
    ]);
  });
});
