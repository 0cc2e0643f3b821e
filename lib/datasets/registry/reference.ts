import { listTypeSchema } from '../reference/list-type';
import { matterSchema } from '../reference/matter';
import { measureSchema } from '../reference/measure';
import { memorandumSchema } from '../reference/memorandum';

/** Reference data kept by the credit office: list types, memoranda, measures, matters. */
export const referenceDatasets = {
  'list-type': listTypeSchema,
  memorandum: memorandumSchema,
  measure: measureSchema,
  matter: matterSchema,
} as const;
