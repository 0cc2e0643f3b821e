import { adminPenaltySchema } from '../admin-penalty';
import { listEntrySchema } from '../list-entry';

/** Datasets agencies submit (信用信息归集). */
export const collectionDatasets = {
  'admin-penalty': adminPenaltySchema,
  'list-entry': listEntrySchema,
} as const;
