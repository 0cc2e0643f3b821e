import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { z } from 'zod';
import { json } from '#functions/shared/http';
import { validateIdempotencyKey } from '#lib/check/idempotency';
import type { Caller } from '#lib/check/types';
import type { CommandInput, CommandResult } from '#lib/objections/commands';
import {
  acceptObjection,
  answerObjection,
  commandScope,
  forwardObjection,
  resolveObjection,
  returnObjection,
  withdrawObjection,
} from '#lib/objections/decisions';
import { fileObjection, type ObjectionDependencies } from '#lib/objections/filing';
import { applicationStatus, listObjections, readObjection } from '#lib/objections/reading';
import {
  type AnswerRequest,
  answerSchema,
  type FilingRequest,
  filingSchema,
  type ReasonRequest,
  type RegistrationRequest,
  type ResolutionRequest,
  reasonSchema,
  registrationSchema,
  resolutionSchema,
} from '#lib/objections/requests';
import { objectionStatuses } from '#lib/objections/types';
import { publicDisclosure } from '#lib/platform/public-disclosure';
import type { ApiDependencies } from '../dependencies';
import { defineRoute, type Route } from '../router';

/**
 * The objection (异议) workflow: filing by the subject without a key, registration, acceptance,
 * forwarding and resolution by the credit office, the source agency's answer on its own records,
 * and reading. Every POST is a command: send Idempotency-Key to make a retry return the first answer.
 * Rules and states: lib/objections; docs/objections-and-repair.md.
 */

const SECRET_HEADER = 'x-application-secret';

function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const found = Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return found?.[1] ?? undefined;
}

function useCase(deps: ApiDependencies): ObjectionDependencies {
  return { store: deps.objections, calendar: deps.deadlines, clock: deps.clock, ids: deps.objectionIds };
}

function command(event: APIGatewayProxyEvent, scope: string, body: unknown): CommandInput {
  const key = validateIdempotencyKey(header(event, 'idempotency-key'));
  return { scope, body, ...(key ? { idempotencyKey: key } : {}) };
}

/** Answers a command; personal, so never cached. */
function answered<R>(status: number, result: CommandResult<R>): APIGatewayProxyResult {
  return json(status, result.response, {
    'cache-control': 'no-store',
    ...(result.replayed ? { 'idempotent-replayed': 'true' } : {}),
  });
}

const idempotencyProblems = [
  {
    status: 400,
    code: 'INVALID_IDEMPOTENCY_KEY',
    description: 'Idempotency-Key is not 1–128 visible ASCII characters',
  },
  {
    status: 409,
    code: 'IDEMPOTENCY_KEY_REUSED',
    description: 'the Idempotency-Key was used with another request',
  },
  { status: 409, code: 'OBJECTION_CONCURRENT_CHANGE', description: 'another change won the race; retry' },
];
const notFound = {
  status: 404,
  code: 'OBJECTION_NOT_FOUND',
  description: 'no such objection for the caller',
};
const stateConflict = {
  status: 409,
  code: 'OBJECTION_STATE_CONFLICT',
  description: 'the command does not apply in the objection’s current state',
};
const filingProblems = [
  {
    status: 400,
    code: 'INVALID_SUBJECT_CODE',
    description: 'subjectCode is no valid USCC, 工商注册号 or resident ID',
  },
  { status: 404, code: 'OBJECTED_RECORD_NOT_FOUND', description: 'the subject has no such record' },
  {
    status: 422,
    code: 'UNKNOWN_CLAIM_FIELD',
    description: 'claim.field is not a field of the record’s dataset',
  },
  ...idempotencyProblems,
];
const correctionProblems = [
  {
    status: 422,
    code: 'FIELD_NOT_CORRECTABLE',
    description: 'the claimed field is corrected by re-submission, not in place',
  },
  { status: 422, code: 'INVALID_CORRECTION', description: 'the corrected value does not fit the field' },
];

