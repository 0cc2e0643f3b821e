import {
  applicantOrCreditOffice,
  type CommandDefinition,
  creditOfficeOnly,
  decidingAgencyOnly,
  type StepContext,
  type Transition,
} from './commands';
import { repairErrors } from './errors';
import type { MaterialKind, RepairCase, RepairMaterial, RepairStatus } from './types';

/**
 * The commands of the repair workflow (law-and-workflows §1, Order 36 and 22号), one definition
 * each: who may run it, from which states, and what it changes. runCommand (commands.ts) stores
 * each change with its history entry in one transaction.
 */

/** Presigned upload URLs live this long (a larger file is uploaded well within it). */
export const UPLOAD_URL_SECONDS = 300;

const EDITABLE: readonly RepairStatus[] = ['DRAFT', 'RETURNED_INCOMPLETE'];
const UNDECIDED: readonly RepairStatus[] = [
  'DRAFT',
  'SUBMITTED',
  'RETURNED_INCOMPLETE',
  'ACCEPTED',
  'FORWARDED_TO_AUTHORITY',
  'EXTENDED',
];
const AWAITING_DECISION: readonly RepairStatus[] = ['FORWARDED_TO_AUTHORITY', 'EXTENDED'];

export interface MaterialRequest {
  readonly kind: MaterialKind;
  readonly fileName: string;
  readonly contentType: string;
}

export const requestMaterialUpload = (request: MaterialRequest): CommandDefinition => ({
  action: 'material-upload-requested',
  from: EDITABLE,
  authorise: applicantOrCreditOffice,
  step: async (context) => {
    const material: RepairMaterial = {
      materialId: context.deps.ids.materialId(),
      kind: request.kind,
      fileName: request.fileName,
      contentType: request.contentType,
      requestedAt: context.now,
    };
    const upload = await context.deps.materials.uploadTarget(
      context.current.applicationNo,
      material.materialId,
      material.contentType,
      UPLOAD_URL_SECONDS,
    );
    const expiresAt = new Date(Date.parse(context.now) + UPLOAD_URL_SECONDS * 1000).toISOString();
    return {
      to: context.current.status,
      patch: { materials: [...context.current.materials, material] },
      detail: { materialId: material.materialId, kind: material.kind },
      extra: { material, upload: { method: 'PUT', ...upload, expiresAt } },
    };
  },
});

/** The materials 22号 asks for: a 信用承诺书, and a power of attorney when an agent applies. */
async function missingMaterials(context: StepContext): Promise<string[]> {
  const { current, deps } = context;
  const required: MaterialKind[] = [
    'commitment',
    ...(current.applicantRole === 'agent' ? (['power-of-attorney'] as const) : []),
  ];
  const missing: string[] = [];
  for (const kind of required) {
    const candidates = current.materials.filter((material) => material.kind === kind);
    const uploaded = await Promise.all(
      candidates.map((material) => deps.materials.exists(current.applicationNo, material.materialId)),
    );
    if (!uploaded.some(Boolean)) missing.push(kind);
  }
  return missing;
}

/** Due dates from the rule set kept on the case; a null limit sets none. */
function dueAfter(context: StepContext, from: string, days: number | null | undefined): string | undefined {
  return days ? context.addWorkingDays(from, days) : undefined;
}

export const submitApplication: CommandDefinition = {
  action: 'submit',
  from: EDITABLE,
  authorise: applicantOrCreditOffice,
  step: async (context) => {
    const missing = await missingMaterials(context);
    if (missing.length > 0) throw repairErrors.materialsMissing(missing);
    const limits = context.ruleSet?.limits;
    const acceptDueAt = dueAfter(context, context.today, limits?.acceptWorkingDays);
    const applicantReplyDueAt = dueAfter(context, context.today, limits?.applicantReplyWorkingDays);
    return {
      to: 'SUBMITTED',
      patch: {
        submittedAt: context.now,
        ...(acceptDueAt ? { acceptDueAt } : {}),
        ...(applicantReplyDueAt ? { applicantReplyDueAt } : {}),
        returnReason: undefined,
      },
      detail: { acceptDueAt: acceptDueAt ?? null, applicantReplyDueAt: applicantReplyDueAt ?? null },
    };
  },
};

export const acceptApplication: CommandDefinition = {
  action: 'accept',
  from: ['SUBMITTED'],
  authorise: creditOfficeOnly,
  step: (context) => ({ to: 'ACCEPTED', patch: { acceptedAt: context.now } }),
};

