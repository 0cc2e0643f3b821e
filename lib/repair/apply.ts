import { bodyHash } from '../check/idempotency';
import { maskPersonName } from '../identifiers';
import { hashSecret, type RepairDependencies } from './deps';
import { checkEligibility } from './eligibility';
import { repairErrors } from './errors';
import type { CommandClaim, RepairableRecord } from './ports';
import { REPAIR_CONFIG, repairRuleSetFor } from './rules';
import { maskedSubjectKey, repairSubjectKey } from './subject';
import type { Actor, RepairCase, RepairChannel, RepairHistoryEntry } from './types';

export interface RepairApplicationRequest {
  readonly subjectCode: string;
  readonly record: { readonly dataset: 'admin-penalty' | 'list-entry'; readonly recordId: string };
  readonly applicantRole: 'subject' | 'agent';
  readonly applicantName: string;
  readonly applicantContact: string;
  /** Registrations by the credit office say where the application came in. */
  readonly channel?: RepairChannel;
}

/** Who files: the public (the subject or its agent) or the credit office registering for them. */
export interface Filing {
  readonly actor: Actor;
  readonly idempotencyKey?: string;
}

export interface RepairApplicationCreated {
  readonly applicationNo: string;
  /** Shown once: with the number it lets the applicant follow and complete the application. */
  readonly secret: string;
  readonly status: RepairCase['status'];
  readonly minEligibleDate: string;
  readonly ruleSet: string;
  readonly decidingAgency: string;
}

function newCase(
  deps: RepairDependencies,
  request: RepairApplicationRequest,
  found: { subjectKey: string; stored: RepairableRecord },
  secret: string,
  filing: Filing,
): RepairCase {
  const config = deps.config ?? REPAIR_CONFIG;
  const today = deps.clock.today();
  const eligibility = checkEligibility(found.stored, today, config);
  const ruleSet = repairRuleSetFor(today, config);
  if (!ruleSet) throw repairErrors.ruleSetMissing(today);
  const subject = found.stored.record.subject;
  const channel = request.channel ?? 'public-portal';
  return {
    applicationNo: deps.ids.applicationNo(today),
    secretHash: hashSecret(secret),
    version: 1,
    status: 'DRAFT',
    subjectKey: found.subjectKey,
    subject: {
      key: maskedSubjectKey(found.subjectKey),
      kind: subject.kind,
      name: subject.kind === 'person' ? maskPersonName(subject.name) : subject.name,
    },
    recordRef: found.stored.ref,
    recordSeverity: eligibility.severity,
    minEligibleDate: eligibility.minEligibleDate,
    decidingAgency: found.stored.agencyCode,
    intakeAgency:
      filing.actor.kind === 'agency' ? filing.actor.agencyCode : config.intake.publicApplicationsAgency,
    applicantRole: request.applicantRole,
    applicantName: request.applicantName,
    applicantContact: request.applicantContact,
    channel,
    ruleSet: ruleSet.id,
    applicationDate: today,
    createdAt: deps.clock.now().toISOString(),
    materials: [],
    extensions: [],
  };
}

async function replayed(
  deps: RepairDependencies,
  scope: string,
  key: string,
  hash: string,
): Promise<RepairApplicationCreated | undefined> {
  const claim = await deps.store.findClaim(scope, key);
  if (!claim) return undefined;
  if (claim.bodyHash !== hash) throw repairErrors.idempotencyKeyReused(key);
  return claim.response as RepairApplicationCreated;
}

/**
 * An application for repair of one record (DRAFT until its materials are uploaded and it is
 * submitted). Refused before the record's minEligibleDate (the not-yet-eligible RepairError, with the
 * date); the rule set in force today is stored on the case. With an Idempotency-Key, a retry gets
 * the first answer, secret included.
 */
export async function applyForRepair(
  deps: RepairDependencies,
  request: RepairApplicationRequest,
  filing: Filing,
): Promise<{ result: RepairApplicationCreated; replayed: boolean }> {
  const subjectKey = repairSubjectKey(request.subjectCode, deps.clock.today());
  const scope = `apply#${subjectKey}#${request.record.dataset}#${request.record.recordId}`;
  const hash = bodyHash({ ...request, by: filing.actor.kind });
  if (filing.idempotencyKey) {
    const earlier = await replayed(deps, scope, filing.idempotencyKey, hash);
    if (earlier) return { result: earlier, replayed: true };
  }
  const stored = await deps.records.findRecord(subjectKey, request.record);
  if (!stored) throw repairErrors.recordNotFound();
  const secret = deps.ids.secret();
  const created = newCase(deps, request, { subjectKey, stored }, secret, filing);
  const result: RepairApplicationCreated = {
    applicationNo: created.applicationNo,
    secret,
    status: created.status,
    minEligibleDate: created.minEligibleDate,
    ruleSet: created.ruleSet,
    decidingAgency: created.decidingAgency,
  };
  const history: RepairHistoryEntry = {
    seq: 1,
    at: created.createdAt,
    action: 'apply',
    from: null,
    to: 'DRAFT',
    by: filing.actor,
    detail: { channel: created.channel, ruleSet: created.ruleSet, minEligibleDate: created.minEligibleDate },
  };
  const claim: CommandClaim | undefined = filing.idempotencyKey
    ? {
        scope,
        key: filing.idempotencyKey,
        bodyHash: hash,
        applicationNo: created.applicationNo,
        response: result,
        at: created.createdAt,
      }
    : undefined;
  const outcome = await deps.store.createCase(created, history, claim);
  if (outcome === 'already-open') throw repairErrors.alreadyOpen();
  if (outcome === 'claimed' && filing.idempotencyKey) {
    const earlier = await replayed(deps, scope, filing.idempotencyKey, hash);
    if (earlier) return { result: earlier, replayed: true };
    throw repairErrors.commandAlreadyClaimed();
  }
  return { result, replayed: false };
}