const office = ['credit-office'] as const;
const base = '/v1/objections';
const publicBase = publicDisclosure.apiPath;
const idOf = (params: Readonly<Record<string, string>>) => params.objectionId ?? params.applicationNo ?? '';
const scoped = (caller: Caller) => commandScope(caller);
const listQuery = z.object({ status: z.enum(objectionStatuses).optional() });
type ListQuery = z.infer<typeof listQuery>;

const publicRoutes: Route[] = [
  defineRoute<FilingRequest>({
    method: 'POST',
    path: `${publicBase}/objections`,
    summary:
      'File an objection (异议) as the subject, without a key: the record is marked 异议处理中 at once; the answer holds the application number and a secret shown once',
    public: true,
    body: filingSchema,
    success: {
      status: 201,
      description: '{ applicationNo, secret, status, statusLabel, receivedOn, acceptDueDate }',
    },
    problems: filingProblems,
    handle: async ({ event, body, deps }) =>
      answered(
        201,
        await fileObjection(useCase(deps), body, {
          channel: 'online',
          actor: { kind: 'subject' },
          command: command(event, 'public', body),
        }),
      ),
  }),
  defineRoute({
    method: 'GET',
    path: `${publicBase}/applications/{applicationNo}`,
    summary: `The filer's status of an application, with the secret in the ${SECRET_HEADER} header (masked, nothing internal)`,
    public: true,
    success: {
      status: 200,
      description:
        '{ applicationNo, kind, status, statusLabel, receivedOn, record, claimField, nextStepDueDate, outcome… }',
    },
    problems: [{ ...notFound, description: 'unknown application number or wrong secret (the same answer)' }],
    handle: async ({ event, params, deps }) =>
      json(200, await applicationStatus(deps.objections, idOf(params), header(event, SECRET_HEADER)), {
        'cache-control': 'no-store',
      }),
  }),
  defineRoute({
    method: 'POST',
    path: `${publicBase}/applications/{applicationNo}/withdrawal`,
    summary: `The filer withdraws its open objection (secret in ${SECRET_HEADER}); the mark is removed`,
    public: true,
    success: { status: 200, description: 'The application status, CLOSED with outcome WITHDRAWN' },
    problems: [notFound, stateConflict, ...idempotencyProblems],
    handle: async ({ event, params, deps }) =>
      answered(
        200,
        await withdrawObjection(
          useCase(deps),
          idOf(params),
          header(event, SECRET_HEADER),
          command(event, 'public', { applicationNo: idOf(params), action: 'withdraw' }),
        ),
      ),
  }),
];

