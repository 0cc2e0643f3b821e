import { displaySubjectKey } from '../matching/screen';
import type { Catalogue } from './catalogue';
import type { ListAuthorityReader } from './ports';

export type { ListAuthorityReader, StoredEntryOfListType } from './ports';

export interface ListAuthorityFindings {
  /** List types that name no agency entitled to decide entries (认定机构代码 empty): they take none. */
  readonly listTypesWithoutDecidingAgency: { code: string; name: string }[];
  /** Stored entries whose reporting agency the list type does not name (stored before, or since narrowed). */
  readonly entriesFromNonEntitledAgencies: {
    entryId: string;
    listTypeCode: string;
    agencyCode: string;
    /** Persons masked. */
    subjectKey: string;
    listedOn: string;
    decidingDepartment: string;
  }[];
  /** Set when a list type had more such entries than the report lists. */
  readonly entriesTruncated?: true;
}

/** Entries listed per list type; a report, not an export: beyond this it says it was cut. */
export const ENTRIES_PER_LIST_TYPE = 1000;

/**
 * The list-authority part of the consistency report: list types without a deciding agency, and
 * entries held from agencies the list type does not (or no longer) name.
 */
export async function listAuthorityFindings(
  catalogue: Catalogue,
  reader: ListAuthorityReader,
  limit = ENTRIES_PER_LIST_TYPE,
): Promise<ListAuthorityFindings> {
  const listTypes = [...catalogue.listTypes.values()].sort((a, b) => a.code.localeCompare(b.code));
  const listTypesWithoutDecidingAgency = listTypes
    .filter((listType) => (listType.decidingAgencyCodes ?? []).length === 0)
    .map(({ code, name }) => ({ code, name }));
  const found = await Promise.all(
    listTypes.map((listType) =>
      reader.entriesOutsideAuthority(listType.code, listType.decidingAgencyCodes ?? [], limit + 1),
    ),
  );
  const truncated = found.some((entries) => entries.length > limit);
  const entriesFromNonEntitledAgencies = found.flatMap((entries) =>
    entries.slice(0, limit).map((entry) => ({
      entryId: entry.entryId,
      listTypeCode: entry.record.listTypeCode,
      agencyCode: entry.agencyCode,
      subjectKey: displaySubjectKey(entry.record.subject, false),
      listedOn: entry.record.listedOn,
      decidingDepartment: entry.record.decidingDepartment,
    })),
  );
  return {
    listTypesWithoutDecidingAgency,
    entriesFromNonEntitledAgencies,
    ...(truncated ? { entriesTruncated: true as const } : {}),
  };
}
