import { nameKey } from '#lib/identifiers/subject-names';
import { keys } from './keys';

/**
 * The name-index item of a list entry's subject: ALIAS#NAME#<normalised name> → the subject's
 * partition. Written at ingestion for every list-like entry, coded or not, and by
 * tools/backfill-name-index.ts for entries stored before; a check that gives a name reads it.
 */
export function nameIndexItem(subject: { readonly key: string; readonly name: string }) {
  return {
    pk: keys.alias('NAME', nameKey(subject.name)),
    sk: keys.subject(subject.key),
    type: 'alias',
    subjectKey: subject.key,
  };
}