const officeRoutes: Route[] = [
  defineRoute<RegistrationRequest>({
    method: 'POST',
    path: base,
    summary:
      'Register an objection for a subject (credit office: window, 信用中国 forward, online); the record is marked at once',
    roles: office,
    body: registrationSchema,
    success: {
      status: 201,
      description: 'As the public filing: application number and the secret to hand to the subject',
    },
    problems: filingProblems,
    handle: async ({ event, caller, body, deps }) => {
      const { channel, ...filing } = body;
      return answered(
        201,
        await fileObjection(useCase(deps), filing, {
          channel,
          actor: { kind: 'agency', agencyCode: caller.agencyCode, keyId: caller.keyId },
          command: command(event, scoped(caller), body),
        }),
      );
    },
  }),
  defineRoute({
    method: 'POST',
    path: `${base}/{objectionId}/acceptance`,
    summary: 'Accept the objection (SUBMITTED → PLATFORM_CHECK); the platform check is due in 2 working days',
    roles: office,
    success: { status: 200, description: 'The objection with platformCheckDueDate' },
    problems: [notFound, stateConflict, ...idempotencyProblems],
    handle: async ({ event, caller, params, deps }) =>
      answered(
        200,
        await acceptObjection(
          useCase(deps),
          idOf(params),
          caller,
          command(event, scoped(caller), { id: idOf(params), action: 'accept' }),
        ),
      ),
  }),
  defineRoute<ReasonRequest>({
    method: 'POST',
    path: `${base}/{objectionId}/return`,
    summary:
      'Return the objection, not accepted, with the reason (SUBMITTED → RETURNED); the mark is removed',
    roles: office,
    body: reasonSchema,
    success: { status: 200, description: 'The objection, RETURNED' },
    problems: [notFound, stateConflict, ...idempotencyProblems],
    handle: async ({ event, caller, params, body, deps }) =>
      answered(
        200,
        await returnObjection(
          useCase(deps),
          idOf(params),
          caller,
          body.reason,
          command(event, scoped(caller), { id: idOf(params), action: 'return', ...body }),
        ),
      ),
  }),
  defineRoute({
    method: 'POST',
    path: `${base}/{objectionId}/forwarding`,
    summary:
      'Forward the objection to the source agency (协查; PLATFORM_CHECK → FORWARDED_TO_SOURCE); its answer is due in 10 working days',
    roles: office,
    success: { status: 200, description: 'The objection with forwardedTo and sourceReplyDueDate' },
    problems: [notFound, stateConflict, ...idempotencyProblems],
    handle: async ({ event, caller, params, deps }) =>
      answered(
        200,
        await forwardObjection(
          useCase(deps),
          idOf(params),
          caller,
          command(event, scoped(caller), { id: idOf(params), action: 'forward' }),
        ),
      ),
  }),
  defineRoute<ResolutionRequest>({
    method: 'POST',
    path: `${base}/{objectionId}/resolution`,
    summary:
      'The credit office closes the objection: CORRECTED_BY_PLATFORM after its own check (a new record version), or UNRESOLVED once the source agency’s date has passed',
    roles: office,
    body: resolutionSchema,
    success: { status: 200, description: 'The objection, CLOSED with its outcome; the mark is removed' },
    problems: [notFound, stateConflict, ...correctionProblems, ...idempotencyProblems],
    handle: async ({ event, caller, params, body, deps }) =>
      answered(
        200,
        await resolveObjection(
          useCase(deps),
          idOf(params),
          caller,
          body,
          command(event, scoped(caller), { id: idOf(params), action: 'resolve', ...body }),
        ),
      ),
  }),
];

const agencyRoutes: Route[] = [
  defineRoute<undefined, ListQuery>({
    method: 'GET',
    path: base,
    summary:
      'Objections: all for the credit office and auditors, those on its own records for a source agency',
    query: listQuery,
    success: {
      status: 200,
      description: '{ objections: [...] } newest first; the contact masked except for the credit office',
    },
    handle: async ({ caller, query, deps }) =>
      json(200, await listObjections(deps.objections, caller, query.status ? { status: query.status } : {})),
  }),
  defineRoute({
    method: 'GET',
    path: `${base}/{objectionId}`,
    summary: 'One objection with its history (who did what, when; never edited)',
    success: { status: 200, description: 'The objection and history[]' },
    problems: [notFound],
    handle: async ({ caller, params, deps }) =>
      json(200, await readObjection(deps.objections, caller, idOf(params))),
  }),
  defineRoute<AnswerRequest>({
    method: 'POST',
    path: `${base}/{objectionId}/answer`,
    summary:
      'The source agency answers the 协查 on its own record: CORRECTED (a new version of the record; the old one kept), UPHELD or UNRESOLVED, with the reason',
    roles: ['case-officer', 'credit-office'],
    body: answerSchema,
    success: { status: 200, description: 'The objection, CLOSED with its outcome; the mark is removed' },
    problems: [
      { ...notFound, description: 'no such objection on the calling agency’s records' },
      stateConflict,
      ...correctionProblems,
      ...idempotencyProblems,
    ],
    handle: async ({ event, caller, params, body, deps }) =>
      answered(
        200,
        await answerObjection(
          useCase(deps),
          idOf(params),
          caller,
          body,
          command(event, scoped(caller), { id: idOf(params), action: 'answer', ...body }),
        ),
      ),
  }),
];

export const objectionRoutes: Route[] = [...publicRoutes, ...officeRoutes, ...agencyRoutes];
