import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { z } from 'zod';
import { json } from '#functions/shared/http';
import { validateIdempotencyKey } from '#lib/check/idempotency';
import type { Caller } from '#lib/check/types';
import { publicDisclosure } from '#lib/platform/public-disclosure';
import { applyForRepair, type RepairApplicationRequest } from '#lib/repair/apply';
import { type CommandDefinition, type CommandOutcome, runCommand } from '#lib/repair/commands';
import { hashSecret } from '#lib/repair/deps';
import { publishDecision } from '#lib/repair/effects';
import { repairErrors } from '#lib/repair/errors';
import { type Actor, materialKinds, repairChannels } from '#lib/repair/types';
import { applicantView, caseView } from '#lib/repair/views';
import {
  acceptApplication,
  decideApplication,
  extendApplication,
  forwardApplication,
  type MaterialRequest,
  requestMaterialUpload,
  returnApplication,
  submitApplication,
  withdrawApplication,
} from '#lib/repair/workflow';
import type { ApiDependencies } from '../dependencies';
import { defineRoute, type Route } from '../router';

/**
 * Credit repair (信用修复): the applicant's public routes (no key; the application number and its
 * secret in `X-Application-Secret`), the credit office's intake and the deciding agency's decision.
 * Every state change is a command of lib/repair/workflow.ts, idempotent with Idempotency-Key and
 * recorded in the case's history; errors are typed in lib/repair/errors.ts and mapped in problems.ts.
 */

const publicBase = `${publicDisclosure.apiPath}/repair-applications`;
const base = '/v1/repair-applications';
const SECRET_HEADER = 'x-application-secret';

function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const found = Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return found?.[1] ?? undefined;
}

const idempotencyKeyOf = (event: APIGatewayProxyEvent) =>
  validateIdempotencyKey(header(event, 'idempotency-key'));

function agencyActor(caller: Caller): Actor {
  return { kind: 'agency', agencyCode: caller.agencyCode, keyId: caller.keyId, roles: caller.roles };
}

const text = (max: number) => z.string().trim().min(1).max(max);

const applicationSchema = z.object({
  subjectCode: text(32).describe(
    'USCC, 工商注册号 or resident ID of the subject whose record is to be repaired',
  ),
  record: z.object({
    dataset: z.enum(['admin-penalty', 'list-entry']),
    recordId: text(64).describe('The record id, as on the public record page'),
  }),
  applicantRole: z.enum(['subject', 'agent']),
  applicantName: text(100),
  applicantContact: text(100).describe('Telephone or e-mail for the answer (never shown to others)'),
});
const registrationSchema = applicationSchema.extend({ channel: z.enum(repairChannels) });
const materialSchema = z.object({
  kind: z.enum(materialKinds),
  fileName: text(200),
  contentType: z
    .string()
    .regex(/^[\w.+-]+\/[\w.+-]+$/)
    .max(100)
    .default('application/pdf'),
});
const reasonSchema = z.object({ reason: text(2000) });
const optionalReasonSchema = z.object({ reason: text(2000).optional() });
const extendSchema = z.object({ reason: text(2000), workingDays: z.number().int().min(1).max(60) });
const decisionSchema = z.object({ decision: z.enum(['APPROVED', 'DENIED']), reason: text(2000) });
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(50) });

type Application = z.infer<typeof applicationSchema>;
type Registration = z.infer<typeof registrationSchema>;

const created = z.object({
  applicationNo: z.string(),
  secret: z.string().describe('Shown once: with the number it follows and completes the application'),
  status: z.string(),
  minEligibleDate: z.string(),
  ruleSet: z.string(),
  decidingAgency: z.string(),
});

const idempotencyProblems = [
  {
    status: 400,
    code: 'INVALID_IDEMPOTENCY_KEY',
    description: 'Idempotency-Key is not 1–128 visible ASCII characters',
  },
  {
    status: 409,
    code: 'IDEMPOTENCY_KEY_REUSED',
    description: 'The Idempotency-Key was used with another request',
  },
];
const notFound = {
  status: 404,
  code: 'REPAIR_APPLICATION_NOT_FOUND',
  description: 'No application with this number (and, on public routes, this secret)',
};
const transitionProblem = {
  status: 409,
  code: 'INVALID_TRANSITION',
  description: 'The application is not in a state this step starts from (allowedFrom lists them)',
};
const commandProblems = [...idempotencyProblems, notFound, transitionProblem];
const forbidden = {
  status: 403,
  code: 'REPAIR_FORBIDDEN',
  description: 'Not this caller’s step on this case',
};

function repairDeps(deps: ApiDependencies) {
  return deps.repair();
}

async function create(
  deps: ApiDependencies,
  event: APIGatewayProxyEvent,
  body: RepairApplicationRequest,
  actor: Actor,
): Promise<APIGatewayProxyResult> {
  const { result, replayed } = await applyForRepair(repairDeps(deps), body, {
    actor,
    ...(idempotencyKeyOf(event) ? { idempotencyKey: idempotencyKeyOf(event) as string } : {}),
  });
  return json(replayed ? 200 : 201, result, { location: `${publicBase}/${result.applicationNo}` });
}

