import { z } from 'zod';
import divisionPrefixesJson from '#config/identifiers/division-prefixes.json' with { type: 'json' };
import usccCategoriesJson from '#config/identifiers/uscc-categories.json' with { type: 'json' };

/**
 * The code tables identifier structure is checked against. They are rules of law that get amended
 * (GB 32100's authority table, GB/T 2260's divisions), so they live in config/identifiers/*.json
 * with their source, and are parsed strictly here: a bad edit fails at load, not as silent rejects.
 */

export interface RegistrationAuthority {
  readonly code: string;
  readonly name: string;
  /** Position-2 category code → its name. */
  readonly categories: ReadonlyMap<string, string>;
}

export interface UsccCategoryTable {
  readonly version: string;
  readonly source: string;
  /** Position-1 code → the authority and its categories. */
  readonly authorities: ReadonlyMap<string, RegistrationAuthority>;
}

export interface DivisionPrefixTable {
  readonly version: string;
  readonly source: string;
  /** Prefixes a USCC's positions 3–4 may carry (unknown → warning). */
  readonly uscc: ReadonlyMap<string, string>;
  /** Prefixes a resident ID's positions 1–2 may carry (unknown → reject). */
  readonly residentId: ReadonlyMap<string, string>;
}

const singleCharacter = z.string().regex(/^[0-9A-Z]$/);

const usccCategoriesSchema = z.object({
  version: z.string().min(1),
  source: z.string().min(1),
  authorities: z
    .array(
      z.object({
        code: singleCharacter,
        name: z.string().min(1),
        categories: z.record(singleCharacter, z.string().min(1)),
      }),
    )
    .min(1),
});

const divisionPrefixesSchema = z.object({
  version: z.string().min(1),
  source: z.string().min(1),
  prefixes: z.array(
    z.object({
      prefix: z.string().regex(/^\d{2}$/),
      name: z.string().min(1),
      appliesTo: z.array(z.enum(['uscc', 'resident-id'])).min(1),
    }),
  ),
});

/** Parse the GB 32100 authority/category table; throws (ZodError or Error) on a malformed table. */
export function parseUsccCategoryTable(json: unknown): UsccCategoryTable {
  const parsed = usccCategoriesSchema.parse(json);
  const authorities = new Map<string, RegistrationAuthority>();
  for (const authority of parsed.authorities) {
    if (authorities.has(authority.code)) {
      throw new Error(`USCC category table lists registration authority "${authority.code}" twice`);
    }
    authorities.set(authority.code, {
      code: authority.code,
      name: authority.name,
      categories: new Map(Object.entries(authority.categories)),
    });
  }
  return { version: parsed.version, source: parsed.source, authorities };
}

/** Parse the GB/T 2260 province-prefix table; throws on a malformed table or a repeated prefix. */
export function parseDivisionPrefixTable(json: unknown): DivisionPrefixTable {
  const parsed = divisionPrefixesSchema.parse(json);
  const uscc = new Map<string, string>();
  const residentId = new Map<string, string>();
  for (const entry of parsed.prefixes) {
    if (uscc.has(entry.prefix) || residentId.has(entry.prefix)) {
      throw new Error(`division prefix table lists "${entry.prefix}" twice`);
    }
    if (entry.appliesTo.includes('uscc')) uscc.set(entry.prefix, entry.name);
    if (entry.appliesTo.includes('resident-id')) residentId.set(entry.prefix, entry.name);
  }
  return { version: parsed.version, source: parsed.source, uscc, residentId };
}

/** config/identifiers/uscc-categories.json. */
export const USCC_CATEGORY_TABLE: UsccCategoryTable = parseUsccCategoryTable(usccCategoriesJson);
/** config/identifiers/division-prefixes.json. */
export const DIVISION_PREFIX_TABLE: DivisionPrefixTable = parseDivisionPrefixTable(divisionPrefixesJson);

/**
 * Something short of a reject: the code is accepted, and the warning travels with the result so
 * that a report can show it (datasets turn it into a row flag).
 */
export interface IdentifierWarning {
  readonly code: string;
  readonly message: string;
  /** 1-based position of the first character concerned. */
  readonly position?: number;
  readonly found?: string;
}

/** What a list of codes looks like in a message: `1 机构编制, 5 民政`. */
export function describeCodes(entries: Iterable<readonly [string, string]>): string {
  return [...entries].map(([code, name]) => `${code} ${name}`).join(', ');
}
