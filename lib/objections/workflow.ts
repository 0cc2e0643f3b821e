import type { WorkingCalendar } from '../calendar/calendar';
import { ObjectionStateError } from './errors';
import { objectionRules, stepDueDate } from './rules';
import type {
  Objection,
  ObjectionAction,
  ObjectionActor,
  ObjectionEvent,
  ObjectionOutcome,
  ObjectionStatus,
} from './types';

/**
 * The objection's state machine as pure functions: each transition checks the state it starts
 * from, sets the dates the next step is due by (config/objections.json on the official calendar)
 * and returns the new state with its history entry. Nothing here does I/O.
 */

export interface TransitionContext {
  readonly at: string;
  readonly today: string;
  readonly calendar: WorkingCalendar;
  readonly actor: ObjectionActor;
}

export interface Transition {
  readonly objection: Objection;
  readonly event: ObjectionEvent;
  /** The record keeps the mark only while the objection is open. */
  readonly closes: boolean;
}

export const OPEN_STATUSES: readonly ObjectionStatus[] = [
  'SUBMITTED',
  'PLATFORM_CHECK',
  'FORWARDED_TO_SOURCE',
];

export function isOpen(objection: Pick<Objection, 'status'>): boolean {
  return OPEN_STATUSES.includes(objection.status);
}

/** The day the current step is due by, or undefined once the objection is closed. */
export function currentDueDate(objection: Objection): string | undefined {
  switch (objection.status) {
    case 'SUBMITTED':
      return objection.acceptDueDate;
    case 'PLATFORM_CHECK':
      return objection.platformCheckDueDate;
    case 'FORWARDED_TO_SOURCE':
      return objection.sourceReplyDueDate;
    default:
      return undefined;
  }
}

function requireStatus(objection: Objection, action: ObjectionAction, allowed: readonly ObjectionStatus[]) {
  if (!allowed.includes(objection.status)) {
    throw new ObjectionStateError(
      `objection ${objection.objectionId} is ${objection.status}: ${action} needs ${allowed.join(' or ')}`,
    );
  }
}

function transition(
  before: Objection,
  context: TransitionContext,
  action: ObjectionAction,
  changes: Partial<Objection> & { status: ObjectionStatus },
): Transition {
  const closes = !OPEN_STATUSES.includes(changes.status);
  const objection: Objection = {
    ...before,
    ...changes,
    ...(closes ? { closedOn: context.today, markApplied: false } : {}),
    version: before.version + 1,
  };
  const event: ObjectionEvent = {
    objectionId: before.objectionId,
    at: context.at,
    action,
    from: before.status,
    to: objection.status,
    actor: context.actor,
    ...(changes.outcome ? { outcome: changes.outcome } : {}),
    ...(changes.reason ? { reason: changes.reason } : {}),
  };
  return { objection, event, closes };
}

/** The credit office accepts the objection: the platform checks its own processing next. */
export function accept(objection: Objection, context: TransitionContext): Transition {
  requireStatus(objection, 'accept', ['SUBMITTED']);
  return transition(objection, context, 'accept', {
    status: 'PLATFORM_CHECK',
    acceptedOn: context.today,
    platformCheckDueDate: stepDueDate(context.calendar, 'platformCheck', context.today, objectionRules),
  });
}

/** The credit office does not accept it (incomplete, not about correctness…): closed, mark removed. */
export function returnObjection(
  objection: Objection,
  context: TransitionContext,
  reason: string,
): Transition {
  requireStatus(objection, 'return', ['SUBMITTED']);
  return transition(objection, context, 'return', { status: 'RETURNED', reason });
}

/** The platform's check found no processing error of its own: a 协查 to the source agency. */
export function forward(objection: Objection, context: TransitionContext): Transition {
  requireStatus(objection, 'forward', ['PLATFORM_CHECK']);
  return transition(objection, context, 'forward', {
    status: 'FORWARDED_TO_SOURCE',
    forwardedOn: context.today,
    forwardedTo: objection.sourceAgency,
    sourceReplyDueDate: stepDueDate(context.calendar, 'sourceReply', context.today, objectionRules),
  });
}

export interface Decision {
  readonly outcome: ObjectionOutcome;
  readonly reason?: string;
  readonly correction?: Objection['correction'];
}

/**
 * The credit office closes the objection itself: CORRECTED_BY_PLATFORM after its own check (its
 * processing was wrong), or UNRESOLVED once the source agency let its reply date pass.
 */
export function resolve(objection: Objection, context: TransitionContext, decision: Decision): Transition {
  if (decision.outcome === 'CORRECTED_BY_PLATFORM') requireStatus(objection, 'resolve', ['PLATFORM_CHECK']);
  else if (decision.outcome === 'UNRESOLVED') {
    requireStatus(objection, 'resolve', ['FORWARDED_TO_SOURCE']);
    if (objection.sourceReplyDueDate && context.today <= objection.sourceReplyDueDate) {
      throw new ObjectionStateError(
        `the source agency may answer until ${objection.sourceReplyDueDate}; the credit office records UNRESOLVED only after that`,
      );
    }
  } else throw new ObjectionStateError(`the credit office resolves with CORRECTED_BY_PLATFORM or UNRESOLVED`);
  return transition(objection, context, 'resolve', closing(decision));
}

/** The source agency answers the 协查: CORRECTED (a new version of the record), UPHELD or UNRESOLVED. */
export function answer(objection: Objection, context: TransitionContext, decision: Decision): Transition {
  requireStatus(objection, 'answer', ['FORWARDED_TO_SOURCE']);
  if (!['CORRECTED', 'UPHELD', 'UNRESOLVED'].includes(decision.outcome)) {
    throw new ObjectionStateError('the source agency answers CORRECTED, UPHELD or UNRESOLVED');
  }
  return transition(objection, context, 'answer', closing(decision));
}

/** The subject withdraws its objection while it is open. */
export function withdraw(objection: Objection, context: TransitionContext): Transition {
  requireStatus(objection, 'withdraw', OPEN_STATUSES);
  return transition(objection, context, 'withdraw', { status: 'CLOSED', outcome: 'WITHDRAWN' });
}

function closing(decision: Decision): Partial<Objection> & { status: ObjectionStatus } {
  return {
    status: 'CLOSED',
    outcome: decision.outcome,
    ...(decision.reason ? { reason: decision.reason } : {}),
    ...(decision.correction ? { correction: decision.correction } : {}),
  };
}
