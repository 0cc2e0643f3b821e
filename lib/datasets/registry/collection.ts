import { adminLicenseSchema } from '../admin-license';
import { adminPenaltySchema } from '../admin-penalty';
import { codeMappingSchema } from '../code-mapping';
import { courtDishonestSchema } from '../court-dishonest';
import { listEntrySchema } from '../list-entry';

/** Datasets agencies submit (信用信息归集). */
export const collectionDatasets = {
  'admin-license': adminLicenseSchema,
  'admin-penalty': adminPenaltySchema,
  'list-entry': listEntrySchema,
  'court-dishonest': courtDishonestSchema,
  'code-mapping': codeMappingSchema,
} as const;
