import { maskedIdMatches } from './name-only';
import { compareNames } from './subject-names';

/**
 * Court lists (失信被执行人) publish a person's resident ID masked (4407021975****4129). A masked ID is
 * not unique: a person known by a full ID may be the listed one only if the ID fits the mask, and
 * the name then decides between the persons who fit. Such a match is possible, never confirmed.
 * The check (lib/check/possible-hits.ts) and push (lib/matching/rescreen-masked.ts) say it alike.
 */

/** What a masked-ID match is compared against: the ID a check gave, or the ID a watch names. */
export type MaskedIdCounterpart = 'checked' | 'watched';

/**
 * Why a masked-ID match is only possible, in the words a case officer reads: the masked ID as
 * published, what it matched, how the names compare (or that none was given) and what to do.
 */
export function maskedIdPossibleReason(
  masked: string,
  counterpart: MaskedIdCounterpart,
  nameReason: string | undefined,
): string {
  return `the list publishes the ID masked (${masked}); it matches the ${counterpart} ID with the hidden digits unknown${
    nameReason !== undefined ? `, and ${nameReason}` : ', and no name was given to compare'
  } — verify the identity before acting on it`;
}

/** The leading digits every mask keeps (MASKED_ID in lib/datasets/court-dishonest.ts: at least 6). */
export function visiblePrefixOf(masked: string): string {
  const star = masked.indexOf('*');
  return star === -1 ? masked : masked.slice(0, star);
}

export type MaskedPersonFit =
  | { readonly fits: true; readonly reason: string }
  | { readonly fits: false; readonly differs: 'id' | 'name' };

/**
 * Whether a person watched by full ID and name may be the person a court lists by masked ID and
 * name: the ID fits the mask (same length, every visible character equal) and the names are the
 * same once normalised (lib/identifiers/subject-names.ts). The reason quotes both names in full:
 * output masks it (lib/privacy/mask-personal.ts) like every other text about a person.
 */
export function maskedPersonFit(
  listed: { readonly maskedId: string; readonly name: string },
  watched: { readonly residentId: string; readonly name: string },
): MaskedPersonFit {
  if (!maskedIdMatches(listed.maskedId, watched.residentId)) return { fits: false, differs: 'id' };
  const names = compareNames(watched.name, listed.name);
  if (!names.same) return { fits: false, differs: 'name' };
  return { fits: true, reason: maskedIdPossibleReason(listed.maskedId, 'watched', names.reason) };
}
