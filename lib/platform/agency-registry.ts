/**
 * The agency registry (config/agencies.json): every agency is registered once — code, name, USCC,
 * the roles its API keys may carry and the datasets it may submit — and this one list drives
 *   - the API keys: tools/admin.ts refuses a key for an agency or a role outside the registry;
 *   - the per-agency upload permissions in CDK (infra/constructs/agency-upload-access.ts);
 *   - the agency profiles in DynamoDB that the ingest path reads, loaded from the registry by the
 *     local demo and by `npm run admin -- agency sync` in the cloud.
 * Pure apart from the synchronous file helpers at the end (CDK synthesis and the CLIs use them).
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { type DatasetId, datasets } from '../datasets';
import { AGENCY_CODE_PATTERN } from '../datasets/list-authority';
import { validateUscc } from '../identifiers';
import { roles } from './roles';

/** Dataset folders under incoming/<agencyCode>/: the registered dataset schemas, nothing else. */
export const contractDatasets = Object.keys(datasets) as [DatasetId, ...DatasetId[]];
export type ContractDataset = DatasetId;

export { AGENCY_CODE_PATTERN };

export const registeredAgencySchema = z
  .object({
    code: z
      .string()
      .regex(AGENCY_CODE_PATTERN, 'use 2–32 upper-case letters and digits, starting with a letter'),
    name: z.string().trim().min(1, 'name is required'),
    uscc: z.string().superRefine((value, context) => {
      const result = validateUscc(value);
      if (!result.ok) context.addIssue({ code: 'custom', message: result.message });
      else if (result.value !== value)
        context.addIssue({ code: 'custom', message: `write it as ${result.value}` });
    }),
    roles: z.array(z.enum(roles)).min(1, 'at least one role'),
    datasets: z.array(z.enum(contractDatasets)),
  })
  .strict();
export type RegisteredAgency = z.infer<typeof registeredAgencySchema>;

export const agencyRegistrySchema = z
  .object({
    $comment: z.string().optional(),
    agencies: z.array(registeredAgencySchema),
  })
  .strict()
  .superRefine((registry, context) => {
    const seen = new Set<string>();
    registry.agencies.forEach((agency, index) => {
      if (seen.has(agency.code))
        context.addIssue({
          code: 'custom',
          path: ['agencies', index, 'code'],
          message: `${agency.code} is registered twice`,
        });
      seen.add(agency.code);
    });
  });
export type AgencyRegistryFile = z.infer<typeof agencyRegistrySchema>;

export class AgencyRegistryError extends Error {
  override name = 'AgencyRegistryError';
}

/** The reason an upload of `dataset` by `agencyCode` is refused, or undefined when it is allowed. */
export type UploadRefusal =
  | { readonly code: 'UNKNOWN_AGENCY'; readonly reason: string }
  | { readonly code: 'DATASET_NOT_ALLOWED'; readonly reason: string };

export class AgencyRegistry {
  readonly #byCode: ReadonlyMap<string, RegisteredAgency>;

  constructor(readonly agencies: readonly RegisteredAgency[]) {
    this.#byCode = new Map(agencies.map((agency) => [agency.code, agency]));
  }

  /** Validates a parsed registry file; every problem is named with its path. */
  static parse(value: unknown, source = 'the agency registry'): AgencyRegistry {
    const parsed = agencyRegistrySchema.safeParse(value);
    if (!parsed.success) {
      const problems = parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
      );
      throw new AgencyRegistryError(`${source} is invalid: ${problems.join('; ')}`);
    }
    return new AgencyRegistry(parsed.data.agencies);
  }

  get(code: string): RegisteredAgency | undefined {
    return this.#byCode.get(code);
  }

  /** The registered agency or an error that says how to register it. */
  require(code: string): RegisteredAgency {
    const agency = this.get(code);
    if (!agency)
      throw new AgencyRegistryError(
        `agency ${code} is not in the registry; register it with: npm run admin -- agency add --code ${code} …`,
      );
    return agency;
  }

  /** The rule the upload policies enforce in AWS and the ingest path applies everywhere. */
  uploadRefusal(agencyCode: string, dataset: string): UploadRefusal | undefined {
    const agency = this.get(agencyCode);
    if (!agency) return { code: 'UNKNOWN_AGENCY', reason: `agency ${agencyCode} is not registered` };
    return profileUploadRefusal(agency, dataset);
  }

  /** Roles among `requested` that the agency's keys may not carry (unknown roles included). */
  rolesRefused(agencyCode: string, requested: readonly string[]): string[] {
    const allowed = this.require(agencyCode).roles as readonly string[];
    return requested.filter((role) => !allowed.includes(role));
  }

  /** A new registry with `agency` added, or replaced when its code is already registered. */
  with(agency: RegisteredAgency): AgencyRegistry {
    const others = this.agencies.filter((candidate) => candidate.code !== agency.code);
    return AgencyRegistry.parse({ agencies: [...others, agency] });
  }

  toJSON(): AgencyRegistryFile {
    return { agencies: [...this.agencies] };
  }
}

/** The profile item the ingest path reads (AGENCY#<code> / PROFILE), derived from the registry. */
export function agencyProfileOf(agency: RegisteredAgency) {
  return {
    code: agency.code,
    name: agency.name,
    uscc: agency.uscc,
    roles: [...agency.roles],
    datasets: [...agency.datasets],
  };
}

/**
 * The same rule on the stored profile, for the ingest path: a profile loaded from the registry
 * carries `datasets`, and a dataset outside them is refused. A profile written without `datasets`
 * (before the registry existed) sets no restriction.
 */
export function profileUploadRefusal(
  profile: { readonly code: string; readonly datasets?: readonly string[] | undefined },
  dataset: string,
): UploadRefusal | undefined {
  if (profile.datasets === undefined || profile.datasets.includes(dataset)) return undefined;
  return {
    code: 'DATASET_NOT_ALLOWED',
    reason: `agency ${profile.code} may not submit dataset "${dataset}" (allowed: ${profile.datasets.join(', ') || 'none'})`,
  };
}

// Files --------------------------------------------------------------------------------------

/** config/agencies.json at the repository root. */
export const defaultRegistryPath = fileURLToPath(new URL('../../config/agencies.json', import.meta.url));

/** Environment variable that points tools and tests at another registry file. */
export const AGENCY_REGISTRY_ENV = 'AGENCY_REGISTRY';

export function registryPath(): string {
  return process.env[AGENCY_REGISTRY_ENV] || defaultRegistryPath;
}

export function loadAgencyRegistry(path = registryPath()): AgencyRegistry {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AgencyRegistryError(`cannot read the agency registry ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new AgencyRegistryError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  return AgencyRegistry.parse(value, path);
}

/** Writes the registry back, keeping the file's $comment and one agency per block. */
export function saveAgencyRegistry(registry: AgencyRegistry, path = registryPath()): void {
  let comment: string | undefined;
  try {
    comment = (JSON.parse(readFileSync(path, 'utf8')) as { $comment?: string }).$comment;
  } catch {
    comment = undefined;
  }
  const file = { ...(comment ? { $comment: comment } : {}), agencies: registry.agencies };
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, 'utf8');
}
