import { loadWorkingCalendar } from '../calendar/stored-calendar';
import type { Caller } from '../check/types';
import { withCorrection } from '../lifecycle/objection-corrections';
import { type CommandInput, type CommandResult, type PreparedChange, runCommand } from './commands';
import { correctedRecord } from './correction';
import { ObjectionNotFoundError } from './errors';
import type { ObjectionDependencies } from './filing';
import type { RecordChange } from './ports';
import type { AnswerRequest, ResolutionRequest } from './requests';
import { secretMatches } from './secret';
import type { AppliedCorrection, ObjectedRecord, Objection, ObjectionActor } from './types';
import { applicationStatusView, objectionView } from './views';
import * as workflow from './workflow';

/**
 * The state changes after filing, each an idempotent command: the credit office accepts, returns,
 * forwards or resolves; the source agency answers on its own records only; the subject withdraws
 * with its secret. A closing change clears the record's mark (unless another objection is open on
 * it) and a correction writes a new version of the record, keeping the old one.
 */

interface StepResult {
  readonly transition: workflow.Transition;
  /** The record's new content when the step corrected it, and the correction. */
  readonly corrected?: { readonly record: Record<string, unknown>; readonly correction: AppliedCorrection };
}

type Step = (
  objection: Objection,
  context: workflow.TransitionContext,
  record: ObjectedRecord | undefined,
) => StepResult;

export type ObjectionView = ReturnType<typeof objectionView>;
export type ObjectionResponse = ObjectionView | ReturnType<typeof applicationStatusView>;

export function agencyActor(caller: Caller): ObjectionActor {
  return { kind: 'agency', agencyCode: caller.agencyCode, keyId: caller.keyId };
}

export function commandScope(caller: Caller): string {
  return `${caller.agencyCode}#${caller.keyId}`;
}

/** The record side of a step: the mark cleared when it closes, the correction applied. */
function recordChange(
  objection: Objection,
  result: StepResult,
  record: ObjectedRecord | undefined,
): RecordChange | undefined {
  if (!record || !result.transition.closes) return undefined;
  return {
    subjectKey: record.subjectKey,
    ref: record.ref,
    openBefore: record.openObjections,
    openAfter: record.openObjections.filter((id) => id !== objection.objectionId),
    ...(result.corrected ? { corrected: correctedChange(objection, record, result.corrected) } : {}),
  };
}

/** The corrected record, and the correction kept beside it so that a re-submission of the wrong value keeps it. */
function correctedChange(
  objection: Objection,
  record: ObjectedRecord,
  corrected: NonNullable<StepResult['corrected']>,
): NonNullable<RecordChange['corrected']> {
  const { field, previousValue, value, correctedAt } = corrected.correction;
  return {
    record: corrected.record,
    versionTag: `objection-${objection.objectionId}`,
    recordBefore: record.record,
    correctionsBefore: record.corrections,
    corrections: withCorrection(record.corrections, field, {
      objectionId: objection.objectionId,
      sourceValue: previousValue,
      value,
      correctedAt,
    }),
  };
}

interface StepOptions {
  readonly actor: ObjectionActor;
  /** Who may see the objection at all; others get ObjectionNotFoundError (404). */
  readonly visible?: (objection: Objection) => boolean;
  /** What the caller gets back: the staff view (contact in full for the credit office) or the filer's. */
  readonly view: (objection: Objection) => ObjectionResponse;
}

/** Reads the objection and its record, applies one step, and prepares the change. */
function changeOf(
  deps: ObjectionDependencies,
  objectionId: string,
  options: StepOptions,
  step: Step,
): () => Promise<PreparedChange<ObjectionResponse>> {
  return async () => {
    const before = await deps.store.getObjection(objectionId);
    if (!before || (options.visible && !options.visible(before))) {
      throw new ObjectionNotFoundError(`no objection ${objectionId} for this caller`);
    }
    const record = await deps.store.objectedRecord(before.subjectKey, before.recordRef);
    const calendar = await loadWorkingCalendar(deps.calendar);
    const at = deps.clock.now().toISOString();
    const context = { at, today: deps.clock.today(), calendar, actor: options.actor };
    const result = step(before, context, record);
    const change = recordChange(before, result, record);
    return {
      change: {
        objection: result.transition.objection,
        expectedVersion: before.version,
        event: result.transition.event,
        ...(change ? { record: change } : {}),
      },
      response: options.view(result.transition.objection),
    };
  };
}

