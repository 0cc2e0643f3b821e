import { classifySubjectCode, type SubjectCodeCandidate } from '../identifiers/classify';
import type { MatchPath } from '../matching/screen';
import { InvalidSubjectCodeError } from './errors';
import type { SubjectReader } from './ports';

/** One subject partition a checked code leads to, and how. */
export interface Lookup {
  readonly subjectKey: string;
  readonly path: MatchPath;
}

/** The code's interpretations (a code may be more than one kind), or InvalidSubjectCodeError. */
export function classifyCode(
  code: string,
  options: { today: string; allowList?: ReadonlySet<string>; field: string },
): { value: string; candidates: SubjectCodeCandidate[] } {
  const classified = classifySubjectCode(code, {
    today: options.today,
    ...(options.allowList ? { allowList: options.allowList } : {}),
  });
  if (!classified.ok) throw new InvalidSubjectCodeError(classified.message, options.field, classified.code);
  return { value: classified.value, candidates: [...classified.candidates] };
}

/** Every subject partition a checked code leads to, and how. */
export async function lookupsFor(
  subjects: SubjectReader,
  candidate: SubjectCodeCandidate,
): Promise<Lookup[]> {
  const value = candidate.result.value;
  switch (candidate.type) {
    case 'uscc': {
      // A legacy record may be stored under the organisation code embedded in the USCC (9–17).
      const body = value.slice(8, 17);
      const legacy = await subjects.subjectKeysForAlias('ORG', body);
      return [
        { subjectKey: `USCC#${value}`, path: { identifier: 'uscc', value } },
        ...legacy
          .filter((alias) => !alias.subjectKey.startsWith('USCC#'))
          .map((alias) => ({
            subjectKey: alias.subjectKey,
            path: { identifier: 'organisation-code' as const, value: body },
          })),
      ];
    }
    case 'organisation-code': {
      const aliases = await subjects.subjectKeysForAlias('ORG', value);
      return aliases.map((alias) => ({
        subjectKey: alias.subjectKey,
        path: { identifier: 'organisation-code', value },
      }));
    }
    case 'resident-id': {
      const represented = await subjects.subjectKeysForAlias('LEGALREP', value);
      return [
        { subjectKey: `ID#${value}`, path: { identifier: 'resident-id', value } },
        ...represented.map((alias) => ({
          subjectKey: alias.subjectKey,
          path: { identifier: 'resident-id' as const, value, relation: 'legal-representative' as const },
        })),
      ];
    }
    case 'business-registration-number': {
      const aliases = await subjects.subjectKeysForAlias('REG', value);
      return [
        { subjectKey: `REG#${value}`, path: { identifier: 'registration-number', value } },
        ...aliases.map((alias) => ({
          subjectKey: alias.subjectKey,
          path: { identifier: 'registration-number' as const, value },
        })),
      ];
    }
  }
}

/** The partition a code names by itself (an organisation code only leads through aliases). */
const OWN_PARTITION: Record<SubjectCodeCandidate['type'], string | undefined> = {
  uscc: 'USCC#',
  'resident-id': 'ID#',
  'business-registration-number': 'REG#',
  'organisation-code': undefined,
};

/**
 * Reads the list entries of each subject partition once per check (records are counted apart: a
 * partition may hold thousands). The code's own partitions are requested at once, in parallel with
 * the alias look-ups (fewer sequential round trips per check).
 */
export class PartitionReads {
  private readonly reads = new Map<string, Promise<Record<string, unknown>[]>>();

  constructor(private readonly subjects: SubjectReader) {}

  read(subjectKey: string): Promise<Record<string, unknown>[]> {
    let pending = this.reads.get(subjectKey);
    if (!pending) {
      pending = this.subjects.listEntryItems(subjectKey);
      this.reads.set(subjectKey, pending);
    }
    return pending;
  }

  prefetchOwn(candidates: readonly SubjectCodeCandidate[]): void {
    for (const candidate of candidates) {
      const own = OWN_PARTITION[candidate.type];
      if (own) void this.read(`${own}${candidate.result.value}`).catch(() => undefined);
    }
  }
}

/** The lookups of every interpretation, one per partition and relation. */
export async function uniqueLookups(
  subjects: SubjectReader,
  candidates: readonly SubjectCodeCandidate[],
): Promise<Lookup[]> {
  const lookups = (await Promise.all(candidates.map((candidate) => lookupsFor(subjects, candidate)))).flat();
  return [
    ...new Map(
      lookups.map((lookup) => [`${lookup.subjectKey}|${lookup.path.relation ?? ''}`, lookup]),
    ).values(),
  ];
}
