import { z } from 'zod';

/**
 * The subjects the match function re-screens: those found by a code, which watches name. A court
 * entry stored by masked ID (MASKED#) or by name only (NAME#) has no watch in its partition, so
 * nothing is queued for it.
 */
const SCREENABLE_SUBJECT_KEY = /^(USCC|ID|REG|DOC)#.+$/;

export function isScreenableSubjectKey(subjectKey: string): boolean {
  return SCREENABLE_SUBJECT_KEY.test(subjectKey);
}

/** The message on the match queue: one subject whose list entries or records changed. */
export const subjectChangedMessage = z.object({
  kind: z.literal('subject-changed'),
  subjectKey: z.string().regex(SCREENABLE_SUBJECT_KEY, 'subjectKey must be USCC#…, ID#…, REG#… or DOC#…'),
  cause: z.enum(['list-entry', 'record', 'expiry']),
  sourceKey: z.string().optional(),
});

export type SubjectChangedMessage = z.infer<typeof subjectChangedMessage>;

export class InvalidMatchMessageError extends Error {
  override name = 'InvalidMatchMessageError';
}

export function parseSubjectChanged(body: string): SubjectChangedMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new InvalidMatchMessageError('match message body is not JSON');
  }
  const parsed = subjectChangedMessage.safeParse(json);
  if (!parsed.success) throw new InvalidMatchMessageError(`invalid match message: ${parsed.error.message}`);
  return parsed.data;
}