function officeStep(caller: Caller): StepOptions {
  return {
    actor: agencyActor(caller),
    view: (objection) => objectionView(objection, { revealContact: true }),
  };
}

type Run = Promise<CommandResult<ObjectionResponse>>;

export function acceptObjection(
  deps: ObjectionDependencies,
  id: string,
  caller: Caller,
  command: CommandInput,
): Run {
  return runCommand(
    deps.store,
    command,
    changeOf(deps, id, officeStep(caller), (o, c) => ({ transition: workflow.accept(o, c) })),
  );
}

export function returnObjection(
  deps: ObjectionDependencies,
  id: string,
  caller: Caller,
  reason: string,
  command: CommandInput,
): Run {
  return runCommand(
    deps.store,
    command,
    changeOf(deps, id, officeStep(caller), (o, c) => ({
      transition: workflow.returnObjection(o, c, reason),
    })),
  );
}

export function forwardObjection(
  deps: ObjectionDependencies,
  id: string,
  caller: Caller,
  command: CommandInput,
): Run {
  return runCommand(
    deps.store,
    command,
    changeOf(deps, id, officeStep(caller), (o, c) => ({ transition: workflow.forward(o, c) })),
  );
}

/** The correction a CORRECTED decision applies: the claimed field set to the corrected value. */
function correctionOf(
  objection: Objection,
  record: ObjectedRecord | undefined,
  value: string | undefined,
  at: string,
): { correction: AppliedCorrection; corrected: Record<string, unknown> } {
  if (!record) throw new ObjectionNotFoundError(`the record of objection ${objection.objectionId} is gone`);
  const field = objection.claim.field;
  const applied = correctedRecord(
    objection.recordRef.dataset,
    record.record,
    field,
    value ?? objection.claim.assertedValue,
  );
  return {
    correction: {
      field,
      previousValue: record.record[field] ?? null,
      value: applied.stored,
      correctedAt: at,
    },
    corrected: applied.record,
  };
}

/** A closing decision, with the correction applied when the outcome corrects the record. */
function decide(
  apply: (o: Objection, c: workflow.TransitionContext, d: workflow.Decision) => workflow.Transition,
  request: AnswerRequest | ResolutionRequest,
): Step {
  return (objection, context, record) => {
    const corrects = request.outcome === 'CORRECTED' || request.outcome === 'CORRECTED_BY_PLATFORM';
    const base = { outcome: request.outcome, ...(request.reason ? { reason: request.reason } : {}) };
    if (!corrects) return { transition: apply(objection, context, base) };
    const value = 'correctedValue' in request ? request.correctedValue : undefined;
    // The state is checked before the correction is computed, so a wrong state answers 409 first.
    apply(objection, context, base);
    const { correction, corrected } = correctionOf(objection, record, value, context.at);
    return {
      transition: apply(objection, context, { ...base, correction }),
      corrected: { record: corrected, correction },
    };
  };
}

/** The credit office closes the objection itself (CORRECTED_BY_PLATFORM, or UNRESOLVED after the source's date). */
export function resolveObjection(
  deps: ObjectionDependencies,
  id: string,
  caller: Caller,
  request: ResolutionRequest,
  command: CommandInput,
): Run {
  return runCommand(
    deps.store,
    command,
    changeOf(deps, id, officeStep(caller), decide(workflow.resolve, request)),
  );
}

/** The source agency answers, on its own records only (another agency's objection is a 404). */
export function answerObjection(
  deps: ObjectionDependencies,
  id: string,
  caller: Caller,
  request: AnswerRequest,
  command: CommandInput,
): Run {
  const options: StepOptions = {
    actor: agencyActor(caller),
    visible: (objection) => objection.sourceAgency === caller.agencyCode,
    view: (objection) => objectionView(objection, { revealContact: false }),
  };
  return runCommand(deps.store, command, changeOf(deps, id, options, decide(workflow.answer, request)));
}

/** The subject withdraws its open objection with its secret; a wrong secret is a 404. */
export function withdrawObjection(
  deps: ObjectionDependencies,
  id: string,
  secret: string | undefined,
  command: CommandInput,
): Run {
  const options: StepOptions = {
    actor: { kind: 'subject' },
    visible: (objection) => secretMatches(secret, objection.secretHash),
    view: applicationStatusView,
  };
  return runCommand(
    deps.store,
    command,
    changeOf(deps, id, options, (o, c) => ({ transition: workflow.withdraw(o, c) })),
  );
}
