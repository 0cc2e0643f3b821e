import type { PendingRemoval, SettledRemoval } from '../../deadlines/types';
import { keys } from './keys';

/**
 * A court entry waiting for its removal deadline, as the deadlines run reads it from gsi1
 * PENDING-REMOVAL (the index entry ingestion writes, lib/aws/items/items.ts).
 */
export function pendingRemovalOf(item: Record<string, unknown>): PendingRemoval {
  const record = item.record as {
    caseNumber: string;
    removalFrom: string;
    removalWorkingDays: number;
    validUntil: string | null;
  };
  return {
    ref: { pk: item.pk as string, sk: item.sk as string },
    subjectKey: item.subjectKey as string,
    agencyCode: item.agencyCode as string,
    caseNumber: record.caseNumber,
    removalFrom: record.removalFrom,
    workingDays: record.removalWorkingDays,
    validUntil: record.validUntil ?? null,
  };
}

/**
 * The update that settles a pending removal: the deadline and the new last day in effect on the
 * record, the entry on the expiry index of that day, off the pending index. Conditioned on the
 * pending index entry of the same state (same removal start), so a re-run, or a state re-ingested
 * meanwhile, is left alone.
 */
export function settleRemovalUpdate(entry: PendingRemoval, settled: SettledRemoval) {
  // Entry ids are hashes without '#': the last segment of LIST#<type>#<id>.
  const entryId = entry.ref.sk.split('#').at(-1) ?? '';
  const indexSk = `${entry.ref.pk}#${entryId}`;
  return {
    Key: entry.ref,
    UpdateExpression:
      'SET #record.removalDueBy = :due, #record.validUntil = :until, gsi2pk = :expires, gsi2sk = :indexSk REMOVE gsi1pk, gsi1sk',
    ConditionExpression: 'gsi1pk = :pending AND gsi1sk = :pendingSk',
    ExpressionAttributeNames: { '#record': 'record' },
    ExpressionAttributeValues: {
      ':due': settled.removalDueBy,
      ':until': settled.validUntil,
      ':expires': keys.expiresOn(settled.validUntil),
      ':indexSk': indexSk,
      ':pending': keys.pendingRemoval,
      ':pendingSk': `${entry.removalFrom}#${indexSk}`,
    },
  };
}
