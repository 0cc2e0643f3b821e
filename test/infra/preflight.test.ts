import { describe, expect, it } from 'vitest';
import { stageSettings } from '#infra/config';
import {
  checkConcurrency,
  checkPartition,
  minimumUnreservedConcurrency,
  partitionOfRegion,
  templateNeeds,
} from '#tools/preflight';

describe('preflight: what the template needs of the region', () => {
  it('lists the runtime/architecture pairs of the china stage, the library’s functions included', () => {
    const { settings, needs } = templateNeeds({ stage: 'china' });
    expect(settings.partition).toBe('aws-cn');
    expect(needs.functions).toEqual(
      expect.arrayContaining([
        { runtime: 'nodejs22.x', architecture: 'x86_64' },
        { runtime: 'python3.12', architecture: 'x86_64' },
      ]),
    );
    expect(needs.functions.map((fn) => fn.architecture)).not.toContain('arm64');
  });

  it('follows -c overrides like cdk synth', () => {
    const { needs } = templateNeeds({ stage: 'china', architecture: 'arm64' });
    expect(needs.functions).toEqual(
      expect.arrayContaining([{ runtime: 'nodejs22.x', architecture: 'arm64' }]),
    );
  });
});

describe('preflight: checks', () => {
  it('knows the China regions are aws-cn', () => {
    expect(partitionOfRegion('cn-north-1')).toBe('aws-cn');
    expect(partitionOfRegion('cn-northwest-1')).toBe('aws-cn');
    expect(partitionOfRegion('ap-east-1')).toBe('aws');
  });

  it('fails a china stage with global credentials', () => {
    const check = checkPartition(stageSettings('china'), 'arn:aws:iam::123456789012:user/ops', 'cn-north-1');
    expect(check.outcome).toBe('fail');
    expect(
      checkPartition(stageSettings('china'), 'arn:aws-cn:iam::123456789012:user/ops', 'cn-north-1').outcome,
    ).toBe('ok');
  });

  it(`fails reservations that would leave less than ${minimumUnreservedConcurrency} unreserved`, () => {
    const prod = stageSettings('prod');
    const reserved = prod.reservedConcurrency.api + prod.reservedConcurrency.authorizer;
    const [tight] = checkConcurrency(prod, 1000, reserved + minimumUnreservedConcurrency - 1);
    const [roomy] = checkConcurrency(prod, 1000, reserved + minimumUnreservedConcurrency);
    expect(tight?.outcome).toBe('fail');
    expect(roomy?.outcome).toBe('ok');
  });

  it('warns when the account limit differs from the one the concurrency alarm assumes', () => {
    const checks = checkConcurrency(stageSettings('prod'), 400, 400);
    expect(checks.find((check) => check.name === 'account concurrency alarm')?.outcome).toBe('warn');
  });
});
