import { z } from 'zod';
import { objectableDatasets, objectionChannels } from './types';

/** Request bodies of the objection routes: one schema validates the request and documents it. */

const text = (max: number) => z.string().trim().min(1).max(max);

export const filingSchema = z.object({
  subjectCode: text(64).describe('The objecting subject: USCC, 工商注册号 or resident ID'),
  contact: z
    .object({
      name: text(100).describe('Who to contact about the objection'),
      phone: z
        .string()
        .trim()
        .regex(/^[0-9+\- ]{5,20}$/)
        .optional(),
      email: z.string().trim().email().max(200).optional(),
    })
    .refine((contact) => contact.phone !== undefined || contact.email !== undefined, {
      message: 'contact.phone or contact.email is required',
      path: ['phone'],
    }),
  record: z.object({
    dataset: z.enum(objectableDatasets).describe('admin-penalty, admin-license or list-entry'),
    recordId: text(128).describe('The record id (a list entry: its id), as the public record page shows it'),
  }),
  claim: z.object({
    field: text(64).describe(
      'The field claimed wrong: national code (CF_SY), Chinese name (列入原因) or key',
    ),
    currentValue: z.string().trim().max(2000).describe('The value as published'),
    assertedValue: text(2000).describe('The value the subject says is right'),
  }),
  evidence: text(4000).describe('The evidence, described (documents are handed in at the window)'),
});
export type FilingRequest = z.infer<typeof filingSchema>;

export const registrationSchema = filingSchema.extend({
  channel: z
    .enum(objectionChannels)
    .describe('window (服务窗口), credit-china-forward (信用中国 转办) or online'),
});
export type RegistrationRequest = z.infer<typeof registrationSchema>;

export const reasonSchema = z.object({ reason: text(2000) });
export type ReasonRequest = z.infer<typeof reasonSchema>;

export const emptySchema = z.object({}).strict();
export type EmptyRequest = z.infer<typeof emptySchema>;

const correctedValue = text(2000).describe('The corrected value; defaults to the asserted value');

export const answerSchema = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('CORRECTED'),
    correctedValue: correctedValue.optional(),
    reason: text(2000).optional(),
  }),
  z.object({ outcome: z.literal('UPHELD'), reason: text(2000) }),
  z.object({ outcome: z.literal('UNRESOLVED'), reason: text(2000) }),
]);
export type AnswerRequest = z.infer<typeof answerSchema>;

export const resolutionSchema = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('CORRECTED_BY_PLATFORM'),
    correctedValue: correctedValue.optional(),
    reason: text(2000),
  }),
  z.object({ outcome: z.literal('UNRESOLVED'), reason: text(2000) }),
]);
export type ResolutionRequest = z.infer<typeof resolutionSchema>;
