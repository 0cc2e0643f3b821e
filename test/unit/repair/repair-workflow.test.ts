import { describe, expect, it } from 'vitest';
import { applyForRepair, type RepairApplicationRequest } from '#lib/repair/apply';
import { type CommandDefinition, runCommand } from '#lib/repair/commands';
import { decidedEvent, publishDecision, repairEvents } from '#lib/repair/effects';
import { checkEligibility } from '#lib/repair/eligibility';
import { RepairError } from '#lib/repair/errors';
import { overdueItemsOf } from '#lib/repair/overdue';
import { minEligibleDate, parseRepairConfig, REPAIR_CONFIG, repairRuleSetFor } from '#lib/repair/rules';
import type { Actor } from '#lib/repair/types';
import {
  acceptApplication,
  decideApplication,
  extendApplication,
  forwardApplication,
  requestMaterialUpload,
  returnApplication,
  submitApplication,
  withdrawApplication,
} from '#lib/repair/workflow';
import { companyKey, companyUscc, listEntry, penalty, repairWorld } from './in-memory';

const office: Actor = { kind: 'agency', agencyCode: 'XYB', keyId: 'key-xyb', roles: ['credit-office'] };
const scjg: Actor = { kind: 'agency', agencyCode: 'SCJG', keyId: 'key-scjg', roles: ['case-officer'] };
const swj: Actor = { kind: 'agency', agencyCode: 'SWJ', keyId: 'key-swj', roles: ['case-officer'] };
const applicant: Actor = { kind: 'applicant' };

const request: RepairApplicationRequest = {
  subjectCode: companyUscc,
  record: { dataset: 'admin-penalty', recordId: 'rec-1' },
  applicantRole: 'subject',
  applicantName: '李建国',
  applicantContact: '0750-3501234',
};

/** A world with one 一般 penalty of SCJG and an application in DRAFT made on `day`. */
async function drafted(day: string, record = penalty()) {
  const world = repairWorld(day);
  world.store.addRecord(companyKey, 'SCJG', record);
  const { result } = await applyForRepair(world.deps, request, { actor: applicant });
  const run = (definition: CommandDefinition, actor: Actor, extra: { key?: string; body?: unknown } = {}) =>
    runCommand(world.deps, definition, {
      applicationNo: result.applicationNo,
      actor,
      body: extra.body ?? null,
      ...(actor.kind === 'applicant' ? { secret: result.secret } : {}),
      ...(extra.key ? { idempotencyKey: extra.key } : {}),
    });
  const uploadCommitment = async () => {
    const { extra } = await run(
      requestMaterialUpload({
        kind: 'commitment',
        fileName: '信用承诺书.pdf',
        contentType: 'application/pdf',
      }),
      applicant,
    );
    const material = extra.material as { materialId: string };
    world.materials.uploaded.add(`${result.applicationNo}/${material.materialId}`);
  };
  return { ...world, application: result, run, uploadCommitment };
}

/** The case forwarded to SCJG: application, upload, submit, accept and forward all on `day`. */
async function forwarded(day: string) {
  const world = await drafted(day);
  await world.uploadCommitment();
  await world.run(submitApplication, applicant);
  await world.run(acceptApplication, office);
  await world.run(forwardApplication, office);
  return world;
}

/** What `run` throws, or undefined. */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (caught) {
    return caught;
  }
  return undefined;
}

describe('Module: repair rules (config/repair.json)', () => {
  it('keeps the rule set in force on the application date: Order 58 before 2026-04-01, Order 36 from it', () => {
    expect(repairRuleSetFor('2026-03-31')?.id).toBe('order-58');
    expect(repairRuleSetFor('2026-04-01')?.id).toBe('order-36');
    expect(repairRuleSetFor('2023-04-30')).toBeUndefined();
  });

  it('states every limit with its source, and refuses rule sets with a gap', () => {
    for (const set of REPAIR_CONFIG.ruleSets) expect(set.source.length).toBeGreaterThan(20);
    const gap = structuredClone(REPAIR_CONFIG);
    gap.ruleSets[1] = { ...gap.ruleSets[1]!, applicationsFrom: '2026-04-02' };
    expect(() => parseRepairConfig(gap)).toThrow(/must start where order-58 ends/);
  });

  it('is eligible the day after the minimum period, or on the decision date when there is none', () => {
    expect(minEligibleDate({ severity: '一般', displayFrom: '2026-05-15', minimumUntil: '2026-08-15' })).toBe(
      '2026-08-16',
    );
    expect(minEligibleDate({ severity: '轻微', displayFrom: '2026-05-15', minimumUntil: '2026-05-15' })).toBe(
      '2026-05-15',
    );
  });
});

