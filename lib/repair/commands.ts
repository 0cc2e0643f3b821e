import type { WorkingCalendar } from '../calendar/calendar';
import { CalendarYearUnavailableError } from '../calendar/working-days';
import { bodyHash } from '../check/idempotency';
import { hashSecret, type RepairDependencies } from './deps';
import { repairErrors } from './errors';
import type { PublicationStop, RepairChange } from './ports';
import { REPAIR_CONFIG, type RepairConfig, type RepairRuleSet } from './rules';
import type { Actor, RepairCase, RepairHistoryEntry, RepairStatus } from './types';

/** What a step sees: the case, the actor, today and the tools to compute due dates. */
export interface StepContext {
  readonly current: RepairCase;
  readonly actor: Actor;
  readonly now: string;
  readonly today: string;
  readonly config: RepairConfig;
  readonly ruleSet: RepairRuleSet | undefined;
  addWorkingDays(from: string, days: number): string;
  readonly deps: RepairDependencies;
}

/** What a step decides: the new state, what changes on the case, and what the history says. */
export interface Transition {
  readonly to: RepairStatus;
  readonly patch: Partial<RepairCase>;
  readonly reason?: string;
  readonly detail?: Readonly<Record<string, unknown>>;
  /** Extra history entries after the main one (approval → publication stopped). */
  readonly followedBy?: readonly { action: string; to: RepairStatus; detail?: Record<string, unknown> }[];
  readonly stop?: PublicationStop;
  /** What the caller is answered besides the case (e.g. an upload URL). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

export interface CommandDefinition {
  readonly action: string;
  readonly from: readonly RepairStatus[];
  /** Throws a forbidden RepairError when this actor may not run the command on this case. */
  authorise?(current: RepairCase, actor: Actor): void;
  step(context: StepContext): Promise<Transition> | Transition;
}

export interface CommandInput {
  readonly applicationNo: string;
  readonly actor: Actor;
  /** The applicant's secret (public routes); agencies are authorised by their key instead. */
  readonly secret?: string;
  readonly idempotencyKey?: string;
  readonly body: unknown;
}

export interface CommandOutcome {
  readonly case: RepairCase;
  readonly extra: Readonly<Record<string, unknown>>;
  readonly replayed: boolean;
}

/** The case an actor may act on: the applicant only with the right secret. */
async function loadCase(deps: RepairDependencies, input: CommandInput): Promise<RepairCase> {
  const found = await deps.store.getCase(input.applicationNo);
  if (!found) throw repairErrors.applicationNotFound();
  if (input.actor.kind === 'applicant' && (!input.secret || hashSecret(input.secret) !== found.secretHash)) {
    throw repairErrors.applicationNotFound();
  }
  return found;
}

function calendarStep(calendar: WorkingCalendar) {
  return (from: string, days: number) => {
    try {
      return calendar.addWorkingDays(from, days);
    } catch (error) {
      if (error instanceof CalendarYearUnavailableError)
        throw repairErrors.calendarUnavailable(error.message);
      throw error;
    }
  };
}

function historyOf(
  current: RepairCase,
  command: CommandDefinition,
  transition: Transition,
  context: StepContext,
): RepairHistoryEntry[] {
  const first: RepairHistoryEntry = {
    seq: current.version + 1,
    at: context.now,
    action: command.action,
    from: current.status,
    to: transition.to,
    by: context.actor,
    ...(transition.reason ? { reason: transition.reason } : {}),
    ...(transition.detail ? { detail: transition.detail } : {}),
  };
  const then = (transition.followedBy ?? []).map((entry, index) => ({
    seq: current.version + 2 + index,
    at: context.now,
    action: entry.action,
    from: index === 0 ? transition.to : (transition.followedBy?.[index - 1]?.to ?? transition.to),
    to: entry.to,
    by: context.actor,
    ...(entry.detail ? { detail: entry.detail } : {}),
  }));
  return [first, ...then];
}

async function stepContext(
  deps: RepairDependencies,
  current: RepairCase,
  actor: Actor,
): Promise<StepContext> {
  const config = deps.config ?? REPAIR_CONFIG;
  return {
    current,
    actor,
    now: deps.clock.now().toISOString(),
    today: deps.clock.today(),
    config,
    ruleSet: config.ruleSets.find((set) => set.id === current.ruleSet),
    addWorkingDays: calendarStep(await deps.calendar()),
    deps,
  };
}