/** Runs a command and, for a decision, its effects (alerts, events) once it is stored. */
async function command(
  deps: ApiDependencies,
  event: APIGatewayProxyEvent,
  input: { applicationNo: string; actor: Actor; definition: CommandDefinition; body: unknown },
): Promise<CommandOutcome> {
  const repair = repairDeps(deps);
  const key = idempotencyKeyOf(event);
  const secret = header(event, SECRET_HEADER);
  const outcome = await runCommand(repair, input.definition, {
    applicationNo: input.applicationNo,
    actor: input.actor,
    body: input.body,
    ...(key ? { idempotencyKey: key } : {}),
    ...(secret ? { secret } : {}),
  });
  const decision = input.definition.action === 'approve' || input.definition.action === 'deny';
  if (decision && !outcome.replayed) {
    const effects = await publishDecision(repair, outcome.case);
    deps.logger.info('Repair decision published', { applicationNo: outcome.case.applicationNo, ...effects });
  }
  return outcome;
}

const applicantActor: Actor = { kind: 'applicant' };

function publicCommand<Body>(
  path: string,
  summary: string,
  body: z.ZodType<Body> | undefined,
  definition: (body: Body) => CommandDefinition,
  problems: Route['problems'] = [],
): Route {
  return defineRoute<Body>({
    method: 'POST',
    path: `${publicBase}/{applicationNo}/${path}`,
    summary: `${summary} (no key; X-Application-Secret)`,
    public: true,
    ...(body ? { body } : {}),
    success: { status: 200, description: '{ application, …step-specific fields } (the applicant view)' },
    problems: [...commandProblems, ...problems],
    handle: async ({ event, params, body: parsed, deps }) => {
      const outcome = await command(deps, event, {
        applicationNo: params.applicationNo ?? '',
        actor: applicantActor,
        definition: definition(parsed),
        body: parsed,
      });
      return json(200, { application: applicantView(outcome.case), ...outcome.extra });
    },
  });
}

function officeCommand<Body>(
  path: string,
  summary: string,
  roles: Route['roles'],
  body: z.ZodType<Body> | undefined,
  definition: (body: Body) => CommandDefinition,
  problems: Route['problems'] = [],
): Route {
  return defineRoute<Body>({
    method: 'POST',
    path: `${base}/{applicationNo}/${path}`,
    summary,
    ...(roles ? { roles } : {}),
    ...(body ? { body } : {}),
    success: { status: 200, description: '{ application, …step-specific fields } (the whole case)' },
    problems: [...commandProblems, forbidden, ...problems],
    handle: async ({ event, params, caller, body: parsed, deps }) => {
      const outcome = await command(deps, event, {
        applicationNo: params.applicationNo ?? '',
        actor: agencyActor(caller),
        definition: definition(parsed),
        body: parsed,
      });
      return json(200, { application: caseView(outcome.case), ...outcome.extra });
    },
  });
}

const eligibilityProblems = [
  {
    status: 400,
    code: 'INVALID_SUBJECT_CODE',
    description: 'subjectCode is no USCC, 工商注册号 or resident ID',
  },
  {
    status: 404,
    code: 'RECORD_NOT_FOUND',
    description: 'The subject has no penalty or list entry with this id',
  },
  { status: 409, code: 'REPAIR_ALREADY_OPEN', description: 'The record already has an open application' },
  {
    status: 422,
    code: 'REPAIR_NOT_YET_ELIGIBLE',
    description: 'Before the minimum publication period has passed: minEligibleDate says from when',
  },
  {
    status: 422,
    code: 'RECORD_NOT_REPAIRABLE',
    description: 'Withdrawn, already stopped, or not a repairable dataset',
  },
];

const submitProblems = [
  {
    status: 422,
    code: 'REPAIR_MATERIALS_MISSING',
    description: 'The commitment letter (and power of attorney) are not uploaded',
  },
];

