import { z } from 'zod';

/**
 * The messages on the match queue: one subject whose list entries or records changed.
 *
 * - subject-changed: a subject found by a code (USCC#, ID#, REG#, DOC#), which watches name; the
 *   match function alerts the watches in its partition.
 * - masked-subject-changed: a court entry's person published with a masked resident ID
 *   (MASKED#<masked id>#<name>). No watch names a masked ID: the match function finds the open
 *   watches on persons whose full ID fits the mask and whose name is the entry's, and alerts them
 *   with a *possible* hit (lib/matching/rescreen-masked.ts).
 *
 * A subject known by name only (NAME#) or by a code no watch names (ORG#) has nothing to alert:
 * nothing is queued for it.
 */
const SCREENABLE_SUBJECT_KEY = /^(USCC|ID|REG|DOC)#.+$/;
const MASKED_SUBJECT_KEY = /^MASKED#[0-9X*]+#.+$/;

export function isScreenableSubjectKey(subjectKey: string): boolean {
  return SCREENABLE_SUBJECT_KEY.test(subjectKey);
}

export function isMaskedSubjectKey(subjectKey: string): boolean {
  return MASKED_SUBJECT_KEY.test(subjectKey);
}

const cause = z.enum(['list-entry', 'record', 'expiry']);

export const subjectChangedMessage = z.object({
  kind: z.literal('subject-changed'),
  subjectKey: z.string().regex(SCREENABLE_SUBJECT_KEY, 'subjectKey must be USCC#…, ID#…, REG#… or DOC#…'),
  cause,
  sourceKey: z.string().optional(),
});

export const maskedSubjectChangedMessage = z.object({
  kind: z.literal('masked-subject-changed'),
  subjectKey: z.string().regex(MASKED_SUBJECT_KEY, 'subjectKey must be MASKED#<masked id>#<name>'),
  cause,
  sourceKey: z.string().optional(),
});

export const matchMessage = z.discriminatedUnion('kind', [
  subjectChangedMessage,
  maskedSubjectChangedMessage,
]);

export type SubjectChangedMessage = z.infer<typeof subjectChangedMessage>;
export type MaskedSubjectChangedMessage = z.infer<typeof maskedSubjectChangedMessage>;
export type MatchMessage = z.infer<typeof matchMessage>;
export type MatchCause = MatchMessage['cause'];

/** The message that re-screens a changed subject, or undefined when there is nothing to alert for it. */
export function matchMessageFor(
  subjectKey: string,
  cause: MatchCause,
  sourceKey?: string,
): MatchMessage | undefined {
  const source = sourceKey !== undefined ? { sourceKey } : {};
  if (isScreenableSubjectKey(subjectKey)) return { kind: 'subject-changed', subjectKey, cause, ...source };
  if (isMaskedSubjectKey(subjectKey)) return { kind: 'masked-subject-changed', subjectKey, cause, ...source };
  return undefined;
}

export class InvalidMatchMessageError extends Error {
  override name = 'InvalidMatchMessageError';
}

export function parseMatchMessage(body: string): MatchMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new InvalidMatchMessageError('match message body is not JSON');
  }
  const parsed = matchMessage.safeParse(json);
  if (!parsed.success) throw new InvalidMatchMessageError(`invalid match message: ${parsed.error.message}`);
  return parsed.data;
}