async function replay(
  deps: RepairDependencies,
  scope: string,
  key: string,
  hash: string,
): Promise<CommandOutcome | undefined> {
  const claim = await deps.store.findClaim(scope, key);
  if (!claim) return undefined;
  if (claim.bodyHash !== hash) throw repairErrors.idempotencyKeyReused(key);
  const stored = claim.response as { case: RepairCase; extra: Record<string, unknown> };
  return { case: stored.case, extra: stored.extra, replayed: true };
}

interface ClaimRef {
  readonly scope: string;
  readonly key: string | undefined;
  readonly hash: string;
}

/** The new case, its history entries, the claim and the stop, as one change of the store. */
function changeOf(
  current: RepairCase,
  command: CommandDefinition,
  transition: Transition,
  context: StepContext,
  claim: ClaimRef,
): { change: RepairChange; outcome: CommandOutcome } {
  const history = historyOf(current, command, transition, context);
  const after: RepairCase = {
    ...current,
    ...transition.patch,
    status: history[history.length - 1]?.to ?? transition.to,
    version: current.version + history.length,
  };
  const extra = transition.extra ?? {};
  const stored = claim.key
    ? {
        claim: {
          scope: claim.scope,
          key: claim.key,
          bodyHash: claim.hash,
          applicationNo: current.applicationNo,
          response: { case: after, extra },
          at: context.now,
        },
      }
    : {};
  return {
    change: {
      expectedVersion: current.version,
      after,
      history,
      ...stored,
      ...(transition.stop ? { stop: transition.stop } : {}),
    },
    outcome: { case: after, extra, replayed: false },
  };
}

/** The case as the actor may change it now: found, authorised, in a state the command starts from. */
async function caseToChange(
  deps: RepairDependencies,
  command: CommandDefinition,
  input: CommandInput,
): Promise<RepairCase> {
  const current = await loadCase(deps, input);
  command.authorise?.(current, input.actor);
  if (!command.from.includes(current.status)) {
    throw repairErrors.invalidTransition(command.action, current.status, command.from);
  }
  return current;
}

/**
 * Runs one state change of a case: checks who may and from which state, lets the command compute
 * the transition, and stores the new case, its history entries, the Idempotency-Key claim and any
 * stop of the record in one transaction. A retry with the same key and body gets the first answer;
 * another body with the same key is refused.
 */
export async function runCommand(
  deps: RepairDependencies,
  command: CommandDefinition,
  input: CommandInput,
): Promise<CommandOutcome> {
  const claim: ClaimRef = {
    // One key space per application: a key reused for another step of the same case is refused.
    scope: `case#${input.applicationNo}`,
    key: input.idempotencyKey,
    hash: bodyHash({ action: command.action, body: input.body ?? null, actor: input.actor }),
  };
  const earlier = claim.key ? await replay(deps, claim.scope, claim.key, claim.hash) : undefined;
  if (earlier) return earlier;
  const current = await caseToChange(deps, command, input);
  const context = await stepContext(deps, current, input.actor);
  const { change, outcome } = changeOf(current, command, await command.step(context), context, claim);
  const stored = await deps.store.commit(change);
  if (stored === 'conflict') throw repairErrors.concurrentChange();
  if (stored === 'record-missing') throw repairErrors.recordNotFound();
  if (stored === 'claimed') {
    const first = claim.key ? await replay(deps, claim.scope, claim.key, claim.hash) : undefined;
    if (first) return first;
    throw repairErrors.commandAlreadyClaimed();
  }
  return outcome;
}

/** Only the credit office (role credit-office) runs intake steps. */
export function creditOfficeOnly(_current: RepairCase, actor: Actor): void {
  if (actor.kind !== 'agency' || !actor.roles.includes('credit-office')) {
    throw repairErrors.forbidden('only the credit office may do this');
  }
}

/** 谁认定、谁修复: only the agency that reported the record decides. */
export function decidingAgencyOnly(current: RepairCase, actor: Actor): void {
  if (actor.kind !== 'agency' || actor.agencyCode !== current.decidingAgency) {
    throw repairErrors.forbidden(
      `only the agency that reported the record (${current.decidingAgency}) decides on its repair`,
    );
  }
}

/** The applicant (with the secret) or the credit office acting for them. */
export function applicantOrCreditOffice(current: RepairCase, actor: Actor): void {
  if (actor.kind === 'applicant') return;
  creditOfficeOnly(current, actor);
}
