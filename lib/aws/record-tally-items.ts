import { randomUUID } from 'node:crypto';
import type { Item } from './items/items';
import { keys } from './items/keys';

/**
 * The records-changed token of a subject partition. Every writer of a current record item (ingestion,
 * withdrawal, credit repair's stop, an objection's correction, the deadlines run) replaces it after
 * — or in the same transaction as — its record write, with a token never used before: a tally
 * computed before the write no longer matches it, and the next check reads the digests again.
 */
export function recordsChangedItem(subjectKey: string): Item {
  return tokenItem(keys.subject(subjectKey));
}

/** The same, for a partition known by its table key (SUBJECT#…). */
export function tokenItem(pk: string): Item {
  return { pk, sk: keys.recordsChanged, type: 'records-changed', token: randomUUID() };
}

const RECORD_TYPES = new Set(['admin-penalty', 'admin-license']);

/** One token item per subject partition among these items that holds a current record item. */
export function recordsChangedItems(items: readonly Item[]): Item[] {
  const subjects = new Set<string>();
  for (const item of items) {
    if (RECORD_TYPES.has(String(item.type)) && String(item.sk).startsWith('RECORD#'))
      subjects.add(String(item.pk));
  }
  return [...subjects].map(tokenItem);
}

/** A transaction's Put of a new token for one subject partition. */
export function recordsChangedPut(tableName: string, subjectKey: string) {
  return { Put: { TableName: tableName, Item: recordsChangedItem(subjectKey) } };
}
