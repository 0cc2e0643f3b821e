import { IdempotencyKeyReusedError } from '../check/errors';
import { bodyHash } from '../check/idempotency';
import { ObjectionConflictError } from './errors';
import {
  CommandAlreadyStoredError,
  ConcurrentChangeError,
  type ObjectionChange,
  type ObjectionStore,
  type StoredCommand,
} from './ports';
import { commandKeyHash, sealSecret, unsealSecret } from './secret';

/**
 * Every state change of an objection is a command: run once per Idempotency-Key (a retry with the
 * same body gets the first answer, another body 409), stored with its history entry in one
 * transaction, and retried from a fresh read when a concurrent change won the race.
 */

export interface CommandInput {
  /** Whose Idempotency-Keys: `public`, or `<agency>#<keyId>`. */
  readonly scope: string;
  readonly idempotencyKey?: string;
  /** The validated request, path parameters included: its hash tells a retry from a reuse. */
  readonly body: unknown;
}

export interface PreparedChange<R> {
  readonly change: ObjectionChange;
  readonly response: R;
  /** A secret shown once in the response (filing): kept only sealed with the Idempotency-Key. */
  readonly secret?: string;
}

export interface CommandResult<R> {
  readonly response: R;
  readonly replayed: boolean;
}

const ATTEMPTS = 3;

function replay<R>(stored: StoredCommand, hash: string, key: string): CommandResult<R> {
  if (stored.bodyHash !== hash) {
    throw new IdempotencyKeyReusedError(
      `Idempotency-Key ${key} was used for another request (objection ${stored.objectionId}); use a new key`,
    );
  }
  const response = stored.sealedSecret
    ? { ...(stored.response as object), secret: unsealSecret(stored.sealedSecret, key) }
    : stored.response;
  return { response: response as R, replayed: true };
}

function storedCommand<R>(
  input: CommandInput,
  keyHash: string,
  hash: string,
  prepared: PreparedChange<R>,
): StoredCommand {
  const key = input.idempotencyKey as string;
  const { secret: _secret, ...response } = prepared.response as Record<string, unknown>;
  return {
    scope: input.scope,
    keyHash,
    bodyHash: hash,
    objectionId: prepared.change.objection.objectionId,
    response,
    ...(prepared.secret ? { sealedSecret: sealSecret(prepared.secret, key) } : {}),
  };
}

/** Why a commit failed, as what to do next: replay the stored answer, try again, or give up. */
async function afterFailure<R>(
  store: ObjectionStore,
  input: CommandInput,
  hash: string,
  error: unknown,
): Promise<CommandResult<R> | 'retry'> {
  const key = input.idempotencyKey;
  if (error instanceof CommandAlreadyStoredError && key) {
    const stored = await store.getCommand(input.scope, commandKeyHash(input.scope, key));
    if (stored) return replay<R>(stored, hash, key);
  }
  if (error instanceof ConcurrentChangeError) return 'retry';
  throw error;
}

export async function runCommand<R>(
  store: ObjectionStore,
  input: CommandInput,
  prepare: () => Promise<PreparedChange<R>>,
): Promise<CommandResult<R>> {
  const key = input.idempotencyKey;
  const hash = bodyHash(input.body);
  const keyHash = key ? commandKeyHash(input.scope, key) : undefined;
  const earlier = keyHash ? await store.getCommand(input.scope, keyHash) : undefined;
  if (earlier && key) return replay<R>(earlier, hash, key);
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const prepared = await prepare();
    const command = keyHash ? storedCommand(input, keyHash, hash, prepared) : undefined;
    try {
      await store.commit({ ...prepared.change, ...(command ? { command } : {}) });
      return { response: prepared.response, replayed: false };
    } catch (error) {
      const next = await afterFailure<R>(store, input, hash, error);
      if (next !== 'retry') return next;
    }
  }
  throw new ObjectionConflictError('the objection or its record changed meanwhile; retry the request');
}
