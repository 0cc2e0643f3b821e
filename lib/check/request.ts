import { z } from 'zod';

/** Body of POST /v1/checks. The same schema validates requests and documents the contract. */
export const checkRequestSchema = z.object({
  subject: z
    .object({
      code: z
        .string()
        .trim()
        .min(1)
        .max(64)
        .optional()
        .describe('USCC, organisation code, 工商注册号 or resident ID'),
      name: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .optional()
        .describe('Name; alone it finds only possible (name-only) hits'),
      type: z.enum(['organisation', 'person', 'individual-business']).optional(),
    })
    .refine((subject) => subject.code !== undefined || subject.name !== undefined, {
      message: 'subject.code or subject.name is required',
      path: ['code'],
    }),
  matterCode: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .describe('事项编码 of the matter the case is about'),
  caseRef: z
    .string()
    .trim()
    .min(1)
    .max(128)
    .optional()
    .describe('The case in the business system; opens a watch'),
  purpose: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe('Why the data is read (logged; drives masking)'),
});

export type CheckRequest = z.infer<typeof checkRequestSchema>;
