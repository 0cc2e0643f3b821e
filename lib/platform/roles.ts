/** Roles an API key may carry; an agency's registry entry says which of them its keys may hold. */
export const roles = ['case-officer', 'credit-office', 'auditor'] as const;
export type Role = (typeof roles)[number];
