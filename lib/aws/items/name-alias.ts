import { nameKey } from '#lib/identifiers/subject-names';
import type { Item } from './items';
import { keys } from './keys';

/** Stored item types whose subjects the public search finds by name: 双公示 records and list entries. */
const PUBLISHED_ITEM_TYPES = new Set(['admin-penalty', 'admin-license', 'list-entry']);

/**
 * The `ALIAS#ORGNAME#<normalised name>` item that leads the public search by exact name to the
 * subject of a stored record item, or null when the subject is not searchable by name (a natural
 * person, no name) or the item is not a published record. The same item ingestion writes
 * (lib/aws/items/items.ts); a test holds the two together.
 */
export function orgNameAliasOf(recordItem: Record<string, unknown>): Item | null {
  if (!PUBLISHED_ITEM_TYPES.has(String(recordItem.type))) return null;
  const subject = (
    recordItem.record as { subject?: { key?: unknown; kind?: unknown; name?: unknown } } | undefined
  )?.subject;
  if (!subject || subject.kind === 'person') return null;
  if (typeof subject.key !== 'string' || typeof subject.name !== 'string' || subject.name === '') return null;
  return {
    pk: keys.alias('ORGNAME', nameKey(subject.name)),
    sk: keys.subject(subject.key),
    type: 'alias',
    subjectKey: subject.key,
  };
}
