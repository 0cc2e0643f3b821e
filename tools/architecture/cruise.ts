import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const configPath = join(repoRoot, '.dependency-cruiser.js');
export const baselinePath = join(repoRoot, '.dependency-cruiser-known-violations.json');

/** The folders `npm run lint:architecture` cruises (the architecture test checks the script names the same). */
export const architectureRoots = ['lib', 'functions', 'infra', 'local', 'tools', 'bench', 'test'];

export interface CruiseRequest {
  /** Paths in results and rules are relative to this directory (the repository root unless a fixture tree). */
  baseDir?: string;
  roots?: readonly string[];
  /** Violations to report as `ignore` instead of `error`, as `depcruise --ignore-known` does. */
  knownViolations?: IViolation[];
}

/** Cruises with the repository's rules, the way the depcruise command line does. */
export async function cruiseArchitecture(request: CruiseRequest = {}): Promise<ICruiseResult> {
  const options = await extractDepcruiseOptions(configPath);
  const baseDir = request.baseDir ?? repoRoot;
  const tsConfig = extractTSConfig(join(repoRoot, 'tsconfig.json'));
  const result = await cruise(
    [...(request.roots ?? architectureRoots)],
    { ...options, baseDir, ...(request.knownViolations ? { knownViolations: request.knownViolations } : {}) },
    {},
    { tsConfig },
  );
  if (typeof result.output === 'string') throw new Error('dependency-cruiser returned a formatted report');
  return result.output;
}

export async function readBaseline(): Promise<IViolation[]> {
  return JSON.parse(await readFile(baselinePath, 'utf8')) as IViolation[];
}

/** Violations that fail the build: errors not softened by the baseline. */
export function failures(result: ICruiseResult): IViolation[] {
  return result.summary.violations.filter((violation) => violation.rule.severity === 'error');
}

/** The identity dependency-cruiser matches known violations on: the rule, and the edge or the circle. */
export function sameViolation(a: IViolation, b: IViolation): boolean {
  if (a.rule.name !== b.rule.name) return false;
  if (a.cycle && b.cycle) {
    const names = new Set(b.cycle.map((step) => step.name));
    return a.cycle.length === b.cycle.length && a.cycle.every((step) => names.has(step.name));
  }
  return a.from === b.from && a.to === b.to;
}

export function describeViolation(violation: IViolation): string {
  const path = violation.cycle
    ? [violation.from, ...violation.cycle.map((step) => step.name)].join(' → ')
    : `${violation.from} → ${violation.to}`;
  return `${violation.rule.name}: ${path}`;
}
