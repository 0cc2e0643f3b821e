import { loadWorkingCalendar } from '../calendar/stored-calendar';
import { classifyCode } from '../check/subject-lookup';
import type { Clock } from '../clock/clock';
import type { SubjectCodeCandidate } from '../identifiers/classify';
import { type CommandInput, type CommandResult, type PreparedChange, runCommand } from './commands';
import { claimField } from './correction';
import { ObjectedRecordNotFoundError } from './errors';
import type { CalendarDaySource, ObjectionIds, ObjectionStore } from './ports';
import type { FilingRequest } from './requests';
import { objectionRules, stepDueDate } from './rules';
import { hashSecret } from './secret';
import type { ObjectedRecord, Objection, ObjectionActor, ObjectionChannel } from './types';
import { STATUS_LABELS } from './views';

/**
 * Filing an objection: by the subject online (no key), or registered by the credit office for a
 * subject at the window or forwarded by 信用中国. The record is marked in the same transaction; the
 * filer gets the application number and a secret to follow it, shown once.
 */

export interface ObjectionDependencies {
  readonly store: ObjectionStore;
  readonly calendar: CalendarDaySource;
  readonly clock: Clock;
  readonly ids: ObjectionIds;
}

export interface FilingReceipt {
  readonly applicationNo: string;
  /** Shown once: with the application number it opens GET /public/v1/applications/{no}. */
  readonly secret: string;
  readonly status: Objection['status'];
  readonly statusLabel: string;
  readonly receivedOn: string;
  readonly acceptDueDate: string;
}

const OWN_PARTITION: Partial<Record<SubjectCodeCandidate['type'], string>> = {
  uscc: 'USCC#',
  'resident-id': 'ID#',
  'business-registration-number': 'REG#',
};

/** The record under each subject key the code may stand for; the first that has it. */
async function findRecord(deps: ObjectionDependencies, request: FilingRequest): Promise<ObjectedRecord> {
  const { candidates } = classifyCode(request.subjectCode, {
    today: deps.clock.today(),
    field: 'subjectCode',
  });
  for (const candidate of candidates) {
    const prefix = OWN_PARTITION[candidate.type];
    if (!prefix) continue;
    const found = await deps.store.objectedRecord(`${prefix}${candidate.result.value}`, request.record);
    if (found) return found;
  }
  throw new ObjectedRecordNotFoundError(
    `the subject has no ${request.record.dataset} record ${request.record.recordId}`,
    [{ field: 'record.recordId', code: 'NOT_FOUND', reason: 'no such record of this subject' }],
  );
}

function contactOf(request: FilingRequest): Objection['contact'] {
  const { name, phone, email } = request.contact;
  return { name, ...(phone ? { phone } : {}), ...(email ? { email } : {}) };
}

async function prepareFiling(
  deps: ObjectionDependencies,
  request: FilingRequest,
  channel: ObjectionChannel,
  actor: ObjectionActor,
): Promise<PreparedChange<FilingReceipt>> {
  const spec = claimField(request.record.dataset, request.claim.field);
  const found = await findRecord(deps, request);
  const calendar = await loadWorkingCalendar(deps.calendar);
  const at = deps.clock.now().toISOString();
  const today = deps.clock.today();
  const secret = deps.ids.secret();
  const objection: Objection = {
    objectionId: deps.ids.applicationNumber(today),
    subjectKey: found.subjectKey,
    recordRef: found.ref,
    sourceAgency: found.agencyCode,
    claim: {
      field: spec.key,
      fieldLabel: spec.code ?? spec.nameZh,
      currentValue: request.claim.currentValue,
      assertedValue: request.claim.assertedValue,
    },
    evidence: request.evidence,
    contact: contactOf(request),
    channel,
    filedBy: actor,
    secretHash: hashSecret(secret),
    status: 'SUBMITTED',
    receivedAt: at,
    receivedOn: today,
    acceptDueDate: stepDueDate(calendar, 'accept', today, objectionRules),
    markApplied: true,
    rulesVersion: objectionRules.version,
    version: 1,
  };
  const action = actor.kind === 'subject' ? 'file' : 'register';
  return {
    change: {
      objection,
      expectedVersion: null,
      event: { objectionId: objection.objectionId, at, action, from: null, to: 'SUBMITTED', actor },
      record: {
        subjectKey: found.subjectKey,
        ref: found.ref,
        openBefore: found.openObjections,
        openAfter: [...found.openObjections, objection.objectionId],
      },
    },
    response: {
      applicationNo: objection.objectionId,
      secret,
      status: objection.status,
      statusLabel: STATUS_LABELS[objection.status],
      receivedOn: today,
      acceptDueDate: objection.acceptDueDate,
    },
    secret,
  };
}

/** Files (subject) or registers (credit office) an objection; the record is marked at once. */
export function fileObjection(
  deps: ObjectionDependencies,
  request: FilingRequest,
  options: {
    readonly channel: ObjectionChannel;
    readonly actor: ObjectionActor;
    readonly command: CommandInput;
  },
): Promise<CommandResult<FilingReceipt>> {
  return runCommand(deps.store, options.command, () =>
    prepareFiling(deps, request, options.channel, options.actor),
  );
}
