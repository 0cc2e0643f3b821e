import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDatasetId } from '#lib/datasets/index';
import {
  AgencyRegistry,
  AgencyRegistryError,
  agencyProfileOf,
  contractDatasets,
  loadAgencyRegistry,
  profileUploadRefusal,
  type RegisteredAgency,
  saveAgencyRegistry,
} from '#lib/platform/agency-registry';

const scjg: RegisteredAgency = {
  code: 'SCJG',
  name: '江门市市场监督管理局',
  uscc: '11440700007012346L',
  roles: ['case-officer'],
  datasets: ['admin-penalty', 'list-entry'],
};

describe('Class: AgencyRegistry', () => {
  it('accepts the repository registry (config/agencies.json)', () => {
    // Act
    const registry = loadAgencyRegistry();
    // Assess
    expect(registry.agencies.map((agency) => agency.code)).toEqual(
      expect.arrayContaining(['SCJG', 'SWJ', 'ZYFY', 'XYB']),
    );
    expect(registry.require('XYB').roles).toContain('credit-office');
  });

  it('names every dataset folder the issue makes part of the contract, including all the platform ingests', () => {
    expect([...contractDatasets].sort()).toEqual(
      [
        'admin-license',
        'admin-penalty',
        'calendar',
        'code-mapping',
        'court-dishonest',
        'list-entry',
        'list-type',
        'matter',
        'measure',
        'memorandum',
      ].sort(),
    );
    expect(contractDatasets.filter(isDatasetId)).toEqual(
      expect.arrayContaining(['admin-penalty', 'list-entry']),
    );
  });

  it.each([
    [{ ...scjg, code: 'scjg' }, 'agencies.0.code'],
    [{ ...scjg, uscc: '11440700007012346X' }, 'agencies.0.uscc'],
    [{ ...scjg, uscc: '11440700007012346l' }, 'agencies.0.uscc'],
    [{ ...scjg, roles: ['admin'] }, 'agencies.0.roles.0'],
    [{ ...scjg, roles: [] }, 'agencies.0.roles'],
    [{ ...scjg, datasets: ['weather'] }, 'agencies.0.datasets.0'],
    [{ ...scjg, name: ' ' }, 'agencies.0.name'],
    [{ ...scjg, extra: true }, 'agencies.0'],
  ])('refuses an invalid agency %j, naming %s', (agency, path) => {
    expect(() => AgencyRegistry.parse({ agencies: [agency] })).toThrow(AgencyRegistryError);
    expect(() => AgencyRegistry.parse({ agencies: [agency] })).toThrow(`${path}: `);
  });

  it('refuses an agency registered twice', () => {
    expect(() => AgencyRegistry.parse({ agencies: [scjg, scjg] })).toThrow('SCJG is registered twice');
  });

  it('allows an upload only for a registered agency and one of its datasets', () => {
    // Prepare
    const registry = AgencyRegistry.parse({ agencies: [scjg] });
    // Act / Assess
    expect(registry.uploadRefusal('SCJG', 'admin-penalty')).toBeUndefined();
    expect(registry.uploadRefusal('SCJG', 'court-dishonest')).toEqual({
      code: 'DATASET_NOT_ALLOWED',
      reason: 'agency SCJG may not submit dataset "court-dishonest" (allowed: admin-penalty, list-entry)',
    });
    expect(registry.uploadRefusal('NOBODY', 'admin-penalty')).toMatchObject({ code: 'UNKNOWN_AGENCY' });
  });

  it('lists the requested roles the agency may not give its keys', () => {
    const registry = AgencyRegistry.parse({ agencies: [scjg] });
    expect(registry.rolesRefused('SCJG', ['case-officer'])).toEqual([]);
    expect(registry.rolesRefused('SCJG', ['case-officer', 'credit-office', 'root'])).toEqual([
      'credit-office',
      'root',
    ]);
    expect(() => registry.rolesRefused('NOBODY', ['case-officer'])).toThrow('not in the registry');
  });

  it('adds or replaces an agency and writes the file back with its comment', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'registry-'));
    const path = join(dir, 'agencies.json');
    await writeFile(path, JSON.stringify({ $comment: 'kept', agencies: [scjg] }), 'utf8');
    try {
      // Act
      const updated = loadAgencyRegistry(path)
        .with({ ...scjg, datasets: ['admin-penalty'] })
        .with({ ...scjg, code: 'SWJ', uscc: '11440700MB2C123480' });
      saveAgencyRegistry(updated, path);
      // Assess
      const written = JSON.parse(await readFile(path, 'utf8'));
      expect(written.$comment).toBe('kept');
      expect(written.agencies.map((agency: { code: string }) => agency.code)).toEqual(['SCJG', 'SWJ']);
      expect(loadAgencyRegistry(path).require('SCJG').datasets).toEqual(['admin-penalty']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says which file is unreadable or not JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'registry-'));
    try {
      await writeFile(join(dir, 'broken.json'), '{', 'utf8');
      expect(() => loadAgencyRegistry(join(dir, 'broken.json'))).toThrow(/broken\.json is not valid JSON/);
      expect(() => loadAgencyRegistry(join(dir, 'missing.json'))).toThrow(/cannot read the agency registry/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('Function: profileUploadRefusal', () => {
  it('applies the registry rule to a stored profile that carries datasets', () => {
    const profile = agencyProfileOf(AgencyRegistry.parse({ agencies: [scjg] }).require('SCJG'));
    expect(profile).toEqual(scjg);
    expect(profileUploadRefusal(profile, 'list-entry')).toBeUndefined();
    expect(profileUploadRefusal(profile, 'matter')).toMatchObject({ code: 'DATASET_NOT_ALLOWED' });
  });

  it('sets no restriction on a profile written without datasets', () => {
    expect(profileUploadRefusal({ code: 'OLD' }, 'admin-penalty')).toBeUndefined();
  });
});
