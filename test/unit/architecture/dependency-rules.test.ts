import { readFileSync } from 'node:fs';
import type { ICruiseResult, IViolation } from 'dependency-cruiser';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  architectureRoots,
  cruiseArchitecture,
  describeViolation,
  failures,
  readBaseline,
  sameViolation,
} from '#tools/architecture/cruise';
import { renderArchitectureDocs } from '#tools/architecture/docs';
import config from '../../../.dependency-cruiser.js';

/** A cruise of the repository takes ~5 s of CPU; on 2 shared cores it can take three times as long. */
const CRUISE_TIMEOUT = 60_000;

const fixtureTree = new URL('./fixtures/tree', import.meta.url).pathname;

/** A resolved npm path differs by where node_modules sits; the package is what matters. */
function normalised(violation: IViolation): string {
  return describeViolation(violation).replace(/\S*node_modules\/(@aws-sdk\/[^/]+)\S*/, '$1');
}

describe('Rules: .dependency-cruiser.js', () => {
  describe('Fixture: one deliberate violation of each rule', () => {
    let result: ICruiseResult;
    beforeAll(async () => {
      result = await cruiseArchitecture({ baseDir: fixtureTree });
    }, CRUISE_TIMEOUT);

    it('reports exactly the deliberate violations, each under its rule, and none of the allowed imports', () => {
      expect(failures(result).map(normalised).sort()).toEqual([
        'adapters-only-port-and-record-types: lib/aws/reaches-internals.ts → lib/check/internals.ts',
        'domain-not-to-adapters: lib/check/uses-adapter.ts → lib/aws/store.ts',
        'domain-not-to-adapters: lib/check/uses-keys.ts → lib/aws/items/keys.ts',
        'functions-not-to-other-functions: functions/api/handler.ts → functions/match/handler.ts',
        'infra-not-to-handlers-or-local: infra/stack.ts → functions/shared/http.ts',
        'infra-only-platform: infra/stack.ts → lib/check/ports.ts',
        'lib-not-to-outer-layers: lib/check/uses-handler.ts → functions/shared/http.ts',
        'no-circular: lib/check/circle-a.ts → lib/check/circle-b.ts → lib/check/circle-a.ts',
        'not-to-test: tools/admin.ts → test/support/fixture.ts',
        'not-to-unresolvable: local/start.ts → ./missing',
        'platform-imports-rules-only: lib/platform/resources.ts → lib/check/ports.ts',
        'rules-import-rules-only: lib/identifiers/code.ts → lib/check/ports.ts',
        'sdk-only-in-adapters: lib/check/uses-sdk.ts → @aws-sdk/client-s3',
      ]);
    });

    it('has a deliberate violation for every rule the configuration declares', () => {
      const fired = new Set(failures(result).map((violation) => violation.rule.name));
      expect([...fired].sort()).toEqual((config.forbidden ?? []).map((rule) => rule.name).sort());
    });
  });

  describe('Repository: no violation beyond the known-violations baseline', () => {
    let result: ICruiseResult;
    let current: IViolation[];
    let baseline: IViolation[];
    beforeAll(async () => {
      [result, baseline] = await Promise.all([cruiseArchitecture(), readBaseline()]);
      current = result.summary.violations;
    }, CRUISE_TIMEOUT);

    it('finds no violation missing from the baseline', () => {
      const fresh = current.filter((violation) => !baseline.some((known) => sameViolation(known, violation)));
      expect(fresh.map(describeViolation)).toEqual([]);
    });

    it('keeps no baseline entry that is fixed (run npm run lint:architecture:baseline to shrink it)', () => {
      const fixed = baseline.filter((known) => !current.some((violation) => sameViolation(known, violation)));
      expect(fixed.map(describeViolation)).toEqual([]);
    });

    it('docs/architecture.md is what the rules and the import graph render (run npm run docs:architecture if not)', () => {
      const actual = readFileSync(new URL('../../../docs/architecture.md', import.meta.url), 'utf8');
      expect(actual).toBe(renderArchitectureDocs(result, baseline));
    });
  });

  it('npm run lint:architecture cruises the folders this test cruises, against the baseline', () => {
    const scripts = JSON.parse(
      readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
    ).scripts;
    expect(scripts['lint:architecture']).toBe(
      `depcruise --ignore-known .dependency-cruiser-known-violations.json ${architectureRoots.join(' ')}`,
    );
    expect(scripts.lint).toContain('npm run lint:architecture');
  });
});
