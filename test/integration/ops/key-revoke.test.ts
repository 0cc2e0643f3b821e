import { describe, expect, it } from 'vitest';
import { apiKeyId, hashApiKey } from '#lib/auth/api-keys';
import { useAdminCommand } from '../support/admin-command';
import { registerAgency } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';

// The authorizer cache on, as API Gateway's: a decision is reused for 300 s.
const stack = useLocalStack({ authorizerCacheSeconds: 300 });
const admin = useAdminCommand(stack);

/** GET /v1/matters through the local API server, as a client would call it. */
async function matters(apiKey: string): Promise<number> {
  const response = await fetch(`${stack().config.apiBaseUrl}/v1/matters`, {
    headers: { Authorization: `Bearer ${apiKey}` },
  });
  await response.arrayBuffer();
  return response.status;
}

describe('npm run admin -- key revoke (local stack)', () => {
  it('flushes the local gateway’s authorizer cache, so the revoked key is refused at once, and says so', async () => {
    // Prepare: the key's decision is in the cache
    const apiKey = await registerAgency(stack(), 'REVOKE1');
    expect(await matters(apiKey)).toBe(200);
    // Act
    const result = await admin([
      'key',
      'revoke',
      '--agency',
      'REVOKE1',
      '--key-id',
      apiKeyId(hashApiKey(apiKey)),
    ]);
    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('revoked');
    expect(result.stdout).toContain('authorizer cache was flushed');
    expect(await matters(apiKey)).toBe(401);
  });
});
