import type { Caller } from '../check/types';
import { ObjectionNotFoundError } from './errors';
import type { ObjectionStore } from './ports';
import { secretMatches } from './secret';
import type { Objection } from './types';
import { applicationStatusView, historyView, objectionView } from './views';

/**
 * Reading objections: the credit office and auditors see all, an agency only those on its own
 * records; the filer sees its own with the secret. Nobody reads another's by guessing a number:
 * every refusal is the same 404.
 */

export function seesAll(caller: Caller): boolean {
  return caller.roles.includes('credit-office') || caller.roles.includes('auditor');
}

function visibleTo(caller: Caller, objection: Objection): boolean {
  return seesAll(caller) || objection.sourceAgency === caller.agencyCode;
}

function viewFor(caller: Caller, objection: Objection) {
  return objectionView(objection, { revealContact: caller.roles.includes('credit-office') });
}

export async function listObjections(
  store: ObjectionStore,
  caller: Caller,
  filter: { status?: string } = {},
) {
  const objections = await store.listObjections(seesAll(caller) ? {} : { sourceAgency: caller.agencyCode });
  const wanted = filter.status ? objections.filter((o) => o.status === filter.status) : objections;
  return { objections: wanted.map((objection) => viewFor(caller, objection)) };
}

export async function readObjection(store: ObjectionStore, caller: Caller, objectionId: string) {
  const objection = await store.getObjection(objectionId);
  if (!objection || !visibleTo(caller, objection)) {
    throw new ObjectionNotFoundError(`no objection ${objectionId} for this caller`);
  }
  return { ...viewFor(caller, objection), history: historyView(await store.history(objectionId)) };
}

/** The filer's status page: the same 404 for an unknown number and a wrong secret. */
export async function applicationStatus(
  store: ObjectionStore,
  applicationNo: string,
  secret: string | undefined,
) {
  const objection = await store.getObjection(applicationNo);
  if (!objection || !secretMatches(secret, objection.secretHash)) {
    throw new ObjectionNotFoundError(`no application ${applicationNo} with this secret`);
  }
  return applicationStatusView(objection);
}