export const repairRoutes: Route[] = [
  defineRoute<Application>({
    method: 'POST',
    path: publicBase,
    summary:
      'Apply for credit repair of one record (no key): the subject or its agent; answers a number and a secret',
    public: true,
    body: applicationSchema,
    success: {
      status: 201,
      description:
        'The application (DRAFT) with its number and secret; a replayed Idempotency-Key answers 200',
      schema: created,
    },
    problems: [...idempotencyProblems, ...eligibilityProblems],
    handle: ({ event, body, deps }) => create(deps, event, body, applicantActor),
  }),
  defineRoute({
    method: 'GET',
    path: `${publicBase}/{applicationNo}`,
    summary: 'Follow a repair application (no key; X-Application-Secret)',
    public: true,
    success: {
      status: 200,
      description: 'The applicant view: state, due date of the answer, decision and reason',
    },
    problems: [notFound],
    handle: async ({ event, params, deps }) => {
      const found = await deps.repair().store.getCase(params.applicationNo ?? '');
      const secret = header(event, SECRET_HEADER);
      if (!found || !secret || hashSecret(secret) !== found.secretHash)
        throw repairErrors.applicationNotFound();
      return json(200, applicantView(found), { 'cache-control': 'no-store' });
    },
  }),
  publicCommand<MaterialRequest>(
    'materials',
    'Attach a material: answers a presigned PUT URL (300 s)',
    materialSchema,
    requestMaterialUpload,
  ),
  publicCommand(
    'submit',
    'Submit the application once the materials are uploaded (DRAFT or RETURNED_INCOMPLETE → SUBMITTED)',
    undefined,
    () => submitApplication,
    submitProblems,
  ),
  publicCommand<{ reason?: string }>(
    'withdraw',
    'Withdraw the application before a decision (→ WITHDRAWN)',
    optionalReasonSchema,
    (body) => withdrawApplication(body.reason),
  ),
  defineRoute<Registration>({
    method: 'POST',
    path: base,
    summary: 'Register a repair application for a subject (credit office: window or 信用中国 forward)',
    roles: ['credit-office'],
    body: registrationSchema,
    success: {
      status: 201,
      description: 'The application (DRAFT) with its number and secret for the applicant',
      schema: created,
    },
    problems: [...idempotencyProblems, ...eligibilityProblems],
    handle: ({ event, caller, body, deps }) => create(deps, event, body, agencyActor(caller)),
  }),
  defineRoute<undefined, z.infer<typeof listQuery>>({
    method: 'GET',
    path: base,
    summary:
      'Repair cases, newest first: all of them (credit office, auditor) or those the calling agency decides',
    query: listQuery,
    success: { status: 200, description: '{ items: [case] }' },
    handle: async ({ caller, query, deps }) => {
      const all = caller.roles.includes('credit-office') || caller.roles.includes('auditor');
      const items = await deps.repair().store.listCases({
        limit: query.limit,
        ...(all ? {} : { decidingAgency: caller.agencyCode }),
      });
      return json(200, { items: items.map((item) => caseView(item)) });
    },
  }),
  defineRoute({
    method: 'GET',
    path: `${base}/{applicationNo}`,
    summary: 'One repair case with its whole history (credit office, auditor, the deciding agency)',
    success: { status: 200, description: 'The case and every state change: who, when, from, to, reason' },
    problems: [notFound],
    handle: async ({ caller, params, deps }) => {
      const store = deps.repair().store;
      const found = await store.getCase(params.applicationNo ?? '');
      const mayRead =
        caller.roles.includes('credit-office') ||
        caller.roles.includes('auditor') ||
        found?.decidingAgency === caller.agencyCode;
      if (!found || !mayRead) throw repairErrors.applicationNotFound();
      return json(200, caseView(found, await store.history(found.applicationNo)));
    },
  }),
  officeCommand<MaterialRequest>(
    'materials',
    'Attach a material for the applicant: answers a presigned PUT URL (credit office)',
    ['credit-office'],
    materialSchema,
    requestMaterialUpload,
  ),
  officeCommand(
    'submit',
    'Submit a registered application (credit office)',
    ['credit-office'],
    undefined,
    () => submitApplication,
    submitProblems,
  ),
  officeCommand(
    'accept',
    'Accept a submitted application (credit office: SUBMITTED → ACCEPTED)',
    ['credit-office'],
    undefined,
    () => acceptApplication,
  ),
  officeCommand<{ reason: string }>(
    'return',
    'Return an incomplete application with the reason (credit office: SUBMITTED → RETURNED_INCOMPLETE)',
    ['credit-office'],
    reasonSchema,
    (body) => returnApplication(body.reason),
  ),
  officeCommand(
    'forward',
    'Forward to the deciding agency (credit office: ACCEPTED → FORWARDED_TO_AUTHORITY; its decision is due in 3 working days)',
    ['credit-office'],
    undefined,
    () => forwardApplication,
  ),
  officeCommand<z.infer<typeof extendSchema>>(
    'extend',
    'Extend a complex case with the reason (credit office or the deciding agency: → EXTENDED)',
    ['case-officer', 'credit-office'],
    extendSchema,
    extendApplication,
  ),
  officeCommand<z.infer<typeof decisionSchema>>(
    'decision',
    'Approve or deny with the reason (the agency that reported the record: → PUBLICATION_STOPPED or DENIED)',
    ['case-officer', 'credit-office'],
    decisionSchema,
    decideApplication,
  ),
  officeCommand<{ reason?: string }>(
    'withdraw',
    'Withdraw for the applicant (credit office: → WITHDRAWN)',
    ['credit-office'],
    optionalReasonSchema,
    (body) => withdrawApplication(body.reason),
  ),
];
