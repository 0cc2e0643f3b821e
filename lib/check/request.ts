import { z } from 'zod';

/** Body of POST /v1/checks. The same schema validates requests and documents the contract. */
export const checkRequestSchema = z.object({
  subject: z.object({
    code: z.string().trim().min(1, 'subject.code is required').max(64),
    name: z.string().trim().max(200).optional(),
    type: z.enum(['organisation', 'person', 'individual-business']).optional(),
  }),
  matterCode: z.string().trim().min(1).max(64).optional(),
  caseRef: z.string().trim().min(1).max(128).optional(),
  purpose: z.string().trim().min(1).max(200).optional(),
});

export type CheckRequest = z.infer<typeof checkRequestSchema>;