describe('Function: checkEligibility', () => {
  const stored = (record = penalty()) => ({
    ref: { dataset: 'admin-penalty' as const, recordId: 'r' },
    agencyCode: 'SCJG',
    record,
  });

  it('computes the date for a 一般 penalty decided 2026-05-15 (eligible 2026-08-16) and 2026-11-30 (2027-03-01)', () => {
    const may = penalty({
      decisionDate: '2026-05-15',
      displayFrom: undefined,
      displayMinimumUntil: undefined,
      displayRuleSet: undefined,
    });
    const november = penalty({
      decisionDate: '2026-11-30',
      displayFrom: undefined,
      displayMinimumUntil: undefined,
      displayRuleSet: undefined,
    });
    expect(() => checkEligibility(stored(may), '2026-08-15')).toThrow(RepairError);
    expect(thrownBy(() => checkEligibility(stored(may), '2026-08-15'))).toMatchObject({
      code: 'not-yet-eligible',
    });
    expect(checkEligibility(stored(may), '2026-08-16').minEligibleDate).toBe('2026-08-16');
    expect(checkEligibility(stored(november), '2027-03-01')).toMatchObject({
      minEligibleDate: '2027-03-01',
      minimumUntil: '2027-02-28',
    });
  });

  it('accepts a 轻微 record on the day of its decision', () => {
    const minor = penalty({
      severity: '轻微',
      decisionDate: '2026-06-01',
      displayFrom: '2026-06-01',
      displayMinimumUntil: '2026-06-01',
      displayRuleSet: 'order-36',
    });
    expect(checkEligibility(stored(minor), '2026-06-01').minEligibleDate).toBe('2026-06-01');
  });

  it('treats a list entry as 严重: eligible a year after its listing', () => {
    const entry = {
      ref: { dataset: 'list-entry' as const, recordId: 'e' },
      agencyCode: 'SWJ',
      record: listEntry({ listedOn: '2026-04-10' }),
    };
    const error = (() => {
      try {
        checkEligibility(entry, '2026-12-01');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(RepairError);
    expect(error).toMatchObject({ code: 'not-yet-eligible', extensions: { minEligibleDate: '2027-04-11' } });
  });
});

describe('Use case: applyForRepair', () => {
  it('refuses before minEligibleDate with the date and stores nothing', async () => {
    const world = repairWorld('2026-04-30');
    world.store.addRecord(
      companyKey,
      'SCJG',
      penalty({ decisionDate: '2026-03-15', displayFrom: '2026-03-15', displayMinimumUntil: '2026-06-15' }),
    );
    await expect(applyForRepair(world.deps, request, { actor: applicant })).rejects.toMatchObject({
      name: 'RepairError',
      code: 'not-yet-eligible',
      extensions: { minEligibleDate: '2026-06-16' },
    });
    expect(world.store.cases.size).toBe(0);
  });

  it('stores the rule set in force on the application date: Order 58 before 2026-04-01, kept afterwards', async () => {
    const older = penalty({
      decisionDate: '2025-10-10',
      displayFrom: '2025-10-10',
      displayMinimumUntil: '2026-01-10',
    });
    const legacy = await drafted('2026-03-20', older);
    expect(legacy.application.ruleSet).toBe('order-58');
    legacy.time.setDay('2026-04-20');
    await legacy.uploadCommitment();
    const { case: submitted } = await legacy.run(submitApplication, applicant);
    expect(submitted).toMatchObject({ ruleSet: 'order-58', acceptDueAt: '2026-04-22' });
    expect(submitted.applicantReplyDueAt).toBeUndefined();
    expect((await drafted('2026-04-01', older)).application.ruleSet).toBe('order-36');
  });

  it('copies severity and minEligibleDate, names the source agency as decider, and the credit office as intake', async () => {
    const { store, application } = await drafted('2026-04-30');
    expect(store.cases.get(application.applicationNo)).toMatchObject({
      status: 'DRAFT',
      recordSeverity: '一般',
      minEligibleDate: '2026-04-11',
      decidingAgency: 'SCJG',
      intakeAgency: 'XYB',
      channel: 'public-portal',
      subject: { key: companyKey, name: '江门市鸿运建材有限公司' },
    });
    expect(store.cases.get(application.applicationNo)?.secretHash).not.toContain(application.secret);
  });

  it('answers a retried Idempotency-Key with the first application, and refuses a second open one', async () => {
    const world = repairWorld('2026-04-30');
    world.store.addRecord(companyKey, 'SCJG', penalty());
    const first = await applyForRepair(world.deps, request, { actor: applicant, idempotencyKey: 'k-1' });
    const again = await applyForRepair(world.deps, request, { actor: applicant, idempotencyKey: 'k-1' });
    expect(again).toEqual({ result: first.result, replayed: true });
    await expect(
      applyForRepair(
        world.deps,
        { ...request, applicantName: '王五' },
        { actor: applicant, idempotencyKey: 'k-1' },
      ),
    ).rejects.toMatchObject({ code: 'idempotency-key-reused' });
    await expect(applyForRepair(world.deps, request, { actor: applicant })).rejects.toMatchObject({
      code: 'already-open',
    });
    expect(world.store.cases.size).toBe(1);
  });
});

describe('Use case: the repair workflow', () => {
  it('due dates on the official calendar: received 2026-04-30, decision due 2026-05-08, answer due 2026-05-18', async () => {
    const { store, application } = await forwarded('2026-04-30');
    expect(store.cases.get(application.applicationNo)).toMatchObject({
      status: 'FORWARDED_TO_AUTHORITY',
      ruleSet: 'order-36',
      authorityDecisionDueAt: '2026-05-08',
      applicantReplyDueAt: '2026-05-18',
    });
  });

  it('refuses a submission without the commitment letter, and the applicant without the secret', async () => {
    const world = await drafted('2026-04-30');
    await expect(world.run(submitApplication, applicant)).rejects.toMatchObject({
      code: 'materials-missing',
    });
    await world.run(
      requestMaterialUpload({ kind: 'commitment', fileName: 'a.pdf', contentType: 'application/pdf' }),
      applicant,
    );
    await expect(world.run(submitApplication, applicant)).rejects.toMatchObject({
      extensions: { missing: ['commitment'] },
    });
    await expect(
      runCommand(world.deps, submitApplication, {
        applicationNo: world.application.applicationNo,
        actor: applicant,
        secret: 'wrong',
        body: null,
      }),
    ).rejects.toMatchObject({ code: 'application-not-found' });
  });

  it('lets only the credit office take in, and only the source agency decide (谁认定、谁修复)', async () => {
    const world = await drafted('2026-04-30');
    await world.uploadCommitment();
    await world.run(submitApplication, applicant);
    await expect(world.run(acceptApplication, scjg)).rejects.toMatchObject({ code: 'forbidden' });
    await world.run(acceptApplication, office);
    await expect(
      world.run(decideApplication({ decision: 'APPROVED', reason: 'x' }), scjg),
    ).rejects.toMatchObject({ code: 'invalid-transition' });
    await world.run(forwardApplication, office);
    await expect(
      world.run(decideApplication({ decision: 'APPROVED', reason: 'x' }), swj),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      world.run(decideApplication({ decision: 'APPROVED', reason: 'x' }), office),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('approval stops publication and use of the record at once and records who decided when', async () => {
    const world = await forwarded('2026-04-30');
    world.time.setDay('2026-05-06');
    const { case: decided } = await world.run(
      decideApplication({ decision: 'APPROVED', reason: '已履行全部义务并提交承诺' }),
      scjg,
    );
    expect(decided).toMatchObject({
      status: 'PUBLICATION_STOPPED',
      decision: 'APPROVED',
      decisionBy: 'SCJG',
      decisionReason: '已履行全部义务并提交承诺',
    });
    expect(decided.decidedAt).toBe('2026-05-06T04:00:00.000Z');
    expect(world.store.recordFor('rec-1')?.stop).toMatchObject({
      publicationStatus: 'STOPPED',
      sharingStatus: 'STOPPED',
      decidedBy: 'SCJG',
      applicationNo: decided.applicationNo,
    });
    const history = await world.store.history(decided.applicationNo);
    expect(history.map((entry) => `${entry.action}:${entry.to}`)).toEqual([
      'apply:DRAFT',
      'material-upload-requested:DRAFT',
      'submit:SUBMITTED',
      'accept:ACCEPTED',
      'forward:FORWARDED_TO_AUTHORITY',
      'approve:APPROVED',
      'publication-stopped:PUBLICATION_STOPPED',
    ]);
    expect(history.at(-2)?.by).toEqual(scjg);
  });

  it('denial keeps the record and stores the reason; the record may be applied for again', async () => {
    const world = await forwarded('2026-04-30');
    const { case: denied } = await world.run(
      decideApplication({ decision: 'DENIED', reason: '罚款尚未缴清' }),
      scjg,
    );
    expect(denied).toMatchObject({ status: 'DENIED', decisionReason: '罚款尚未缴清' });
    expect(world.store.recordFor('rec-1')?.stop).toBeUndefined();
    await expect(applyForRepair(world.deps, request, { actor: applicant })).resolves.toMatchObject({
      replayed: false,
    });
  });

  it('makes a retried command idempotent: same key, same answer, one history entry', async () => {
    const world = await forwarded('2026-04-30');
    const decide = decideApplication({ decision: 'APPROVED', reason: 'ok' });
    const body = { decision: 'APPROVED', reason: 'ok' };
    const first = await world.run(decide, scjg, { key: 'dec-1', body });
    const again = await world.run(decide, scjg, { key: 'dec-1', body });
    expect(again).toEqual({ ...first, replayed: true });
    await expect(
      world.run(decideApplication({ decision: 'DENIED', reason: 'no' }), scjg, {
        key: 'dec-1',
        body: { decision: 'DENIED' },
      }),
    ).rejects.toMatchObject({ code: 'idempotency-key-reused' });
    expect(
      (await world.store.history(first.case.applicationNo)).filter((entry) => entry.action === 'approve'),
    ).toHaveLength(1);
  });

  it('returns with a reason, lets the applicant resubmit, extends with a reason and withdraws', async () => {
    const world = await drafted('2026-04-30');
    await world.uploadCommitment();
    await world.run(submitApplication, applicant);
    const { case: returned } = await world.run(returnApplication('缺少完税证明'), office);
    expect(returned).toMatchObject({ status: 'RETURNED_INCOMPLETE', returnReason: '缺少完税证明' });
    await world.run(submitApplication, applicant);
    await world.run(acceptApplication, office);
    await world.run(forwardApplication, office);
    const { case: extended } = await world.run(
      extendApplication({ reason: '需现场核查', workingDays: 5 }),
      scjg,
    );
    // the latest due date (2026-05-18) + 5 working days
    expect(extended).toMatchObject({
      status: 'EXTENDED',
      extendedUntil: '2026-05-25',
      extensions: [{ by: 'SCJG', reason: '需现场核查', workingDays: 5 }],
    });
    await expect(
      world.run(extendApplication({ reason: 'x', workingDays: 11 }), office),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect((await world.run(withdrawApplication('已自行撤回'), applicant)).case.status).toBe('WITHDRAWN');
  });
});

describe('Function: publishDecision', () => {
  it('alerts open watches of the subject (credit.repaired) and emits credit.repair.decided once', async () => {
    const world = await forwarded('2026-04-30');
    world.store.watches.set(companyKey, [
      { watchId: 'w-open', agencyCode: 'ZJJ', caseRef: 'ZB-2026-7' },
      { watchId: 'w-ended', agencyCode: 'ZJJ', until: '2026-04-01' },
    ]);
    const { case: decided } = await world.run(
      decideApplication({ decision: 'APPROVED', reason: 'ok' }),
      scjg,
    );
    const effects = await publishDecision(world.deps, decided);
    const again = await publishDecision(world.deps, decided);

    expect(effects).toEqual({ alertsCreated: 1, eventsPublished: 2, eventsFailed: 0 });
    expect(again.alertsCreated).toBe(0);
    const [alert] = [...world.alerts.alerts.values()];
    expect(alert).toMatchObject({
      watchId: 'w-open',
      agencyCode: 'ZJJ',
      change: 'credit-repaired',
      hit: { entryId: 'rec-1', listTypeCode: 'admin-penalty' },
      repair: { applicationNo: decided.applicationNo, decidedBy: 'SCJG' },
    });
    expect(world.alerts.outbox.size).toBe(0);
    expect(world.alerts.published.map((event) => event.detailType)).toEqual([
      repairEvents.decided,
      'credit.repaired',
      repairEvents.decided,
    ]);
    expect(JSON.stringify(decidedEvent(decided).detail)).not.toContain('0750-3501234');
  });
});

describe('Function: overdueItemsOf', () => {
  it('is quiet on the due day and reports the day after, to the credit office and the deciding agency', async () => {
    const world = await forwarded('2026-04-30');
    const repair = world.store.cases.get(world.application.applicationNo)!;
    expect(overdueItemsOf(repair, '2026-05-08')).toEqual([]);
    expect(
      overdueItemsOf(repair, '2026-05-09').map((item) => [item.type, item.agencyCode, item.dueDate]),
    ).toEqual([
      ['repair-decision-overdue', 'XYB', '2026-05-08'],
      ['repair-decision-overdue', 'SCJG', '2026-05-08'],
    ]);
    expect(overdueItemsOf(repair, '2026-05-19').map((item) => item.type)).toContain('repair-reply-overdue');
  });
});
