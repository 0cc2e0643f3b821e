import { describe, expect, it } from 'vitest';
import { stageSettings } from '#infra/config';
import { revocationNotice } from '#tools/key-revocation';

/** A target in AWS: no local API server. */
const aws = {};

describe('Function: revocationNotice', () => {
  it("names the stage's authorizer cache TTL as the longest a revoked key keeps working in AWS", async () => {
    // Act
    const prod = await revocationNotice(aws, 'prod');
    const dev = await revocationNotice(aws, 'dev');
    // Assess
    expect(prod).toContain(`up to ${stageSettings('prod').authorizerCacheSeconds} s`);
    expect(prod).toContain('stage prod');
    expect(dev).toContain(`up to ${stageSettings('dev').authorizerCacheSeconds} s`);
  });

  it('lists every stage’s TTL when no stage is named', async () => {
    // Act
    const notice = await revocationNotice(aws, undefined);
    // Assess
    expect(notice).toContain(`prod ${stageSettings('prod').authorizerCacheSeconds} s`);
    expect(notice).toContain('pass --stage');
  });
});