export const returnApplication = (reason: string): CommandDefinition => ({
  action: 'return',
  from: ['SUBMITTED'],
  authorise: creditOfficeOnly,
  step: () => ({ to: 'RETURNED_INCOMPLETE', patch: { returnReason: reason }, reason }),
});

/** Forwarded to the deciding agency: its 3 working days run from this day (the day it receives it). */
export const forwardApplication: CommandDefinition = {
  action: 'forward',
  from: ['ACCEPTED'],
  authorise: creditOfficeOnly,
  step: (context) => {
    const due = dueAfter(context, context.today, context.ruleSet?.limits.authorityDecisionWorkingDays);
    return {
      to: 'FORWARDED_TO_AUTHORITY',
      patch: { forwardedAt: context.now, ...(due ? { authorityDecisionDueAt: due } : {}) },
      detail: { decidingAgency: context.current.decidingAgency, authorityDecisionDueAt: due ?? null },
    };
  },
};

/** The latest day anything is due on the case now: the base of an extension. */
function latestDue(current: RepairCase, today: string): string {
  return [current.extendedUntil, current.authorityDecisionDueAt, current.applicantReplyDueAt, today]
    .filter((date): date is string => date !== undefined)
    .sort()
    .reverse()[0] as string;
}

export const extendApplication = (request: { reason: string; workingDays: number }): CommandDefinition => ({
  action: 'extend',
  from: AWAITING_DECISION,
  authorise: (current, actor) => {
    if (actor.kind === 'agency' && actor.agencyCode === current.decidingAgency) return;
    creditOfficeOnly(current, actor);
  },
  step: (context) => {
    const max = context.config.extension.maxWorkingDays;
    if (request.workingDays > max) {
      throw repairErrors.forbidden(`an extension is at most ${max} working days (config/repair.json)`);
    }
    const until = context.addWorkingDays(latestDue(context.current, context.today), request.workingDays);
    const by = context.actor.kind === 'agency' ? context.actor.agencyCode : 'applicant';
    return {
      to: 'EXTENDED',
      patch: {
        extendedUntil: until,
        extensions: [
          ...context.current.extensions,
          { at: context.now, by, reason: request.reason, workingDays: request.workingDays, until },
        ],
      },
      reason: request.reason,
      detail: { workingDays: request.workingDays, extendedUntil: until },
    };
  },
});

function approval(context: StepContext, reason: string, agency: string): Transition {
  const { current } = context;
  return {
    to: 'APPROVED',
    patch: {
      decision: 'APPROVED',
      decisionReason: reason,
      decisionBy: agency,
      decidedAt: context.now,
      publicationStoppedAt: context.now,
      closedAt: context.now,
    },
    reason,
    followedBy: [
      {
        action: 'publication-stopped',
        to: 'PUBLICATION_STOPPED',
        detail: { record: current.recordRef, publicationStatus: 'STOPPED', sharingStatus: 'STOPPED' },
      },
    ],
    stop: {
      subjectKey: current.subjectKey,
      ref: current.recordRef,
      applicationNo: current.applicationNo,
      stoppedAt: context.now,
      decidedBy: agency,
    },
  };
}

/**
 * The deciding agency's decision, with its reason. Approval stops the record's publication and
 * use in the same transaction (the record and its history stay); denial keeps the record.
 */
export const decideApplication = (request: {
  decision: 'APPROVED' | 'DENIED';
  reason: string;
}): CommandDefinition => ({
  action: request.decision === 'APPROVED' ? 'approve' : 'deny',
  from: AWAITING_DECISION,
  authorise: decidingAgencyOnly,
  step: (context) => {
    const agency = context.actor.kind === 'agency' ? context.actor.agencyCode : '';
    if (request.decision === 'APPROVED') return approval(context, request.reason, agency);
    return {
      to: 'DENIED',
      patch: {
        decision: 'DENIED',
        decisionReason: request.reason,
        decisionBy: agency,
        decidedAt: context.now,
        closedAt: context.now,
      },
      reason: request.reason,
    };
  },
});

export const withdrawApplication = (reason: string | undefined): CommandDefinition => ({
  action: 'withdraw',
  from: UNDECIDED,
  authorise: applicantOrCreditOffice,
  step: (context) => ({
    to: 'WITHDRAWN',
    patch: { closedAt: context.now },
    ...(reason ? { reason } : {}),
  }),
});
