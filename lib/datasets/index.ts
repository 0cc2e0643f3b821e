import type { AdminLicenseRecord } from './admin-license';
import type { AdminPenaltyRecord } from './admin-penalty';
import type { CalendarDayRecord } from './calendar';
import type { CodeMappingRecord } from './code-mapping';
import type { CourtDishonestRecord } from './court-dishonest';
import type { ListEntryRecord } from './list-entry';
import type { ReferenceRecord } from './reference';
import { calendarDatasets } from './registry/calendar';
import { collectionDatasets } from './registry/collection';
import { referenceDatasets } from './registry/reference';
import type { DatasetSchema } from './schema';

export type { AdminLicenseRecord } from './admin-license';
export type { AdminPenaltyRecord } from './admin-penalty';
export type { CodeMappingRecord } from './code-mapping';
export type { CourtDishonestRecord } from './court-dishonest';
export type { FieldSpec, RowIssue } from './fields';
export type { ListEntryRecord } from './list-entry';
export type { DatasetSchema, RowContext, RowOutcome } from './schema';
export type { SubjectIdentity, SubjectKind } from './subject';

/** Every dataset the platform ingests, by the folder name agencies drop it under. */
export type CreditRecord =
  | AdminPenaltyRecord
  | AdminLicenseRecord
  | CourtDishonestRecord
  | CodeMappingRecord
  | ListEntryRecord
  | ReferenceRecord
  | CalendarDayRecord;

// Each registry file is owned by one area; this index only merges them.
export const datasets = {
  ...collectionDatasets,
  ...referenceDatasets,
  ...calendarDatasets,
} as const satisfies Record<string, DatasetSchema<CreditRecord>>;

export type DatasetId = keyof typeof datasets;

export function isDatasetId(value: string): value is DatasetId {
  return Object.hasOwn(datasets, value);
}

export function schemaFor(id: DatasetId): DatasetSchema<CreditRecord> {
  return datasets[id] as DatasetSchema<CreditRecord>;
}
